"""Notifications for a finished run: `task_broken` (once per trip, never throttled; it replaces the
run-failed notice of that run) or `run_failed` (at most once per task per hour; the digest has the rest).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.crypto import SecretBox
from app.models import Account, AccountRun, Notification, Run, Task
from app.models.enums import RunStatus
from app.schemas.notifications import FailedAccount, PayloadRun, PayloadTask, WebhookPayload
from app.services.notifications import records

logger = logging.getLogger(__name__)
THROTTLE = timedelta(hours=1)
MAX_ACCOUNTS, MAX_ERRORS = 50, 10


def for_run(
    session: Session, box: SecretBox, run_id: int, broke: bool, now: datetime, base_url: str
) -> list[int]:
    """Create the run's notifications (one per channel); returns the ids to deliver."""
    run = session.get(Run, run_id)
    task = session.get(Task, run.task_id) if run is not None else None
    if run is None or task is None or run.finished_at is None:
        return []
    if broke:
        kind = "task_broken"
    elif run.status == RunStatus.FAILED:
        kind = "run_failed"
        recent = exists().where(
            Notification.task_id == task.id,
            Notification.kind == kind,
            Notification.created_at > now - THROTTLE,
        )
        if session.scalar(select(recent)):
            logger.info("notifications.throttled task_id=%s run_id=%s kind=%s", task.id, run_id, kind)
            return []
    else:
        return []
    payload = _payload(session, kind, task, run, now, base_url)
    subject = f"[IMAP Copier] {payload.summary}"
    data = payload.model_dump(mode="json", exclude={"notification_id"})
    ids = records.fan_out(
        session,
        box,
        f"{kind}:run:{run_id}",
        kind=kind,
        subject=subject,
        payload=data,
        now=now,
        task=task,
        run_id=run_id,
    )
    logger.info("notifications.created run_id=%s kind=%s count=%d", run_id, kind, len(ids))
    return ids


def _payload(
    session: Session, kind: str, task: Task, run: Run, now: datetime, base_url: str
) -> WebhookPayload:
    rows = session.execute(
        select(AccountRun, Account.src_username, Account.dst_username)
        .join(Account, Account.id == AccountRun.account_id)
        .where(AccountRun.run_id == run.id, (AccountRun.errors > 0) | (AccountRun.status == "failed"))
        .order_by(AccountRun.account_id)
        .limit(MAX_ACCOUNTS)
    ).all()
    failed = [
        FailedAccount(
            account_id=row.account_id,
            src_username=src,
            dst_username=dst,
            errors=row.errors,
            first_error=row.error_summary or _first(row.error_list),
        )
        for row, src, dst in rows
    ]
    errors: list[str] = []
    for row, _src, _dst in rows:
        errors.extend(str(item.get("message", "")) for item in row.error_list[:MAX_ERRORS])
        if not row.error_list and row.error_summary:
            errors.append(row.error_summary)
    if kind == "task_broken":
        summary = (
            f"Schedule of task '{task.name}' turned off: scheduled run {run.id} ended with "
            f"{run.total_errors} error(s) in {len(failed)} account(s)"
        )
    else:
        summary = f"Run {run.id} of task '{task.name}' failed with {run.total_errors} error(s)"
    return WebhookPayload(
        event=kind,
        notification_id=0,
        created_at=now,
        summary=summary,
        task=PayloadTask(id=task.id, name=task.name),
        run=PayloadRun(
            id=run.id,
            trigger=run.trigger,
            status=run.status,
            started_at=run.started_at,
            finished_at=run.finished_at,
            total_copied=run.total_copied,
            total_errors=run.total_errors,
        ),
        failed_accounts=failed,
        errors=errors[:MAX_ERRORS],
        reenable_url=f"{base_url.rstrip('/')}/tasks/{task.id}" if kind == "task_broken" else None,
    )


def _first(items: list[dict[str, Any]]) -> str | None:
    return str(items[0].get("message")) if items else None
