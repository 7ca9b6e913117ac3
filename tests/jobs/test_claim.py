"""The claim, the schedule gate, finalize with the breaker, the reaper and cancel, against PostgreSQL
(no workers: these call the services the tasks call, with an injected clock)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import utcnow
from app.dispatch import BEAT_TICK_KEY
from app.models import AccountRun, Run, Task
from app.models.enums import AccountRunStatus, RunStatus, TaskStatus, Trigger
from app.services import runs
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.support.factories import Mailbox, TaskOnPair, dovecot_task
from tests.support.rows import get_task, runs_of

STALE = timedelta(seconds=4)
QUEUE_TIMEOUT = timedelta(hours=1)


def _mailbox(n: int = 1) -> list[Mailbox]:
    return [Mailbox(f"src{i}", f"dst{i}") for i in range(n)]


def test_scheduled_run_fires_once_anchor_plus_interval_has_passed(
    task_on_pair: TaskOnPair, clean_db: Engine
) -> None:
    anchor = utcnow() - timedelta(minutes=30)
    built = task_on_pair(_mailbox(2), interval=3600, anchor=anchor)
    due = anchor + timedelta(seconds=3600)
    with Session(clean_db) as session, session.begin():
        assert runs.claim_due_runs(session, due - timedelta(seconds=1)) == []
    with Session(clean_db) as session, session.begin():
        claimed = runs.claim_due_runs(session, due + timedelta(seconds=1))
    assert [(c.task_id, c.trigger, c.account_ids) for c in claimed] == [
        (built.task_id, Trigger.SCHEDULED, tuple(built.account_ids))
    ]
    [run] = runs_of(clean_db, built.task_id)
    assert run.trigger == Trigger.SCHEDULED and run.scheduled_for == due
    assert get_task(clean_db, built.task_id).status == TaskStatus.RUNNING
    with Session(clean_db) as session, session.begin():  # never while running
        assert runs.claim_due_runs(session, due + timedelta(hours=5)) == []
    # The next one is one interval after this run *finished*, not after it started.
    finished = due + timedelta(minutes=20)
    _finish_accounts(clean_db, run.id, errors=0)
    with Session(clean_db) as session, session.begin():
        outcome = runs.finalize_run(session, run.id, finished)
    assert outcome is not None and outcome.status == RunStatus.DONE and not outcome.broke
    assert get_task(clean_db, built.task_id).next_due_at == finished + timedelta(hours=1)


def _finish_accounts(engine: Engine, run_id: int, errors: int, status: str = AccountRunStatus.OK) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(AccountRun)
            .where(AccountRun.run_id == run_id)
            .values(status=status, copied=5, errors=errors, finished_at=utcnow())
        )


def test_two_scans_at_once_start_each_task_once(task_on_pair: TaskOnPair, clean_db: Engine) -> None:
    anchor = utcnow() - timedelta(hours=2)
    tasks = [task_on_pair(_mailbox(), interval=3600, anchor=anchor) for _ in range(30)]
    barrier = threading.Barrier(6)
    claimed: list[int] = []

    def scan() -> None:
        barrier.wait()
        with Session(clean_db) as session, session.begin():
            found = runs.claim_due_runs(session, utcnow(), limit=10)  # small batches: the scans interleave
        while found:
            claimed.extend(c.task_id for c in found)
            with Session(clean_db) as session, session.begin():
                found = runs.claim_due_runs(session, utcnow(), limit=10)

    threads = [threading.Thread(target=scan) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(t.task_id for t in tasks)
    with Session(clean_db) as session:
        assert session.scalar(select(func.count()).select_from(Run)) == 30


def test_manual_run_gate_and_the_one_open_run(
    task_on_pair: TaskOnPair, api: ApiClient, clean_db: Engine
) -> None:
    untested = task_on_pair(_mailbox(2), tested=False)
    response = api.post(f"/api/tasks/{untested.task_id}/run")
    assert response.status_code == 409 and "connection test" in response.json["error"]["message"]
    empty = task_on_pair([])
    assert api.post(f"/api/tasks/{empty.task_id}/run").status_code == 409
    assert api.post("/api/tasks/999/run").status_code == 404
    assert runs_of(clean_db, untested.task_id) == [] and runs_of(clean_db, empty.task_id) == []
    ready = task_on_pair(_mailbox(1))
    with Session(clean_db) as session, session.begin():
        first = runs.claim_manual_run(session, ready.task_id, utcnow())
    assert api.post(f"/api/tasks/{ready.task_id}/run").status_code == 409  # already running
    assert [r.id for r in runs_of(clean_db, ready.task_id)] == [first.run_id]


def test_schedule_presets_gate_and_broken(task_on_pair: TaskOnPair, api: ApiClient, clean_db: Engine) -> None:
    built = task_on_pair(_mailbox(2), tested=False)
    url = f"/api/tasks/{built.task_id}/schedule"
    assert api.put(url, json={"interval_seconds": 7200}).status_code == 400  # not a preset
    assert api.put(url, json={"interval_seconds": -1}).status_code == 400
    assert api.put(url, json={"interval_seconds": "3600"}).status_code == 422
    assert api.put(url, json={"interval_seconds": 3600}).status_code == 409  # untested accounts
    task = get_task(clean_db, built.task_id)
    assert (task.schedule_interval_seconds, task.schedule_anchor, task.next_due_at) == (0, None, None)
    with clean_db.begin() as conn:
        conn.execute(update(Task).where(Task.id == built.task_id).values(broken=True))
    assert api.put(url, json={"interval_seconds": 0}).status_code == 204  # always allowed, clears broken
    assert get_task(clean_db, built.task_id).broken is False
    ok = task_on_pair(_mailbox(1))
    before = utcnow()
    assert api.put(f"/api/tasks/{ok.task_id}/schedule", json={"interval_seconds": 10800}).status_code == 204
    task = get_task(clean_db, ok.task_id)
    assert task.schedule_interval_seconds == 10800 and task.schedule_anchor is not None
    assert task.schedule_anchor >= before and task.next_due_at == task.schedule_anchor + timedelta(hours=3)
    listed = api.get(f"/api/tasks/{ok.task_id}").json["task"]
    assert listed["next_run_at"] is not None and listed["schedule_interval_seconds"] == 10800


def test_breaker_trips_only_on_scheduled_runs_with_errors(
    clean_db: Engine, src_server: ImapServer, dst_server: ImapServer
) -> None:
    for trigger, errors, breaks in (
        (Trigger.MANUAL, 3, False),
        (Trigger.SCHEDULED, 0, False),
        (Trigger.SCHEDULED, 2, True),
    ):
        built = dovecot_task(
            clean_db, src_server, dst_server, _mailbox(1), interval=3600, anchor=utcnow() - timedelta(hours=2)
        )
        with Session(clean_db) as session, session.begin():
            if trigger == Trigger.MANUAL:
                run_id = runs.claim_manual_run(session, built.task_id, utcnow()).run_id
            else:
                run_id = runs.claim_due_runs(session, utcnow())[0].run_id
        _finish_accounts(
            clean_db, run_id, errors, AccountRunStatus.PARTIAL if errors else AccountRunStatus.OK
        )
        with Session(clean_db) as session, session.begin():
            outcome = runs.finalize_run(session, run_id, utcnow())
            assert runs.finalize_run(session, run_id, utcnow()) is None  # idempotent
        assert outcome is not None and outcome.broke is breaks and outcome.total_errors == errors
        task = get_task(clean_db, built.task_id)
        assert task.broken is breaks
        assert (task.schedule_interval_seconds == 0) is breaks and (task.next_due_at is None) is breaks


def test_reaper_abandons_a_run_whose_worker_died_without_tripping_the_breaker(
    clean_db: Engine, src_server: ImapServer, dst_server: ImapServer
) -> None:
    built = dovecot_task(
        clean_db, src_server, dst_server, _mailbox(2), interval=3600, anchor=utcnow() - timedelta(hours=2)
    )
    with Session(clean_db) as session, session.begin():
        [claimed] = runs.claim_due_runs(session, utcnow())
    now = utcnow()
    with clean_db.begin() as conn:  # one job started and went silent; the other was never picked up
        conn.execute(
            update(AccountRun)
            .where(AccountRun.run_id == claimed.run_id, AccountRun.account_id == built.account_ids[0])
            .values(status=AccountRunStatus.RUNNING, started_at=now, heartbeat_at=now, errors=1)
        )
    with Session(clean_db) as session, session.begin():
        assert runs.reap_stale_runs(session, now + timedelta(seconds=2), STALE, QUEUE_TIMEOUT) == []
    later = now + timedelta(seconds=10)
    with Session(clean_db) as session, session.begin():
        [outcome] = runs.reap_stale_runs(session, later, STALE, QUEUE_TIMEOUT)
    assert outcome.status == RunStatus.ABANDONED and outcome.broke is False
    task = get_task(clean_db, built.task_id)
    assert task.status == TaskStatus.FAILED and not task.broken
    assert task.next_due_at == later + timedelta(hours=1)  # schedulable again


def test_reaper_finalizes_a_run_whose_chord_callback_never_fired(
    task_on_pair: TaskOnPair, clean_db: Engine
) -> None:
    built = task_on_pair(_mailbox(2))
    with Session(clean_db) as session, session.begin():
        claimed = runs.claim_manual_run(session, built.task_id, utcnow())
    _finish_accounts(clean_db, claimed.run_id, errors=0)
    with Session(clean_db) as session, session.begin():  # the callback may still be on its way
        assert runs.reap_stale_runs(session, utcnow(), STALE, QUEUE_TIMEOUT) == []
    with Session(clean_db) as session, session.begin():
        [outcome] = runs.reap_stale_runs(session, utcnow() + 2 * STALE, STALE, QUEUE_TIMEOUT)
    assert outcome.status == RunStatus.DONE and outcome.total_copied == 10


def test_cancel_with_nothing_running_closes_the_run_at_once(
    task_on_pair: TaskOnPair, api: ApiClient, clean_db: Engine
) -> None:
    built = task_on_pair(_mailbox(3))
    assert api.post(f"/api/tasks/{built.task_id}/cancel").status_code == 409  # nothing to cancel
    with Session(clean_db) as session, session.begin():
        claimed = runs.claim_manual_run(session, built.task_id, utcnow())
    response = api.post(f"/api/tasks/{built.task_id}/cancel")
    assert response.status_code == 202 and response.json == {"run_id": claimed.run_id, "status": "cancelled"}
    detail = api.get(f"/api/runs/{claimed.run_id}").json
    assert detail["run"]["status"] == "cancelled"
    assert {a["status"] for a in detail["accounts"]} == {"cancelled"}
    assert get_task(clean_db, built.task_id).status == TaskStatus.CANCELLED


def test_readyz_reports_a_stale_scheduler(app: Flask, anon: FlaskClient) -> None:
    client = app.extensions["imapcopier"].redis
    client.set(BEAT_TICK_KEY, str(time.time()))
    assert anon.get("/readyz").json["checks"]["scheduler"] == "ok"
    client.set(BEAT_TICK_KEY, str(time.time() - 10))  # scan interval 1 s in these tests: 10 are missed
    ready = anon.get("/readyz")
    assert ready.status_code == 503 and ready.json["checks"]["scheduler"].startswith("stale")
