"""Runs: the claim (manual and scheduled), finalize with the breaker, the reaper, and cancel.

Functions take a Session and never commit: the caller (a view or a worker task) owns the transaction
and enqueues Celery work or publishes events only after its commit (app/dispatch.py, app/events.py).
An account job's own bookkeeping is in app/services/account_runs.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select, text, update
from sqlalchemy.orm import Session

from app.errors import Conflict
from app.models import Account, AccountRun, Run, Task
from app.models.enums import AccountRunStatus, RunStatus, TaskStatus, TestStatus, Trigger
from app.services.due import place_next_due
from app.services.schedule import next_run_at
from app.services.tasks import get_task

logger = logging.getLogger(__name__)
OPEN_ACCOUNT_STATES = (AccountRunStatus.QUEUED, AccountRunStatus.RUNNING)
# The partial index ix_tasks_next_due_at has exactly this predicate. It is spelled as SQL text, not as
# bound parameters, because a generic (prepared) plan cannot prove a parameterised predicate implies
# the index's, and would fall back to a scan of all tasks.
SCHEDULABLE = "t.schedule_interval_seconds > 0 AND NOT t.broken AND t.status <> 'running'"
# Every account tested OK on both sides (and at least one: bool_and over no rows is NULL). A scalar
# subquery, evaluated per due task through ix_accounts_task_id: as NOT EXISTS the planner turns it
# into an anti-join that hashes the whole accounts table, a cost that grows with all accounts.
TESTED_OK = (
    "(SELECT bool_and(a.test_src_status = 'ok' AND a.test_dst_status = 'ok')"
    " FROM accounts a WHERE a.task_id = t.id)"
)
# Due tasks are claimed in batches of this many, each batch one short transaction.
SCAN_BATCH = 100
# One statement claims the due tasks and opens their runs: the conditional UPDATE (re-checked under
# the row lock, SKIP LOCKED for a concurrent scan) is the claim, and the one-open-run unique index
# turns a second claim of the same task into a no-op. Values of the statuses are the enums' own.
_CLAIM = """
WITH due AS ({due}),
claimed AS (
  UPDATE tasks SET status = 'running', updated_at = :now FROM due WHERE tasks.id = due.id
  RETURNING tasks.id, due.next_due_at
),
new_runs AS (
  INSERT INTO runs (task_id, trigger, status, started_at, scheduled_for, heartbeat_at, cancel_requested,
                    total_copied, total_skipped, total_errors, total_bytes)
  SELECT id, :trigger, 'running', :now, next_due_at, :now, false, 0, 0, 0, 0 FROM claimed
  ON CONFLICT (task_id) WHERE finished_at IS NULL DO NOTHING
  RETURNING id, task_id
),
new_account_runs AS (
  INSERT INTO account_runs (run_id, account_id, status, copied, skipped, errors, bytes, error_list, folders)
  SELECT r.id, a.id, 'queued', 0, 0, 0, 0, '[]'::jsonb, '{{}}'::jsonb
  FROM new_runs r JOIN accounts a ON a.task_id = r.task_id
  RETURNING run_id, account_id
)
SELECT r.id, r.task_id, coalesce(array_agg(n.account_id ORDER BY n.account_id)
                                 FILTER (WHERE n.account_id IS NOT NULL), '{{}}')
FROM new_runs r LEFT JOIN new_account_runs n ON n.run_id = r.id GROUP BY r.id, r.task_id ORDER BY r.id
"""
_DUE = (
    f"SELECT t.id, t.next_due_at FROM tasks t WHERE {SCHEDULABLE} AND t.next_due_at <= :now"
    " AND (t.due_window_closes_at IS NULL OR t.due_window_closes_at > :now)"  # inside its window
    f" AND {TESTED_OK} ORDER BY t.next_due_at LIMIT :limit FOR UPDATE OF t SKIP LOCKED"
)
_ONE = (
    "SELECT t.id, NULL::timestamptz AS next_due_at FROM tasks t"
    " WHERE t.id = :task_id AND t.status <> 'running' FOR UPDATE OF t"
)


@dataclass(frozen=True)
class ClaimedRun:
    run_id: int
    task_id: int
    trigger: Trigger
    account_ids: tuple[int, ...]


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


def _claim(session: Session, due_sql: str, trigger: Trigger, params: dict[str, object]) -> list[ClaimedRun]:
    rows = session.execute(text(_CLAIM.format(due=due_sql)), {"trigger": trigger.value, **params})
    return [ClaimedRun(run_id, task_id, trigger, tuple(accounts)) for run_id, task_id, accounts in rows]


def claim_due_runs(session: Session, now: datetime, limit: int = SCAN_BATCH) -> list[ClaimedRun]:
    """Claim up to `limit` due scheduled tasks and open a `scheduled` run (+ queued account runs) each.

    One indexed range read whose cost grows with the number of due tasks; two scans at once never
    claim the same task (row locks with SKIP LOCKED, the status re-check, the one-open-run index).
    """
    claimed = _claim(session, _DUE, Trigger.SCHEDULED, {"now": now, "limit": limit})
    if claimed:
        logger.info("runs.claimed_scheduled count=%d", len(claimed))
    return claimed


def untested_reason(session: Session, task_id: int) -> str | None:
    """Why the task may not run or be scheduled (no accounts, or one not tested OK on both sides)."""
    total = session.scalar(select(func.count()).where(Account.task_id == task_id)) or 0
    if total == 0:
        return "the task has no accounts"
    bad = session.scalar(
        select(func.count()).where(
            Account.task_id == task_id,
            or_(Account.test_src_status != TestStatus.OK, Account.test_dst_status != TestStatus.OK),
        )
    )
    if bad:
        return f"{bad} of {total} accounts have not passed the connection test on both sides"
    return None


def claim_manual_run(session: Session, task_id: int, now: datetime) -> ClaimedRun:
    """Open a `manual` run through the same claim as the scan.

    Raises: NotFound; Conflict when the task is running or an account is not tested OK.
    """
    get_task(session, task_id)
    reason = untested_reason(session, task_id)
    if reason is not None:
        raise Conflict(f"cannot run task {task_id}: {reason}")
    claimed = _claim(session, _ONE, Trigger.MANUAL, {"now": now, "task_id": task_id})
    if not claimed:
        raise Conflict(f"task {task_id} is already running")
    logger.info("runs.claimed_manual task_id=%s run_id=%s", task_id, claimed[0].run_id)
    return claimed[0]


def run_status(cancel_requested: bool, abandoned: bool, failed: bool) -> RunStatus:
    """A lost worker is an infrastructure failure and wins; then the user's cancel; then the mail."""
    if abandoned:
        return RunStatus.ABANDONED
    if cancel_requested:
        return RunStatus.CANCELLED
    return RunStatus.FAILED if failed else RunStatus.DONE


