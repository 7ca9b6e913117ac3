"""Finalize: sum the account runs into the run, close run and task, apply the breaker.

`RunOutcome` is what finalize decided; whatever follows a finalize (the `run_done` and `task_broken`
events, an audit row, a notification) reads it after the caller's commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import AccountRun, Run, Task
from app.models.enums import AccountRunStatus, RunStatus, TaskStatus, Trigger
from app.services import audit, schedules
from app.services.runs.transitions import ACCOUNT_RUNS, OPEN_ACCOUNT_RUN, RUNS, TASKS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    """What finalize decided; the caller publishes `run_done` (and `task_broken`) after its commit."""

    run_id: int
    task_id: int
    trigger: Trigger
    status: RunStatus
    total_copied: int
    total_skipped: int
    total_errors: int
    total_bytes: int
    broke: bool


def run_status(cancel_requested: bool, abandoned: bool, failed: bool) -> RunStatus:
    """A lost worker is an infrastructure failure and wins; then the user's cancel; then the mail."""
    if abandoned:
        return RunStatus.ABANDONED
    if cancel_requested:
        return RunStatus.CANCELLED
    return RunStatus.FAILED if failed else RunStatus.DONE


def should_break(trigger: str, status: RunStatus, total_errors: int) -> bool:
    """The breaker (docs/decisions.md, "Breaker"): only a scheduled run that ended with errors; never
    manual, never abandoned."""
    return trigger == Trigger.SCHEDULED and status != RunStatus.ABANDONED and total_errors > 0


def task_status(status: RunStatus) -> TaskStatus:
    """The task takes its run's outcome; an abandoned run leaves it failed."""
    return TaskStatus.FAILED if status == RunStatus.ABANDONED else TaskStatus(status.value)


def _close_leftovers(session: Session, run: Run, now: datetime) -> None:
    """Account runs still open when the run closes: their job never reported (lost, or never ran)."""
    for state, new, message in (
        (AccountRunStatus.RUNNING, AccountRunStatus.ABANDONED, "the worker stopped before it finished"),
        (
            AccountRunStatus.QUEUED,
            AccountRunStatus.CANCELLED if run.cancel_requested else AccountRunStatus.ABANDONED,
            "cancelled before it started" if run.cancel_requested else "the job never ran",
        ),
    ):
        session.execute(
            update(AccountRun)
            .where(AccountRun.run_id == run.id, ACCOUNT_RUNS.guard(AccountRun.status, new, among=(state,)))
            .values(status=new, finished_at=now, error_summary=message)
        )


def finalize_run(session: Session, run_id: int, now: datetime) -> RunOutcome | None:
    """Sum the account runs into the run, close run and task, apply the breaker. Idempotent: None when
    the run is already closed (or gone)."""
    run = session.scalar(select(Run).where(Run.id == run_id).with_for_update())
    if run is None or run.finished_at is not None:
        return None
    _close_leftovers(session, run, now)
    copied, skipped, errors, nbytes, abandoned, failed, first_error = session.execute(
        select(
            func.coalesce(func.sum(AccountRun.copied), 0),
            func.coalesce(func.sum(AccountRun.skipped), 0),
            func.coalesce(func.sum(AccountRun.errors), 0),
            func.coalesce(func.sum(AccountRun.bytes), 0),
            func.coalesce(func.bool_or(AccountRun.status == AccountRunStatus.ABANDONED), False),
            func.coalesce(func.bool_or(AccountRun.status == AccountRunStatus.FAILED), False),
            func.min(AccountRun.error_summary),
        ).where(AccountRun.run_id == run_id)
    ).one()
    status = run_status(run.cancel_requested, abandoned, failed)
    run.status, run.finished_at = RUNS.check(RunStatus(run.status), status), now
    run.total_copied, run.total_skipped, run.total_errors, run.total_bytes = copied, skipped, errors, nbytes
    run.error_summary = first_error
    broke = should_break(run.trigger, status, errors)
    _close_task(session, run.task_id, status, broke, now)
    logger.info("runs.finalized run_id=%s status=%s errors=%s broke=%s", run_id, status, errors, broke)
    return RunOutcome(
        run_id, run.task_id, Trigger(run.trigger), status, copied, skipped, errors, nbytes, broke
    )


def finalize_if_settled(session: Session, run_id: int, now: datetime) -> RunOutcome | None:
    """Close a cancelled run as soon as none of its jobs is left, without waiting for its chord
    (whose remaining jobs may sit behind other runs' work in the queue)."""
    run = session.scalar(select(Run).where(Run.id == run_id).with_for_update())
    if run is None or run.finished_at is not None or not run.cancel_requested:
        return None
    left = session.scalar(
        select(func.count()).where(AccountRun.run_id == run_id, AccountRun.status.in_(OPEN_ACCOUNT_RUN))
    )
    return None if left else finalize_run(session, run_id, now)


def _close_task(session: Session, task_id: int, status: RunStatus, broke: bool, now: datetime) -> None:
    task = session.get(Task, task_id, with_for_update=True)
    if task is None:
        return
    task.status = TASKS.check(TaskStatus(task.status), task_status(status))
    if broke:
        audit.record_breaker_trip(session, task.id, task.schedule_interval_seconds)
        task.broken, task.schedule_interval_seconds = True, 0
    # From completion, not start: the next scheduled run is one interval after this one finished.
    schedules.refresh_next_due(task, last_finished=now)
