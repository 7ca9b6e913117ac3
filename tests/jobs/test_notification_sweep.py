"""The delivery safety net: lost jobs are handed out again, an interrupted send is retried, a
removed channel fails at once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.db import utcnow
from app.models import Notification
from app.services.notifications import delivery, records, sweep
from tests.jobs.notify_helpers import notifications
from tests.support.factories import BOX


def _add(engine: Engine, key: str, **values: object) -> int:
    now = utcnow()
    with Session(engine) as session, session.begin():
        new_id = records.add(
            session,
            key,
            kind="test",
            channel="email",
            target="ops@example.test",
            subject="s",
            payload={},
            now=now,
        )
        assert new_id is not None
        if values:
            session.execute(update(Notification).where(Notification.id == new_id).values(**values))
        return new_id


def test_lost_and_interrupted_deliveries_are_handed_out_again(clean_db: Engine) -> None:
    now = utcnow()
    old = now - timedelta(minutes=10)
    lost = _add(clean_db, "a", created_at=old)
    fresh = _add(clean_db, "b")  # its job is probably still in the queue
    late = _add(clean_db, "c", status="retrying", next_attempt_at=old)
    waiting = _add(clean_db, "d", status="retrying", next_attempt_at=now + timedelta(minutes=5))
    stuck = _add(clean_db, "e", status="sending", claimed_at=old)
    sending = _add(clean_db, "f", status="sending", claimed_at=now)
    _add(clean_db, "g", status="sent", created_at=old)
    with Session(clean_db) as session, session.begin():
        ids = sweep.lost_deliveries(session, now)
    assert ids == [lost, late, stuck]
    rows = {row.id: row for row in notifications(clean_db)}
    assert rows[stuck].status == "retrying" and rows[stuck].attempts[-1]["ok"] is False
    assert {rows[i].status for i in (fresh, waiting, sending)} == {"pending", "retrying", "sending"}


def test_a_removed_channel_fails_at_once(clean_db: Engine) -> None:
    row_id = _add(clean_db, "gone")  # no e-mail settings at all
    sessions = sessionmaker(bind=clean_db, expire_on_commit=False)
    result = delivery.deliver(sessions, BOX, row_id, utcnow, 1.0)
    assert result.outcome == delivery.Outcome.FAILED
    [row] = notifications(clean_db)
    assert row.status == "failed" and row.attempts[0]["error"] == delivery.NO_EMAIL
    assert delivery.deliver(sessions, BOX, row_id, utcnow, 1.0).outcome == delivery.Outcome.SKIPPED
