"""The e2e suite's own corner of the local services, the built UI, and the web process.

Several engineers run test suites on this machine at once, and the other suites truncate the shared
test database and flush the test Redis db. The browser tests therefore use a database and Redis dbs
of their own (event channels name their Redis db, app/events.py, so live events stay apart too).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, make_url, pool, text

from app.config import REPO_ROOT
from tests.settings import test_database_url, test_redis_url

FRONTEND = REPO_ROOT / "frontend"
# Above the test Redis db: +1 is the broker of tests/jobs; the e2e suite takes +3 and +4.
EVENTS_DB_OFFSET = 3
BROKER_DB_OFFSET = 4
WEB_READY_TIMEOUT = 30.0


def _redis_db(offset: int) -> str:
    url = test_redis_url()
    match = re.search(r"/(\d+)$", url)
    db = int(match.group(1)) if match else 0
    return re.sub(r"/\d+$", "", url) + f"/{db + offset}"


def e2e_redis_url() -> str:
    return _redis_db(EVENTS_DB_OFFSET)


def e2e_broker_url() -> str:
    return _redis_db(BROKER_DB_OFFSET)


def e2e_database_url() -> str:
    url = make_url(test_database_url())
    return url.set(database=f"{url.database}_e2e").render_as_string(hide_password=False)


def prepare_database(url: str) -> None:
    """Create the database if it does not exist, and migrate it to head."""
    target = make_url(url)
    admin = create_engine(
        target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
    )
    with admin.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def _newest_source_mtime() -> float:
    sources = [
        FRONTEND / name for name in ("index.html", "package.json", "package-lock.json", "vite.config.ts")
    ]
    for folder in ("src", "public"):
        sources.extend(p for p in (FRONTEND / folder).rglob("*") if p.is_file())
    return max(p.stat().st_mtime for p in sources if p.exists())


def build_frontend_if_stale() -> Path:
    """frontend/dist, rebuilt when missing or older than any source file."""
    index = FRONTEND / "dist" / "index.html"
    if not index.exists() or index.stat().st_mtime < _newest_source_mtime():
        if not (FRONTEND / "node_modules").is_dir():
            subprocess.run(["npm", "ci"], cwd=FRONTEND, check=True, capture_output=True)
        build = subprocess.run(["npm", "run", "build"], cwd=FRONTEND, capture_output=True, text=True)
        assert build.returncode == 0, f"npm run build failed:\n{build.stdout[-3000:]}\n{build.stderr[-3000:]}"
    return index.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class WebProcess:
    """gunicorn with threads, as in production (a websocket holds a thread for its whole life)."""

    def __init__(self, env: dict[str, str], log_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.log_path = log_dir / "web.log"
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        args = ["--worker-class", "gthread", "--threads", "16", "-w", "1", "-b", f"127.0.0.1:{self.port}"]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [gunicorn, *args, "app.wsgi:app"],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WEB_READY_TIMEOUT
        while True:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                log = self.log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"gunicorn did not start:\n{log}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
