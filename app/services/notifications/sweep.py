"""The safety net of delivery (beat): notifications whose delivery job was lost are handed out again.

A `pending` row whose job never ran (the broker lost it), a `retrying` row well past its next attempt
(the countdown message was lost), and a `sending` row whose worker died mid-send (marked as an
interrupted attempt, then retried: at worst that message arrives twice, never not at all).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.models import Notification

logger = logging.getLogger(__name__)
GRACE = timedelta(minutes=2)
SENDING_STALE = timedelta(minutes=5)  # above the delivery job's hard time limit
BATCH = 500


def lost_deliveries(session: Session, now: datetime) -> list[int]:
    """Ids to enqueue again; stale `sending` rows become `retrying` with an interrupted attempt."""
    stale = list(
        session.scalars(
            select(Notification)
            .where(Notification.status == "sending", Notification.claimed_at < now - SENDING_STALE)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
    )
    for row in stale:
        attempt = {"at": now.isoformat(), "ok": False, "error": "interrupted: the delivery job stopped"}
        row.attempts = [*row.attempts, attempt]
        row.status, row.next_attempt_at = "retrying", now
    ids = list(
        session.scalars(
            select(Notification.id)
            .where(
                or_(
                    and_(Notification.status == "pending", Notification.created_at < now - GRACE),
                    and_(Notification.status == "retrying", Notification.next_attempt_at < now - GRACE),
                )
            )
            .order_by(Notification.id)
            .limit(BATCH)
        )
    )
    ids = sorted({*ids, *(row.id for row in stale)})
    if ids:
        logger.warning("notifications.requeued count=%d interrupted=%d", len(ids), len(stale))
    return ids
