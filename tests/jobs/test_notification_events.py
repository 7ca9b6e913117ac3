"""Which runs notify whom: task_broken once per trip and never throttled, run_failed at most once per
task per hour, the task's own recipients on top of the global ones (services on PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import utcnow
from app.models import Task
from app.services.notifications import run_events
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.jobs.notify_helpers import add_finished_run, configure, notifications
from tests.support.factories import BOX, Mailbox, dovecot_task

BASE = "https://copier.example.test"


def test_breaker_is_never_throttled_and_run_failed_is(
    api: ApiClient, clean_db: Engine, src_server: ImapServer, dst_server: ImapServer
) -> None:
    configure(api, 2525, ["ops@example.test"], hook_url="http://127.0.0.1:9/hook")
    built = dovecot_task(clean_db, src_server, dst_server, [Mailbox("alice", "alice2")])
    with clean_db.begin() as conn:
        conn.execute(
            update(Task).where(Task.id == built.task_id).values(notify_emails=["owner@example.test"])
        )
    now = utcnow()
    runs = [
        add_finished_run(
            clean_db,
            built.task_id,
            built.account_ids,
            trigger=trigger,
            finished_at=now,
            error="login refused",
        )
        for trigger in ("manual", "manual", "scheduled", "scheduled")
    ]

    def notify(run_id: int, broke: bool, at_minutes: int) -> list[int]:
        with Session(clean_db) as session, session.begin():
            return run_events.for_run(session, BOX, run_id, broke, now + timedelta(minutes=at_minutes), BASE)

    assert len(notify(runs[0], False, 0)) == 2  # e-mail + webhook
    assert notify(runs[1], False, 30) == []  # same kind, same task, within the hour
    assert len(notify(runs[2], True, 31)) == 2  # a trip is never throttled
    assert len(notify(runs[3], True, 32)) == 2
    assert notify(runs[3], True, 33) == []  # once per trip: a repeated finalize adds nothing
    rows = notifications(clean_db)
    assert [(r.kind, r.channel) for r in rows] == [
        ("run_failed", "email"), ("run_failed", "webhook"),
        ("task_broken", "email"), ("task_broken", "webhook"),
        ("task_broken", "email"), ("task_broken", "webhook"),
    ]  # fmt: skip
    email = rows[2]
    assert email.target == "ops@example.test, owner@example.test"
    assert email.payload["reenable_url"] == f"{BASE}/tasks/{built.task_id}"
    assert email.payload["run"]["id"] == runs[2] and email.payload["errors"] == ["login refused"]
    assert email.payload["failed_accounts"][0]["src_username"] == "alice"
    # An hour later the run-failed notice goes out again.
    failed_later = add_finished_run(
        clean_db, built.task_id, built.account_ids, trigger="manual", finished_at=now, error="x"
    )
    assert len(notify(failed_later, False, 61)) == 2