def should_break(trigger: str, status: RunStatus, total_errors: int) -> bool:
    """The breaker: only a scheduled run that ended with errors; never manual, never abandoned."""
    return trigger == Trigger.SCHEDULED and status != RunStatus.ABANDONED and total_errors > 0


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
            .where(AccountRun.run_id == run.id, AccountRun.status == state)
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
    run.status, run.finished_at = status, now
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
        select(func.count()).where(AccountRun.run_id == run_id, AccountRun.status.in_(OPEN_ACCOUNT_STATES))
    )
    return None if left else finalize_run(session, run_id, now)


def _close_task(session: Session, task_id: int, status: RunStatus, broke: bool, now: datetime) -> None:
    task = session.get(Task, task_id, with_for_update=True)
    if task is None:
        return
    task.status = TaskStatus.FAILED if status == RunStatus.ABANDONED else TaskStatus(status.value)
    if broke:
        task.broken, task.schedule_interval_seconds = True, 0
    # From completion, not start: the next scheduled run is one interval after this one finished.
    interval, anchor = task.schedule_interval_seconds, task.schedule_anchor
    place_next_due(task, None if task.broken else next_run_at(interval, anchor, now))


def reap_stale_runs(
    session: Session, now: datetime, stale_after: timedelta, queue_timeout: timedelta
) -> list[RunOutcome]:
    """Close what the chord will not: jobs whose heartbeat stopped, runs whose jobs all reported but
    whose callback never fired, and runs whose workers are gone. Abandoned runs never trip the breaker."""
    stale = now - stale_after
    session.execute(
        update(AccountRun)
        .where(
            AccountRun.status == AccountRunStatus.RUNNING,
            func.coalesce(AccountRun.heartbeat_at, AccountRun.started_at) < stale,
            AccountRun.run_id.in_(select(Run.id).where(Run.finished_at.is_(None))),
        )
        .values(
            status=AccountRunStatus.ABANDONED, finished_at=now, error_summary="the worker stopped responding"
        )
    )
    open_job = exists().where(AccountRun.run_id == Run.id, AccountRun.status.in_(OPEN_ACCOUNT_STATES))
    # Give the chord callback its chance first: it normally follows the last job within milliseconds.
    recent_job = exists().where(AccountRun.run_id == Run.id, AccountRun.finished_at >= stale)
    started = exists().where(AccountRun.run_id == Run.id, AccountRun.started_at.is_not(None))
    running = exists().where(AccountRun.run_id == Run.id, AccountRun.status == AccountRunStatus.RUNNING)
    run_ids = session.scalars(
        select(Run.id).where(
            Run.finished_at.is_(None),
            or_(
                and_(~open_job, ~recent_job),  # every job reported a while ago: the callback was lost
                and_(Run.heartbeat_at < stale, started, ~running),  # its workers died mid-run
                Run.heartbeat_at < now - queue_timeout,  # none of its jobs ever started
            ),
        )
    ).all()
    outcomes = [finalize_run(session, run_id, now) for run_id in run_ids]
    return [outcome for outcome in outcomes if outcome is not None]


@dataclass(frozen=True)
class CancelOutcome:
    run_id: int
    finalized: RunOutcome | None


def cancel_run(session: Session, task_id: int, now: datetime) -> CancelOutcome:
    """Ask the task's open run to stop: running jobs stop between batches (they read the flag with
    their heartbeat), queued ones are cancelled now; with nothing running the run closes at once.

    Raises: NotFound; Conflict when the task has no open run.
    """
    get_task(session, task_id)
    run = session.scalar(
        select(Run).where(Run.task_id == task_id, Run.finished_at.is_(None)).with_for_update()
    )
    if run is None:
        raise Conflict(f"task {task_id} is not running")
    run.cancel_requested = True
    session.execute(
        update(AccountRun)
        .where(AccountRun.run_id == run.id, AccountRun.status == AccountRunStatus.QUEUED)
        .values(
            status=AccountRunStatus.CANCELLED, finished_at=now, error_summary="cancelled before it started"
        )
    )
    still_running = session.scalar(
        select(func.count()).where(AccountRun.run_id == run.id, AccountRun.status == AccountRunStatus.RUNNING)
    )
    logger.info("runs.cancel_requested task_id=%s run_id=%s running=%s", task_id, run.id, still_running)
    finalized = finalize_run(session, run.id, now) if not still_running else None
    return CancelOutcome(run.id, finalized)
