"""The one launcher of the process stack for tests: gunicorn (web), Celery workers and beat, each a
real process (no task_always_eager) with its log in a file. Used by tests/jobs, tests/e2e and
tests/proof alike; each suite only chooses the database and Redis dbs they point at."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import requests

from app.config import REPO_ROOT, Settings
from tests.settings import TEST_CREDENTIALS_KEY

BIN = Path(sys.executable).parent
READY_TIMEOUT = 40.0
WORKER_READY = " ready."
BEAT_READY = "beat: Starting"
# Short timings so that heartbeats, the reaper and the scan happen within a test's seconds.
FAST = {
    "scan_interval_seconds": 1.0,
    "run_heartbeat_seconds": 0.5,
    "run_stale_seconds": 4.0,
    "semaphore_lease_seconds": 5.0,
    "plan_timeout_seconds": 30.0,
    "notify_retry_base_seconds": 1.0,
}


def redis_db_url(url: str, offset: int) -> str:
    """`url` moved `offset` Redis dbs up (a suite's broker or events beside the shared test db)."""
    match = re.search(r"/(\d+)$", url)
    db = int(match.group(1)) if match else 0
    return re.sub(r"/\d+$", "", url) + f"/{db + offset}"


def process_env(settings: Settings, timings: Mapping[str, float], **extra: str) -> dict[str, str]:
    """The environment of the web, worker and beat processes: the settings' database, Redis dbs and
    keys, and the timings (as their environment variables)."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "BROKER_URL": settings.broker_url or settings.redis_url,
        "SECRET_KEY": settings.secret_key,
        "CREDENTIALS_KEY": TEST_CREDENTIALS_KEY,
        "LOG_LEVEL": "INFO",
        **{name.upper(): str(value) for name, value in timings.items()},
    }
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Process:
    """One product process in its own process group (a SIGKILL of the group takes its children
    down with it), logging to `<log_dir>/<name>.log`."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._offset = 0

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def launch(self) -> None:
        with self.log_path.open("ab") as log:
            log.write(f"\n=== start {time.strftime('%H:%M:%S')} ===\n".encode())
            self._offset = log.tell()
            self.proc = subprocess.Popen(
                self.argv,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _failed(self, what: str) -> RuntimeError:
        return RuntimeError(f"{self.name} {what}:\n{self.log()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group: a machine lost mid-job."""
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


class CeleryProcess(Process):
    """One `celery worker` (or `beat`)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        super().__init__(name, [str(BIN / "celery"), "-A", "workers.celery_app", *args], env, log_dir)
        self.args = args

    @property
    def hostname(self) -> str:
        return f"{self.name}@{socket.gethostname()}"

    def start(self, ready_marker: str | None = WORKER_READY) -> None:
        self.launch()
        if ready_marker is None:
            return
        deadline = time.monotonic() + READY_TIMEOUT
        while ready_marker not in self.log()[self._offset :]:
            if not self.alive() or time.monotonic() > deadline:
                raise self._failed("did not start")
            time.sleep(0.1)


class WebProcess(Process):
    """gunicorn with threads, as in the Procfile (a websocket holds a thread for its whole life)."""

    def __init__(
        self,
        env: dict[str, str],
        log_dir: Path,
        *,
        workers: int = 1,
        threads: int = 16,
        name: str = "web",
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        argv = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        argv += ["--worker-class", "gthread", "--threads", str(threads), "--graceful-timeout", "5"]
        super().__init__(name, [*argv, "app.wsgi:app"], env, log_dir)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = READY_TIMEOUT) -> None:
        self.launch()
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait for /healthz: the master listens at once, but until a worker has imported the app,
        requests wait or fail."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if not self.alive() or time.monotonic() > deadline:
                raise self._failed("did not start")
            time.sleep(0.1)


def worker(
    name: str, env: dict[str, str], log_dir: Path, queues: str = "copy,default", concurrency: int = 1
) -> CeleryProcess:
    args = [
        "worker",
        "--queues", queues,
        "--concurrency", str(concurrency),
        "--pool", "prefork",
        "--prefetch-multiplier", "1",
        "--hostname", f"{name}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel", "INFO",
    ]  # fmt: skip
    return CeleryProcess(name, args, env, log_dir)


def beat(env: dict[str, str], log_dir: Path, name: str = "beat") -> CeleryProcess:
    """A celery beat with its own schedule file (two beats are two hosts)."""
    args = ["beat", "--schedule", str(log_dir / f"{name}-schedule"), "--loglevel", "INFO"]
    return CeleryProcess(name, args, env, log_dir)


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
