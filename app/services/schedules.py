"""Schedules: the arithmetic (presets and the next run, pure), the gate, and changing a schedule.

Semantics (docs/decisions.md, "Scheduling"): presets only; the first scheduled run is one interval
after the schedule was enabled (its anchor); later runs are one interval after the last run
*finished* (from completion, not start). A run that finished before the schedule was (re-)enabled
does not make the first scheduled run start at once: the base is the later of the anchor and the
last finish. Enabling needs every enabled account tested OK (else 409 and nothing changes), disabling is
always allowed, any explicit change clears `broken`, enabling stamps the anchor.

`tasks.next_due_at` (what the scan reads) is written only by `refresh_next_due`, which set_schedule
and finalize_run call.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.errors import BadRequest, Conflict
from app.models import Account, Run, Task
from app.models.enums import TestStatus

# A module import, not names: app/services/tasks.py imports this module back for the arithmetic.
from app.services import due, tasks

logger = logging.getLogger(__name__)
PRESETS: dict[str, int] = {
    "Off": 0,
    "1h": 3600,
    "3h": 10800,
    "6h": 21600,
    "12h": 43200,
    "24h": 86400,
}
ALLOWED_INTERVALS = frozenset(PRESETS.values())


def next_run_at(
    interval_seconds: int, anchor: datetime | None, last_finished: datetime | None
) -> datetime | None:
    """When the task should next run, or None when the schedule is off."""
    if interval_seconds <= 0 or anchor is None:
        return None
    base = anchor if last_finished is None or last_finished < anchor else last_finished
    return base + timedelta(seconds=interval_seconds)


def displayed_next_run(
    interval_seconds: int,
    anchor: datetime | None,
    last_finished: datetime | None,
    *,
    running: bool,
    broken: bool,
) -> datetime | None:
    """`next_run_at` as the API shows it: null when off, running or broken."""
    if running or broken:
        return None
    return next_run_at(interval_seconds, anchor, last_finished)


def refresh_next_due(task: Task, last_finished: datetime | None) -> None:
    """Keep `next_due_at` in step with the schedule (moved into the task's window, if it has one):
    the one place the schedule decides it (app/services/due.py stores it)."""
    seed = next_run_at(task.schedule_interval_seconds, task.schedule_anchor, last_finished)
    due.place_next_due(task, None if task.broken else seed)


def replace_next_due(session: Session, task: Task) -> None:
    """Recompute after the window changed, from the anchor and the last finished run."""
    last_finished = session.scalar(select(func.max(Run.finished_at)).where(Run.task_id == task.id))
    refresh_next_due(task, last_finished)


def untested_reason(session: Session, task_id: int, account_ids: Collection[int] | None = None) -> str | None:
    """The gate: why the task may not run or be scheduled. It looks at the enabled accounts only (of
    `account_ids` when given): none, or one not tested OK on both sides (docs/console.md)."""
    scope = [Account.task_id == task_id, Account.enabled]
    if account_ids is not None:
        scope.append(Account.id.in_(account_ids))
    not_ok = or_(Account.test_src_status != TestStatus.OK, Account.test_dst_status != TestStatus.OK)
    total, bad = session.execute(select(func.count(), func.count().filter(not_ok)).where(*scope)).one()
    if total == 0:
        return "the task has no enabled accounts" if account_ids is None else "no enabled account to run"
    if bad:
        return f"{bad} of {total} enabled accounts have not passed the connection test on both sides"
    return None


def set_schedule(session: Session, task_id: int, interval_seconds: int, now: datetime) -> None:
    """Raises: NotFound; BadRequest for a value outside the presets; Conflict when enabling is not
    allowed (no accounts, or one not tested OK)."""
    if interval_seconds not in ALLOWED_INTERVALS:
        allowed = ", ".join(str(v) for v in sorted(ALLOWED_INTERVALS))
        raise BadRequest(
            f"interval_seconds must be one of {allowed}", {"interval_seconds": f"not one of {allowed}"}
        )
    task = tasks.get_task(session, task_id, lock=True)
    if interval_seconds > 0:
        reason = untested_reason(session, task_id)
        if reason is not None:
            raise Conflict(f'cannot schedule task "{task.name}": {reason}')
        task.schedule_anchor = now
    task.schedule_interval_seconds = interval_seconds
    task.broken = False
    last_finished = session.scalar(select(func.max(Run.finished_at)).where(Run.task_id == task_id))
    refresh_next_due(task, last_finished)
    logger.info("schedule.set task_id=%s interval=%s due=%s", task_id, interval_seconds, task.next_due_at)
