"""Live account totals while the engine copies two folders at once (two connection pairs)."""

from __future__ import annotations

import redis
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from app.config import Settings
from app.services.runs.account_runs import Counters
from workers.engine.events import FolderDone, Progress
from workers.engine.results import FolderResult
from workers.events import JobEvents
from workers.jobs.progress import AccountProgress


def _progress(folder: str, copied: int) -> Progress:
    return Progress(
        folder=folder, copied=copied, skipped=0, errors=0, bytes=copied * 10, done=copied, total=100
    )


def test_totals_add_up_folders_copied_at_the_same_time(settings: Settings, clean_db: Engine) -> None:
    client: redis.Redis[bytes] = redis.Redis.from_url(settings.redis_url)
    progress = AccountProgress(sessionmaker(clean_db), 0, Counters(copied=5), JobEvents(client, task_id=0))
    progress.on_event(_progress("INBOX", 30))
    progress.on_event(_progress("Archive", 20))
    progress.on_event(_progress("INBOX", 40))
    assert progress.totals().copied == 5 + 40 + 20
    progress.on_event(
        FolderDone(FolderResult(folder="Archive", dst_folder="INBOX.Archive", status="ok", copied=25))
    )
    assert progress.totals().copied == 5 + 40 + 25
    progress.on_event(FolderDone(FolderResult(folder="INBOX", dst_folder="INBOX", status="ok", copied=50)))
    assert (progress.totals().copied, progress.totals().bytes) == (5 + 50 + 25, 0)
