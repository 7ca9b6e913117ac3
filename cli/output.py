"""What `imapcopier copy|compare` prints: a live progress line on a terminal, then a summary."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from workers.engine.events import EngineEvent, ErrorFound, FolderDone, FolderStarted, PlanMade, Progress
from workers.engine.results import AccountComparison, AccountPlan, AccountResult

_MB = 1024 * 1024
_REDRAW_SECONDS = 0.1
_LISTED_ERRORS = 20


class ProgressLine:
    """Redraws one status line on stderr (terminals only), at most ten times a second.

    Folders may be copied two at a time (engine lanes): their running counts are kept apart and
    added to those of the folders already done."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.folders = 0
        self.folder_index = 0
        self._done = (0, 0)
        self._running: dict[str, tuple[int, int]] = {}
        self._last = 0.0

    @property
    def copied(self) -> int:
        return self._done[0] + sum(copied for copied, _ in self._running.values())

    @property
    def bytes(self) -> int:
        return self._done[1] + sum(nbytes for _, nbytes in self._running.values())

    def __call__(self, event: EngineEvent) -> None:
        if isinstance(event, PlanMade):
            self.folders = len(event.folders)
            if event.quota is not None and event.quota.warning:
                print(f"warning: quota: {event.quota.warning}", file=self.stream)  # before copying
        elif isinstance(event, FolderStarted):
            self.folder_index += 1
            self._running[event.folder] = (0, 0)
            self._draw(f"{event.folder} -> {event.dst_folder}", force=True)
        elif isinstance(event, Progress):
            self._running[event.folder] = (event.copied, event.bytes)
            self._draw(f"{event.folder}: {event.done}/{event.total}")
        elif isinstance(event, FolderDone):
            self._running.pop(event.result.folder, None)
            self._done = (self._done[0] + event.result.copied, self._done[1] + event.result.bytes)
        elif isinstance(event, ErrorFound) and self.enabled:
            where = f"{event.error.folder} uid {event.error.uid}" if event.error.uid else event.error.folder
            self._clear()
            print(f"error: {where or 'account'}: {event.error.reason}", file=self.stream)

    def _draw(self, text: str, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last < _REDRAW_SECONDS):
            return
        self._last = now
        line = (
            f"[{self.folder_index}/{self.folders}] {text} | {self.copied} copied, {self.bytes / _MB:.1f} MB"
        )
        self.stream.write("\r\x1b[K" + line[:160])
        self.stream.flush()

    def _clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self._clear()


def altered_text(count: int) -> str:
    return (
        f"{count} message{'s' if count != 1 else ''} stored altered by the destination "
        "(size or header differ from what was sent; the message is there)"
    )


def print_result(result: AccountResult, out: TextIO = sys.stdout) -> None:
    width = max([len(f.folder) for f in result.folders] + [6])
    print(f"{'folder':<{width}}  {'copied':>7} {'skipped':>7} {'errors':>6} {'MB':>8}  status", file=out)
    for f in result.folders:
        counts = f"{f.copied:>7} {f.skipped:>7} {f.errors:>6} {f.bytes / _MB:>8.1f}"
        print(f"{f.folder:<{width}}  {counts}  {f.status}", file=out)
    print(
        f"{'total':<{width}}  {result.copied:>7} {result.skipped:>7} {result.errors:>6} "
        f"{result.bytes / _MB:>8.1f}  {result.status} in {result.seconds:.1f} s",
        file=out,
    )
    if result.flags_updated:
        print(f"flags brought over from the source on {result.flags_updated} messages", file=out)
    for f in result.folders:
        if f.note:
            print(f"note: {f.folder} -> {f.dst_folder}: {f.note}", file=out)
        if f.altered:
            print(f"warning: {f.folder}: {altered_text(f.altered)}", file=out)
    for error in result.error_list[:_LISTED_ERRORS]:
        where = " ".join(p for p in (error.folder, f"uid {error.uid}" if error.uid else None) if p)
        print(f"error: {where or 'account'}: {error.reason}", file=out)
    if result.errors > _LISTED_ERRORS:
        print(f"... and {result.errors - _LISTED_ERRORS} more errors", file=out)


def print_plan(plan: AccountPlan, out: TextIO = sys.stdout) -> None:
    width = max([len(f.src) for f in plan.folders] + [6])
    print(f"{'source':<{width}}  ->  destination (messages, MB, why)", file=out)
    for f in plan.folders:
        size = f"{f.size / _MB:.1f} MB" if f.size is not None else "? MB"
        create = ", will be created" if not f.dst_exists else ""
        print(f"{f.src:<{width}}  ->  {f.dst} ({f.messages} messages, {size}, {f.reason}{create})", file=out)
        if f.note:
            print(f"{'':<{width}}      {f.note}", file=out)
    if plan.quota is not None:
        q = plan.quota
        print(
            f"destination quota: {q.free_bytes / _MB:.1f} MB free of {q.limit_bytes / _MB:.1f} MB", file=out
        )
        if q.warning:
            print(f"warning: quota: {q.warning}", file=out)
    for name in plan.excluded:
        print(f"{name:<{width}}  --  excluded", file=out)
    total = sum(f.messages for f in plan.folders)
    size_total = sum(f.size or 0 for f in plan.folders)
    print(
        f"{len(plan.folders)} folders, {total} messages, {size_total / _MB:.1f} MB; nothing written", file=out
    )


def print_comparison(comparison: AccountComparison, out: TextIO = sys.stdout) -> None:
    width = max([len(f.src) for f in comparison.folders] + [6])
    print(
        f"{'folder':<{width}}  {'source':>7} {'dest':>7} {'missing':>7} {'dupes':>7} {'flags':>6}", file=out
    )
    for f in comparison.folders:
        print(
            f"{f.src:<{width}}  {f.src_messages:>7} {f.dst_messages:>7} {f.missing:>7} "
            f"{f.duplicated:>7} {f.flag_differences:>6}",
            file=out,
        )
    verdict = "complete" if comparison.complete else "INCOMPLETE"
    print(
        f"{verdict}: {comparison.missing} missing, {comparison.duplicated} duplicated, "
        f"{comparison.flag_differences} with different flags",
        file=out,
    )
    for f in comparison.folders:
        if f.altered:
            uids = ", ".join(str(uid) for uid in f.altered_uids)
            print(f"warning: {f.src}: {altered_text(f.altered)}; source UIDs {uids}", file=out)
