"""The hostile IMAP server fixture and peak-RSS readings from /proc, for the hostile-server tests."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from testbed.hostile_imap import HostileImapServer

MB = 1024 * 1024


@pytest.fixture(scope="session")
def hostile_server() -> Iterator[HostileImapServer]:
    """The misbehaving source server on a free loopback port (the mode is the login name)."""
    with HostileImapServer() as server:
        yield server


def peak_rss(pid: int) -> int:
    """The process's peak resident set size (VmHWM) in bytes; 0 once it has exited."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def reset_peak_rss(pid: int) -> None:
    """Start VmHWM again from the current RSS (writing 5 to clear_refs, see proc(5))."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def run_measured(args: list[str], env: dict[str, str], timeout: float) -> tuple[int, str, str, float, int]:
    """Run a command to the end: (exit status, stdout, stderr, seconds, peak RSS in bytes).

    VmHWM is read every 20 ms while the process runs (it is gone once the process has exited)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, peak_rss(proc.pid))
        if time.monotonic() - started > timeout:
            proc.kill()
            break
        time.sleep(0.02)
    out, err = proc.communicate()
    return proc.returncode, out, err, time.monotonic() - started, peak
