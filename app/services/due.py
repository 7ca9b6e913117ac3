"""Where a task's next scheduled start is stored: the seed's due time moved into the task's window.

`tasks.next_due_at` is what the scan reads through its partial index; `due_window_closes_at` bounds
the claim to the window that holds it. A window missed entirely (workers down all night) is moved on
to its next opening by `reseat_missed_windows`, so the scan never starts a run outside the window.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models import Task
from app.services.windows import Window, next_start

logger = logging.getLogger(__name__)
# The predicate of ix_tasks_next_due_at, as SQL text (see SCHEDULABLE in app/services/runs/claim.py).
_MISSED = (
    "SELECT t.id FROM tasks t WHERE t.schedule_interval_seconds > 0 AND NOT t.broken"
    " AND t.status <> 'running' AND t.next_due_at <= :now AND t.due_window_closes_at <= :now"
    " ORDER BY t.next_due_at LIMIT :limit FOR UPDATE OF t SKIP LOCKED"
)


def place_next_due(task: Task, seed_due: datetime | None) -> None:
    """Store `seed_due` (None: no scheduled run) moved to the window's next opening."""
    if seed_due is None:
        task.next_due_at, task.due_window_closes_at = None, None
        return
    task.next_due_at, task.due_window_closes_at = next_start(Window.of(task.schedule_window), seed_due)


def reseat_missed_windows(session: Session, now: datetime, limit: int = 100) -> int:
    """Move tasks whose window closed before they were claimed to their window's next opening."""
    ids = list(session.scalars(text(_MISSED), {"now": now, "limit": limit}))
    for task_id in ids:
        task = session.get(Task, task_id)
        if task is not None:
            place_next_due(task, now)
            logger.info("schedule.window_missed task_id=%s next=%s", task_id, task.next_due_at)
    return len(ids)


def displayed_due(task: Task, seed_next_run: datetime | None) -> datetime | None:
    """`next_run_at` for the API: the displayed seed time moved into the window (or the stored start,
    when a missed window already moved it further)."""
    window = Window.of(task.schedule_window)
    if seed_next_run is None or window is None:
        return seed_next_run
    start, _ = next_start(window, seed_next_run)
    stored = task.next_due_at
    return stored if stored is not None and stored > start else start
