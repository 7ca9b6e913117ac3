"""The audit log: record who changed what (secrets masked), and read it back newest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.models.audit import SCHEDULER_ACTOR

MASK = "***"
# Any key that names a secret, whatever the resource (passwords, OAuth2 secrets and keys, tokens).
_SECRET_KEY = re.compile(r"password|secret|token|private_key|credential|api_key", re.IGNORECASE)


def mask(value: Any) -> Any:
    """A copy of a JSON value with every secret-named field replaced by "***" (`*_set` flags kept)."""
    if isinstance(value, dict):
        return {
            key: MASK
            if _SECRET_KEY.search(key) and not key.endswith("_set") and val is not None
            else mask(val)
            for key, val in value.items()
        }
    if isinstance(value, list):
        return [mask(item) for item in value]
    return value


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    actor_id: int | None = None,
    address: str | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    task_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit row to the caller's transaction."""
    entry = AuditEntry(
        actor=actor,
        actor_id=actor_id,
        address=address,
        action=action,
        target_type=target_type,
        target_id=target_id,
        task_id=task_id,
        before=mask(before),
        after=mask(after),
    )
    session.add(entry)
    return entry


def record_breaker_trip(session: Session, task_id: int, interval_seconds: int) -> AuditEntry:
    """The scheduler turned a task's schedule off after a scheduled run with errors."""
    return record(
        session,
        actor=SCHEDULER_ACTOR,
        action="task_broken",
        target_type="task",
        target_id=task_id,
        task_id=task_id,
        before={"broken": False, "schedule_interval_seconds": interval_seconds},
        after={"broken": True, "schedule_interval_seconds": 0},
    )


def list_entries(
    session: Session,
    *,
    limit: int,
    task_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    before_id: int | None = None,
) -> Sequence[AuditEntry]:
    """Newest first; `before_id` is the cursor (the id of the last row of the previous page)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if task_id is not None:
        query = query.where(AuditEntry.task_id == task_id)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return session.scalars(query).all()
