"""Real Celery worker and beat processes for the job-system tests (no task_always_eager)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from app.config import REPO_ROOT

CELERY = str(Path(sys.executable).with_name("celery"))
READY_TIMEOUT = 40.0


class CeleryProcess:
    """One `celery worker` (or `beat`) in its own process group, logging to a file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.args = args
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def hostname(self) -> str:
        return f"{self.name}@{socket.gethostname()}"

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, ready_marker: str | None = " ready.") -> None:
        with self.log_path.open("ab") as log:
            log.write(f"\n=== start {time.strftime('%H:%M:%S')} ===\n".encode())
            offset = log.tell()
            # Own session: a SIGKILL of the group takes the pool children down with the parent.
            self.proc = subprocess.Popen(
                [CELERY, "-A", "workers.celery_app", *self.args],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if ready_marker is None:
            return
        deadline = time.monotonic() + READY_TIMEOUT
        while ready_marker not in self.log()[offset:]:
            if not self.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start:\n{self.log()[-3000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the whole worker (parent and pool children): a machine lost mid-job."""
        if self.proc is not None and self.alive():
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 20.0) -> None:
        """Warm shutdown, as `docker stop` does it: SIGTERM to the main process only."""
        if self.proc is None or not self.alive():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def worker(name: str, env: dict[str, str], log_dir: Path, queues: str = "copy,default") -> CeleryProcess:
    args = [
        "worker",
        "--queues", queues,
        "--concurrency", "1",
        "--pool", "prefork",
        "--prefetch-multiplier", "1",
        "--hostname", f"{name}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel", "INFO",
    ]  # fmt: skip
    return CeleryProcess(name, args, env, log_dir)


def beat(env: dict[str, str], log_dir: Path) -> CeleryProcess:
    args = ["beat", "--schedule", str(log_dir / "beat-schedule"), "--loglevel", "INFO"]
    return CeleryProcess("beat", args, env, log_dir)


class WorkerPool:
    """Named workers shared by the session; a test asks for those it needs, running."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.workers: dict[str, CeleryProcess] = {}

    def ensure(self, *names: str) -> list[CeleryProcess]:
        for name in names:
            proc = self.workers.setdefault(name, worker(name, self.env, self.log_dir))
            if not proc.alive():
                proc.start()
        for name, proc in self.workers.items():
            if name not in names:
                proc.stop()
        return [self.workers[name] for name in names]

    def stop_all(self) -> None:
        for proc in self.workers.values():
            proc.stop()
