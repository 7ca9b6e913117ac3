"""Changing a task's schedule and folder plan, and recording connection-test results.

Schedule semantics (docs/decisions.md): presets only; enabling needs every account tested OK (else 409 and
nothing changes), disabling is always allowed; any explicit change clears `broken`; enabling stamps
the anchor, and `tasks.next_due_at` (what the scan reads) is kept in step here and in finalize_run.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import BadRequest, Conflict, NotFound
from app.models import Account, Run
from app.models.enums import TestStatus
from app.services.due import place_next_due
from app.services.runs import untested_reason
from app.services.schedule import ALLOWED_INTERVALS, next_run_at
from app.services.tasks import ensure_not_running, get_task

logger = logging.getLogger(__name__)
MAX_TEST_ERROR = 1000


def set_schedule(session: Session, task_id: int, interval_seconds: int, now: datetime) -> None:
    """Raises: NotFound; BadRequest for a value outside the presets; Conflict when enabling is not
    allowed (no accounts, or one not tested OK)."""
    if interval_seconds not in ALLOWED_INTERVALS:
        allowed = ", ".join(str(v) for v in sorted(ALLOWED_INTERVALS))
        raise BadRequest(
            f"interval_seconds must be one of {allowed}", {"interval_seconds": f"not one of {allowed}"}
        )
    task = get_task(session, task_id, lock=True)
    if interval_seconds > 0:
        reason = untested_reason(session, task_id)
        if reason is not None:
            raise Conflict(f"cannot schedule task {task_id}: {reason}")
        task.schedule_anchor = now
    task.schedule_interval_seconds = interval_seconds
    task.broken = False
    last_finished = session.scalar(select(func.max(Run.finished_at)).where(Run.task_id == task_id))
    place_next_due(task, next_run_at(interval_seconds, task.schedule_anchor, last_finished))
    logger.info("schedule.set task_id=%s interval=%s due=%s", task_id, interval_seconds, task.next_due_at)


def set_folder_mapping(
    session: Session, task_id: int, folder_mapping: dict[str, str], exclude_folders: list[str]
) -> None:
    """Raises: NotFound; Conflict while the task runs (its jobs read the mapping when they start)."""
    task = get_task(session, task_id, lock=True)
    ensure_not_running(task, "change its folder mapping")
    task.folder_mapping = dict(folder_mapping)
    task.exclude_folders = list(exclude_folders)


def record_test(
    session: Session, account_id: int, results: dict[str, str | None], now: datetime
) -> dict[str, Any] | None:
    """Store a connection test: `results` maps "src"/"dst" to None (OK) or a readable error.

    Returns the stored outcome (for the `account_test` event), or None when the account is gone.
    """
    account = session.get(Account, account_id)
    if account is None:
        return None
    outcome: dict[str, Any] = {}
    for side, error in results.items():
        status = TestStatus.OK if error is None else TestStatus.FAIL
        setattr(account, f"test_{side}_status", status)
        setattr(account, f"test_{side}_error", None if error is None else error[:MAX_TEST_ERROR])
        outcome[f"test_{side}_status"] = status.value
        outcome[f"test_{side}_error"] = error
    account.tested_at = now
    return outcome


def account_ids(session: Session, task_id: int) -> list[int]:
    """Raises: NotFound for an unknown task."""
    get_task(session, task_id)
    return list(session.scalars(select(Account.id).where(Account.task_id == task_id).order_by(Account.id)))


def task_of_account(session: Session, account_id: int) -> int:
    """Raises: NotFound."""
    task_id = session.scalar(select(Account.task_id).where(Account.id == account_id))
    if task_id is None:
        raise NotFound(f"account {account_id} not found")
    return task_id
