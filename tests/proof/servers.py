"""Throwaway PostgreSQL and Redis servers on free loopback ports, each in a directory of its own, for
tests that restart them (tests/proof/stack.py builds a whole private job stack on them).

The shared servers (54329, 63790) serve every engineer's test runs at once: never restart those.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import redis

# Debian's layout; the newest installed major version (15 on bookworm).
PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), default=Path())
PG_USER = "postgres"
TMP = Path("/var/tmp")  # the postgres user can enter it (pytest's tmp dirs under /tmp are root's)
OWNER_FILE = "owner.pid"
DB_NAME = "imapcopier"
START_TIMEOUT = 30.0
# Durability is not what these tests prove, and fsync on a shared 2-core box costs seconds.
PG_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"


def _claim(prefix: str) -> Path:
    """A fresh directory that names the test process owning it, for sweep_orphans()."""
    root = Path(tempfile.mkdtemp(prefix=prefix, dir=TMP))
    (root / OWNER_FILE).write_text(str(os.getpid()))
    return root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _orphaned(root: Path) -> bool:
    try:
        return not _alive(int((root / OWNER_FILE).read_text()))
    except (OSError, ValueError):
        return False  # not ours, or still being set up


def sweep_orphans() -> None:
    """Stop and delete the servers of earlier test sessions that were killed before their teardown
    (their owner process is gone). Each is stopped through its own pid file, never by name."""
    for root in TMP.glob("imapcopier-pg-*"):
        if _orphaned(root):
            PrivatePostgres.at(root).destroy()
    for root in TMP.glob("imapcopier-redis-*"):
        if _orphaned(root):
            with contextlib.suppress(OSError, ValueError):
                os.kill(int((root / "redis.pid").read_text()), signal.SIGKILL)
            shutil.rmtree(root, ignore_errors=True)


def _as_postgres(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; as any other user it runs as that user.
    return ["runuser", "-u", PG_USER, "--", *args] if os.geteuid() == 0 else args


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (trust auth on 127.0.0.1) in a directory of its own."""

    def __init__(self, port: int, root: Path | None = None) -> None:
        self.port = port
        self.root = root or _claim("imapcopier-pg-")
        self.data = self.root / "data"
        self.url = f"postgresql+psycopg://{PG_USER}@127.0.0.1:{port}/{DB_NAME}"
        if os.geteuid() == 0 and root is None:
            shutil.chown(self.root, PG_USER)

    @classmethod
    def at(cls, root: Path) -> PrivatePostgres:
        """The cluster in an existing directory (its port does not matter to stop it)."""
        return cls(0, root)

    def _pg_ctl(self, *args: str) -> None:
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-t", str(int(START_TIMEOUT)), *args]
        subprocess.run(_as_postgres(command), check=True, capture_output=True)

    def create(self) -> None:
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", PG_USER, "--auth=trust", "-E", "UTF8"]
        subprocess.run(_as_postgres([*initdb, "--no-sync"]), check=True, capture_output=True)
        self.start()
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={PG_USER} dbname=postgres") as conn:
            conn.autocommit = True
            conn.execute(f"CREATE DATABASE {DB_NAME}")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {PG_OPTIONS}"
        self._pg_ctl("-l", str(self.root / "postgres.log"), "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` is what a service manager's restart does: open connections are terminated."""
        self._pg_ctl("-m", mode, "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self) -> None:
        if self.running():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class PrivateRedis:
    """A throwaway redis-server; with `appendonly` it keeps its data across restarts, as in production
    (docker-compose.yml), without it a restart loses every queued message."""

    def __init__(self, port: int, appendonly: bool = True) -> None:
        self.port = port
        self.appendonly = appendonly
        self.root = _claim("imapcopier-redis-")
        self.proc: subprocess.Popen[bytes] | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.root), "--save", ""]
        args += [
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--logfile",
            str(self.root / "redis.log"),
        ]
        self.proc = subprocess.Popen(
            ["redis-server", *args], stdin=subprocess.DEVNULL, start_new_session=True
        )
        (self.root / "redis.pid").write_text(str(self.proc.pid))
        client: redis.Redis[bytes] = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server on {self.port} did not start") from None
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        """SIGTERM, as a service manager does it (with appendonly the AOF is flushed first)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=START_TIMEOUT)

    def restart(self, keep_data: bool = True) -> None:
        self.stop()
        if not keep_data:  # the AOF directory and any snapshot: all that Redis would load
            for path in self.root.iterdir():
                if path.is_dir():
                    shutil.rmtree(path)
                elif path.suffix in (".rdb", ".aof"):
                    path.unlink()
        self.start()

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
