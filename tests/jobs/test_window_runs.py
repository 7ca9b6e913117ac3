"""Scheduled runs that wait for their daily window: the claim with an injected clock, and one run on
the real stack (beat + worker + Dovecot) whose clock is moved through the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import utcnow
from app.models import Task
from app.models.enums import RunStatus, Trigger
from app.services import due, runs, schedules
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.support.factories import Mailbox, dovecot_task
from tests.support.processes import WorkerPool
from tests.support.rows import get_task, runs_of, wait_finished, wait_for


def _set_window(engine: Engine, task_id: int, window: dict[str, str]) -> Task:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        task = session.get(Task, task_id)
        assert task is not None
        task.schedule_window = window
        schedules.replace_next_due(session, task)
        return task


def test_due_outside_the_window_waits_for_its_opening(
    clean_db: Engine, src_server: ImapServer, dst_server: ImapServer
) -> None:
    anchor = datetime(2026, 1, 10, 11, 0, tzinfo=UTC)  # seed due 12:00 UTC = 13:00 in Berlin
    built = dovecot_task(clean_db, src_server, dst_server, [Mailbox("s", "d")], interval=3600, anchor=anchor)
    task = _set_window(clean_db, built.task_id, {"start": "22:00", "end": "06:00", "tz": "Europe/Berlin"})
    opening = datetime(2026, 1, 10, 21, 0, tzinfo=UTC)
    assert task.next_due_at == opening
    with Session(clean_db) as session, session.begin():
        assert runs.claim_due_runs(session, datetime(2026, 1, 10, 20, 59, tzinfo=UTC)) == []
    # Missed the whole window (workers down all night): not claimed after it closed, moved on instead.
    morning = datetime(2026, 1, 11, 5, 0, tzinfo=UTC)
    with Session(clean_db) as session, session.begin():
        assert runs.claim_due_runs(session, morning) == []
        assert due.reseat_missed_windows(session, morning) == 1
    assert get_task(clean_db, built.task_id).next_due_at == opening + timedelta(days=1)
    with Session(clean_db) as session, session.begin():
        [claimed] = runs.claim_due_runs(session, opening + timedelta(days=1, minutes=1))
    assert claimed.trigger == Trigger.SCHEDULED and claimed.task_id == built.task_id


@pytest.mark.celery
@pytest.mark.imap
def test_scheduled_run_on_the_real_stack_waits_for_its_window(
    api: ApiClient,
    one_worker: WorkerPool,
    beat_process: None,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    loaded_source: object,
    imap_user: str,
    dst_users: list[str],
) -> None:
    now = utcnow()
    anchor = now - timedelta(hours=1, seconds=5)  # the seed says: due now
    built = dovecot_task(
        clean_db, src_server, dst_server, [Mailbox(imap_user, dst_users[0])], interval=3600, anchor=anchor
    )
    opens = (now + timedelta(hours=2)).replace(second=0, microsecond=0)
    closes = opens + timedelta(hours=1)
    window = {"start": opens.strftime("%H:%M"), "end": closes.strftime("%H:%M"), "tz": "UTC"}
    _set_window(clean_db, built.task_id, window)
    shown = api.get(f"/api/tasks/{built.task_id}").json["task"]["next_run_at"]
    assert shown == opens.strftime("%Y-%m-%dT%H:%M:%SZ")
    beat_ticks = wait_for(lambda: api.get("/readyz").json["checks"]["scheduler"] == "ok", 20, "beat")
    assert beat_ticks and runs_of(clean_db, built.task_id) == []
    # Two hours pass: move the stored start and close back by that much, as the clock would.
    gap = opens - utcnow() + timedelta(seconds=1)
    with clean_db.begin() as conn:
        conn.execute(
            update(Task)
            .where(Task.id == built.task_id)
            .values(next_due_at=Task.next_due_at - gap, due_window_closes_at=Task.due_window_closes_at - gap)
        )
    [run] = wait_for(lambda: runs_of(clean_db, built.task_id), 20, "beat to start the run in its window")
    run = wait_finished(clean_db, run.id)
    assert (run.trigger, run.status) == (Trigger.SCHEDULED, RunStatus.DONE)
    task = get_task(clean_db, built.task_id)
    # The next is due an hour after this finish (the real clock), before the window: at its opening.
    assert task.next_due_at == opens and task.due_window_closes_at == closes
