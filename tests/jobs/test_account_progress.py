"""Live account totals while the engine copies two folders at once (two connection pairs), the pace
(rates, ETA) the worker measures and sends in the progress events, and the error items saved while the
account runs."""

from __future__ import annotations

import time
from dataclasses import replace

import redis
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import utcnow
from app.schemas.events import TASK_EVENT, ProgressEvent
from app.services import runs
from app.services.runs import account_runs
from app.services.runs.account_runs import Counters
from tests.jobs.listen import EventLog
from tests.support.factories import offline_task
from tests.support.rows import account_runs as account_runs_of
from workers.engine.events import ErrorFound, FolderDone, FolderStarted, PlanMade, Progress
from workers.engine.results import ErrorRecord, FolderPlanItem, FolderResult
from workers.events import JobEvents
from workers.jobs.budget import MB, budget_warning, daily_budget
from workers.jobs.progress import AccountProgress
from workers.jobs.rates import SlidingRate


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


class _Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_events_carry_the_pace_the_worker_measured(settings: Settings, clean_db: Engine) -> None:
    client: redis.Redis[bytes] = redis.Redis.from_url(settings.redis_url)
    clock = _Clock()
    events = JobEvents(client, task_id=9, run_id=1, account_id=2, interval=0)
    progress = AccountProgress(sessionmaker(clean_db), 0, Counters(), events, rate=SlidingRate(clock=clock))
    item = FolderPlanItem(src="INBOX", dst="INBOX", reason="inbox", dst_exists=True, messages=100, size=5000)
    with EventLog(settings.redis_url, task_id=9) as log:
        progress.on_event(PlanMade((item,), ()))
        for second in range(5):  # 10 messages (500 bytes) a second
            clock.now = float(second)
            progress.on_event(_progress("INBOX", 10 * second))
        deadline = time.monotonic() + 10
        while len(log.of("progress")) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
    plan = log.of("plan")[0]["data"]
    assert (plan["planned_messages"], plan["planned_bytes"]) == (100, 5000)
    last = TASK_EVENT.validate_python(log.of("progress")[-1])
    assert isinstance(last, ProgressEvent) and last.data.account is not None
    pace = last.data.account
    assert (pace.msgs_per_s, pace.bytes_per_s, pace.eta_seconds) == (10.0, 100.0, 6.0)


def test_error_items_are_saved_while_the_account_runs(settings: Settings, clean_db: Engine) -> None:
    with Session(clean_db, expire_on_commit=False) as session, session.begin():
        built = offline_task(session)
        claimed = runs.claim_manual_run(session, built.task_id, utcnow())
        job = account_runs.load_job(session, claimed.run_id, built.account_ids[0])
        assert job is not None
        account_runs.start(session, job.account_run_id, None, utcnow())
    client: redis.Redis[bytes] = redis.Redis.from_url(settings.redis_url)
    progress = AccountProgress(
        sessionmaker(clean_db), job.account_run_id, Counters(), JobEvents(client, task_id=0)
    )
    refused = ErrorRecord(
        code="message_refused", reason="too big", folder="INBOX", uid=7, side="dst", kind="size"
    )
    progress.on_event(ErrorFound(refused))
    [row] = account_runs_of(clean_db, claimed.run_id)
    assert row.status == "running"  # still running, and a reloaded page reads the error already
    assert row.error_list == [refused.model_dump()]
    assert row.error_list[0]["side"] == "dst" and row.error_list[0]["kind"] == "size"


def test_an_account_bigger_than_a_days_upload_budget_gets_a_budget_warning(
    settings: Settings, clean_db: Engine
) -> None:
    with Session(clean_db, expire_on_commit=False) as session, session.begin():
        built = offline_task(session)
        claimed = runs.claim_manual_run(session, built.task_id, utcnow())
        job = account_runs.load_job(session, claimed.run_id, built.account_ids[0])
        assert job is not None
        account_runs.start(session, job.account_run_id, None, utcnow())
    gmail = replace(job.login.dst, provider="gmail")
    assert daily_budget(gmail) == 500 * MB  # the documented default
    assert daily_budget(replace(gmail, daily_upload_mb=2)) == 2 * MB
    assert daily_budget(job.login.dst) is None  # a generic endpoint has no budget
    client: redis.Redis[bytes] = redis.Redis.from_url(settings.redis_url)
    events = JobEvents(client, task_id=0)
    sessions = sessionmaker(clean_db)
    progress = AccountProgress(sessions, job.account_run_id, Counters(), events, daily_budget=2 * MB)
    size = 5 * MB
    item = FolderPlanItem(src="INBOX", dst="INBOX", reason="inbox", dst_exists=True, messages=10, size=size)
    progress.on_event(PlanMade((item,), ()))
    [row] = account_runs_of(clean_db, claimed.run_id)
    [warning] = row.warnings
    assert (warning["kind"], warning["count"]) == ("budget", 3)
    assert "planned over 3 days" in warning["message"]
    assert budget_warning(2 * MB, 2 * MB) is None and budget_warning(None, 2 * MB) is None


def test_the_per_folder_view_is_saved_while_the_account_runs(settings: Settings, clean_db: Engine) -> None:
    with Session(clean_db, expire_on_commit=False) as session, session.begin():
        built = offline_task(session)
        claimed = runs.claim_manual_run(session, built.task_id, utcnow())
        job = account_runs.load_job(session, claimed.run_id, built.account_ids[0])
        assert job is not None
        account_runs.start(session, job.account_run_id, None, utcnow())
    client: redis.Redis[bytes] = redis.Redis.from_url(settings.redis_url)
    progress = AccountProgress(
        sessionmaker(clean_db), job.account_run_id, Counters(), JobEvents(client, task_id=0), save_every=0
    )
    items = tuple(
        FolderPlanItem(
            src=name, dst=name, reason="translated", dst_exists=True, messages=100, pending=pending
        )
        for name, pending in (("INBOX", None), ("Archive", 40), ("Notes", 0))
    )
    progress.on_event(PlanMade(items, ()))
    [row] = account_runs_of(clean_db, claimed.run_id)
    assert [(f["folder"], f["state"], f["planned"]) for f in row.live_folders] == [
        ("INBOX", "planned", 100),
        ("Archive", "planned", 40),
        ("Notes", "planned", 0),
    ]
    progress.on_event(FolderStarted(folder="INBOX", dst_folder="INBOX"))
    progress.on_event(_progress("INBOX", 30))
    progress.on_event(
        FolderDone(
            FolderResult(folder="Archive", dst_folder="Archive", status="partial", copied=39, errors=1)
        )
    )
    [row] = account_runs_of(clean_db, claimed.run_id)
    assert row.status == "running"
    states = {f["folder"]: (f["state"], f["copied"], f["errors"], f["status"]) for f in row.live_folders}
    assert states == {
        "INBOX": ("running", 30, 0, None),
        "Archive": ("done", 39, 1, "partial"),
        "Notes": ("planned", 0, 0, None),
    }
