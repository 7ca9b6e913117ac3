"""The e2e suite's own corner of the local services, and the built UI.

Several engineers run test suites on this machine at once, and the other suites truncate the shared
test database and flush the test Redis db. The browser tests therefore use a database and Redis dbs
of their own (event channels name their Redis db, app/events.py, so live events stay apart too).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import make_url

from app.config import REPO_ROOT
from tests.settings import test_database_url, test_redis_url
from tests.support.processes import redis_db_url

FRONTEND = REPO_ROOT / "frontend"
# Above the test Redis db: +1 is the broker of tests/jobs; the e2e suite takes +3 and +4.
EVENTS_DB_OFFSET = 3
BROKER_DB_OFFSET = 4


def e2e_redis_url() -> str:
    return redis_db_url(test_redis_url(), EVENTS_DB_OFFSET)


def e2e_broker_url() -> str:
    return redis_db_url(test_redis_url(), BROKER_DB_OFFSET)


def e2e_database_url() -> str:
    url = make_url(test_database_url())
    return url.set(database=f"{url.database}_e2e").render_as_string(hide_password=False)


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
