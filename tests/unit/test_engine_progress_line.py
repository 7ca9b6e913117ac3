"""The CLI's progress line adds up folders copied at the same time on two lanes."""

from __future__ import annotations

import io

from cli.output import ProgressLine
from workers.engine.events import FolderDone, FolderStarted, Progress
from workers.engine.results import FolderResult


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_interleaved_folders_are_counted_once_each() -> None:
    out = _Terminal()
    line = ProgressLine(out)
    line(FolderStarted("INBOX", "INBOX"))
    line(FolderStarted("Sent", "INBOX.Sent"))
    line(Progress("INBOX", 50, 0, 0, 5_000, 50, 120))
    line(Progress("Sent", 10, 0, 0, 1_000, 10, 10))
    assert (line.copied, line.bytes) == (60, 6_000)
    line(
        FolderDone(FolderResult(folder="Sent", dst_folder="INBOX.Sent", status="ok", copied=10, bytes=1_000))
    )
    line(Progress("INBOX", 100, 0, 0, 10_000, 100, 120))
    assert (line.copied, line.bytes) == (110, 11_000)
    line(FolderDone(FolderResult(folder="INBOX", dst_folder="INBOX", status="ok", copied=120, bytes=12_000)))
    assert (line.copied, line.bytes) == (130, 13_000)
    assert "[2/0] Sent -> INBOX.Sent | 0 copied" in out.getvalue()
