"""Notification jobs on the default queue: create a finished run's notifications, deliver one (with
back-off retries for up to a day), and the daily digest. Nothing here runs inside finalize."""

from __future__ import annotations

import logging

from celery import Task as CeleryTask

from app.db import utcnow
from app.dispatch import (
    DELIVER_NOTIFICATION,
    NOTIFY_RUN,
    SEND_DIGEST,
    SWEEP_NOTIFICATIONS,
    deliver_notifications,
)
from app.logging_setup import log_context
from app.services.notifications import delivery, digest, run_events, sweep
from workers import context
from workers.celery_app import SHORT_LIMIT, SHORT_SOFT_LIMIT, celery_app, short_job

logger = logging.getLogger(__name__)


@short_job(NOTIFY_RUN)
def notify_run(run_id: int, broke: bool) -> int:
    """Create the run's notifications (idempotent by their dedup keys), then enqueue their delivery."""
    res = context.resources()
    with log_context(run_id=run_id), res.sessions.begin() as session:
        ids = run_events.for_run(session, res.box, run_id, broke, utcnow(), res.settings.public_base_url)
    deliver_notifications(celery_app, ids)
    return len(ids)


# Not acks_late: a worker lost mid-send leaves the row `sending` rather than sending it twice.
@celery_app.task(
    bind=True,
    name=DELIVER_NOTIFICATION,
    ignore_result=True,
    time_limit=SHORT_LIMIT,
    soft_time_limit=SHORT_SOFT_LIMIT,
    max_retries=None,
)
def deliver(self: CeleryTask, notification_id: int) -> str:  # type: ignore[type-arg]
    """Send one notification; on a channel failure, retry with exponential back-off (Celery countdown)."""
    res = context.resources()
    settings = res.settings
    result = delivery.deliver(
        res.sessions,
        res.box,
        notification_id,
        utcnow,
        settings.notify_retry_base_seconds,
        settings.smtp_ca_file,
    )
    if result.outcome == delivery.Outcome.RETRY:
        raise self.retry(countdown=result.retry_in)
    return result.outcome.value


@short_job(SEND_DIGEST)
def send_digest() -> int:
    """The daily digest (beat); a second tick the same day creates nothing new."""
    res = context.resources()
    with res.sessions.begin() as session:
        ids = digest.for_day(session, res.box, utcnow())
    deliver_notifications(celery_app, ids)
    return len(ids)


@short_job(SWEEP_NOTIFICATIONS)
def sweep_notifications() -> int:
    """Beat: hand out again the notifications whose delivery job was lost."""
    res = context.resources()
    with res.sessions.begin() as session:
        ids = sweep.lost_deliveries(session, utcnow())
    deliver_notifications(celery_app, ids)
    return len(ids)
