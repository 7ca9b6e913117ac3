"""Notification rows: created once per dedup key (idempotent), one per channel target, and listed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.crypto import SecretBox
from app.models import Notification, Task
from app.schemas.notifications import NotificationOut, WebhookPayload
from app.services.notifications import channels


def add(
    session: Session,
    dedup_key: str,
    *,
    kind: str,
    channel: str,
    target: str,
    subject: str,
    payload: dict[str, Any],
    now: datetime,
    task_id: int | None = None,
    run_id: int | None = None,
) -> int | None:
    """Insert one notification; None when one with this key exists already (a repeated event)."""
    values: dict[str, Any] = {
        "dedup_key": dedup_key[:600],
        "kind": kind,
        "channel": channel,
        "target": target,
        "subject": subject,
        "payload": payload,
        "task_id": task_id,
        "run_id": run_id,
        "status": "pending",
        "attempts": [],
        "created_at": now,
    }
    stmt = insert(Notification).values(**values).on_conflict_do_nothing(index_elements=["dedup_key"])
    new_id: int | None = session.scalar(stmt.returning(Notification.id))
    return new_id


def fan_out(
    session: Session,
    box: SecretBox,
    key: str,
    *,
    kind: str,
    subject: str,
    payload: dict[str, Any],
    now: datetime,
    task: Task | None = None,
    run_id: int | None = None,
) -> list[int]:
    """One notification per channel: one e-mail to the global recipients plus the task's own, and one
    per webhook URL. Returns the new ids (none for a channel that already had this event)."""
    row = channels.load(session)
    ids: list[int | None] = []
    smtp = channels.smtp_channel(row, box)
    recipients = list(
        dict.fromkeys([*(smtp.recipients if smtp else ()), *(task.notify_emails if task else [])])
    )
    task_id = task.id if task is not None else None
    common: dict[str, Any] = {"kind": kind, "subject": subject, "payload": payload, "now": now}
    if smtp is not None and recipients:
        target = ", ".join(recipients)
        ids.append(
            add(
                session,
                f"{key}:email",
                channel="email",
                target=target,
                task_id=task_id,
                run_id=run_id,
                **common,
            )
        )
    for url in channels.webhook_urls(row):
        ids.append(
            add(
                session,
                f"{key}:webhook:{url}",
                channel="webhook",
                target=url,
                task_id=task_id,
                run_id=run_id,
                **common,
            )
        )
    return [new_id for new_id in ids if new_id is not None]


def out(row: Notification) -> NotificationOut:
    return NotificationOut.model_validate(
        {
            "id": row.id,
            "kind": row.kind,
            "channel": row.channel,
            "target": row.target,
            "task_id": row.task_id,
            "run_id": row.run_id,
            "subject": row.subject,
            "status": row.status,
            "attempts": row.attempts,
            "created_at": row.created_at,
            "sent_at": row.sent_at,
        }
    )


def recent(session: Session, limit: int) -> list[NotificationOut]:
    rows = session.scalars(select(Notification).order_by(Notification.id.desc()).limit(limit))
    return [out(row) for row in rows]


def by_ids(session: Session, ids: list[int]) -> list[NotificationOut]:
    rows = session.scalars(select(Notification).where(Notification.id.in_(ids)).order_by(Notification.id))
    return [out(row) for row in rows]


def for_test(session: Session, box: SecretBox, now: datetime, nonce: str) -> list[int]:
    """A test message on every configured channel ("send a test" in the settings screen)."""
    summary = "Test notification: this channel works"
    payload = WebhookPayload(event="test", notification_id=0, created_at=now, summary=summary)
    data = payload.model_dump(mode="json", exclude={"notification_id"})
    return fan_out(
        session, box, f"test:{nonce}", kind="test", subject=f"[IMAP Copier] {summary}", payload=data, now=now
    )
