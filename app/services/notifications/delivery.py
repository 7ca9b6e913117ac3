"""Delivering one notification: claim it (a conditional UPDATE), send without a transaction open,
record the attempt; retried with exponential back-off until a day after it was created."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from app.crypto import SecretBox
from app.models import Notification
from app.services.notifications import channels, transport

logger = logging.getLogger(__name__)
RETRY_FOR = timedelta(days=1)
MAX_BACKOFF_SECONDS = 3600.0
NO_EMAIL = "e-mail is no longer configured"
NO_WEBHOOK = "this webhook is no longer configured"
UNCONFIGURED = frozenset({NO_EMAIL, NO_WEBHOOK})


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"  # already sent, or being sent by another worker


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    retry_in: float = 0.0


def backoff(attempts: int, base: float) -> float:
    return float(min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def deliver(
    sessions: sessionmaker[Session],
    box: SecretBox,
    notification_id: int,
    clock: Callable[[], datetime],
    base_backoff: float,
    ca_file: str | None = None,
) -> Result:
    with sessions.begin() as session:
        claimed = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status.in_(("pending", "retrying")))
            .values(status="sending", claimed_at=clock())
            .returning(Notification)
        ).scalar_one_or_none()
        if claimed is None:
            return Result(Outcome.SKIPPED)
        row = channels.load(session)
        smtp = channels.smtp_channel(row, box) if claimed.channel == "email" else None
        secret = channels.webhook_secret(row, box, claimed.target) if claimed.channel == "webhook" else None
    error = _send(claimed, smtp, secret, clock, ca_file)
    now = clock()
    attempts = [*claimed.attempts, {"at": now.isoformat(), "ok": error is None, "error": error}]
    next_at = None
    if error is None:
        status, result = "sent", Result(Outcome.SENT)
    else:
        wait = backoff(len(attempts), base_backoff)
        # A channel removed from the settings will not come back by waiting: fail at once.
        gives_up = error in UNCONFIGURED or now + timedelta(seconds=wait) > claimed.created_at + RETRY_FOR
        status = "failed" if gives_up else "retrying"
        result = Result(Outcome.FAILED) if gives_up else Result(Outcome.RETRY, wait)
        next_at = None if gives_up else now + timedelta(seconds=wait)
    with sessions.begin() as session:
        session.execute(
            update(Notification)
            .where(Notification.id == notification_id)
            .values(
                status=status,
                attempts=attempts,
                sent_at=now if error is None else None,
                next_attempt_at=next_at,
            )
        )
    logger.info(
        "notifications.attempt id=%s channel=%s kind=%s status=%s attempt=%d",
        notification_id, claimed.channel, claimed.kind, status, len(attempts),
    )  # fmt: skip
    return result


def _send(
    row: Notification,
    smtp: channels.SmtpChannel | None,
    secret: str | None,
    clock: Callable[[], datetime],
    ca_file: str | None,
) -> str | None:
    """None when sent, else the (secret-free) reason."""
    try:
        if row.channel == "email":
            if smtp is None:
                return NO_EMAIL
            to = [address.strip() for address in row.target.split(",") if address.strip()]
            transport.send_email(smtp, to, row.subject, transport.render_text(row.payload), ca_file)
        else:
            if secret is None:
                return NO_WEBHOOK
            body = transport.encode({**row.payload, "notification_id": row.id})
            transport.post_webhook(row.target, secret, body, int(clock().timestamp()), row.kind)
    except transport.DeliveryError as exc:
        return str(exc)
    return None
