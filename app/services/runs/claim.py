"""The claim: one statement opens a run (and its queued account runs) for each claimed task, for the
scheduled scan and for a manual run alike.

Functions take a Session and never commit: the caller (a view or a worker task) owns the transaction
and dispatches the run's chord only after its commit (app/dispatch.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.errors import Conflict, Invalid
from app.models import Account
from app.models.enums import TaskStatus, TestStatus, Trigger
from app.services import tasks
from app.services.runs.transitions import ACCOUNT_RUNS, RUNS, TASKS
from app.services.schedules import untested_reason

logger = logging.getLogger(__name__)
_RUNNING = TaskStatus.RUNNING.value
# The partial index ix_tasks_next_due_at has exactly this predicate (app/models/task.py). It is
# spelled as SQL text, not as bound parameters, because a generic (prepared) plan cannot prove a
# parameterised predicate implies the index's, and would fall back to a scan of all tasks. Its
# `<> running` is the task table's guard: every other status may become running (a unit test checks).
SCHEDULABLE = f"t.schedule_interval_seconds > 0 AND NOT t.broken AND t.status <> '{_RUNNING}'"
# Every enabled account tested OK on both sides (and at least one: bool_and over no rows is NULL). A scalar
# subquery, evaluated per due task through ix_accounts_task_id: as NOT EXISTS the planner turns it
# into an anti-join that hashes the whole accounts table, a cost that grows with all accounts.
_OK = TestStatus.OK.value
TESTED_OK = (
    f"(SELECT bool_and(a.test_src_status = '{_OK}' AND a.test_dst_status = '{_OK}')"
    " FROM accounts a WHERE a.task_id = t.id AND a.enabled)"
)
# Due tasks are claimed in batches of this many, each batch one short transaction.
SCAN_BATCH = 100
# One statement claims the due tasks and opens their runs: the conditional UPDATE (re-checked under
# the row lock, SKIP LOCKED for a concurrent scan) is the claim, and the one-open-run unique index
# turns a second claim of the same task into a no-op. The statuses are the transition table's.
_CLAIM = f"""
WITH due AS ({{due}}),
claimed AS (
  UPDATE tasks SET status = '{_RUNNING}', updated_at = :now FROM due WHERE tasks.id = due.id
  RETURNING tasks.id, due.next_due_at
),
new_runs AS (
  INSERT INTO runs (task_id, trigger, status, started_at, scheduled_for, heartbeat_at, cancel_requested,
                    total_copied, total_skipped, total_errors, total_bytes)
  SELECT id, :trigger, '{RUNS.initial.value}', :now, next_due_at, :now, false, 0, 0, 0, 0 FROM claimed
  ON CONFLICT (task_id) WHERE finished_at IS NULL DO NOTHING
  RETURNING id, task_id
),
new_account_runs AS (
  INSERT INTO account_runs (run_id, account_id, status, copied, skipped, errors, bytes, error_list, folders)
  SELECT r.id, a.id, '{ACCOUNT_RUNS.initial.value}', 0, 0, 0, 0, '[]'::jsonb, '{{{{}}}}'::jsonb
  FROM new_runs r JOIN accounts a ON a.task_id = r.task_id AND a.enabled{{subset}}
  RETURNING run_id, account_id
)
SELECT r.id, r.task_id, coalesce(array_agg(n.account_id ORDER BY n.account_id)
                                 FILTER (WHERE n.account_id IS NOT NULL), '{{{{}}}}')
FROM new_runs r LEFT JOIN new_account_runs n ON n.run_id = r.id GROUP BY r.id, r.task_id ORDER BY r.id
"""
_DUE = (
    f"SELECT t.id, t.next_due_at FROM tasks t WHERE {SCHEDULABLE} AND t.next_due_at <= :now"
    " AND (t.due_window_closes_at IS NULL OR t.due_window_closes_at > :now)"  # inside its window
    f" AND {TESTED_OK} ORDER BY t.next_due_at LIMIT :limit FOR UPDATE OF t SKIP LOCKED"
)
_ONE = (
    "SELECT t.id, NULL::timestamptz AS next_due_at FROM tasks t"
    f" WHERE t.id = :task_id AND {TASKS.sql_in('t.status', TaskStatus.RUNNING)} FOR UPDATE OF t"
)


@dataclass(frozen=True)
class ClaimedRun:
    run_id: int
    task_id: int
    trigger: Trigger
    account_ids: tuple[int, ...]


def _claim(
    session: Session, due_sql: str, trigger: Trigger, params: dict[str, object], subset: str = ""
) -> list[ClaimedRun]:
    sql = _CLAIM.format(due=due_sql, subset=subset)
    rows = session.execute(text(sql), {"trigger": trigger.value, **params})
    return [ClaimedRun(run_id, task_id, trigger, tuple(accounts)) for run_id, task_id, accounts in rows]


def claim_due_runs(session: Session, now: datetime, limit: int = SCAN_BATCH) -> list[ClaimedRun]:
    """Claim up to `limit` due scheduled tasks and open a `scheduled` run (+ queued account runs) each.

    One indexed range read whose cost grows with the number of due tasks; two scans at once never
    claim the same task (row locks with SKIP LOCKED, the status re-check, the one-open-run index).
    Paused accounts get no account run.
    """
    claimed = _claim(session, _DUE, Trigger.SCHEDULED, {"now": now, "limit": limit})
    if claimed:
        logger.info("runs.claimed_scheduled count=%d", len(claimed))
    return claimed


def check_subset(session: Session, task_id: int, account_ids: Sequence[int]) -> None:
    """Raises: Invalid naming the ids that are not accounts of the task, and those that are paused."""
    stmt = select(Account.id, Account.enabled).where(Account.task_id == task_id, Account.id.in_(account_ids))
    found: dict[int, bool] = {account_id: enabled for account_id, enabled in session.execute(stmt)}
    foreign = sorted({i for i in account_ids if i not in found})
    paused = sorted({i for i in account_ids if found.get(i) is False})
    problems: list[str] = []
    if foreign:
        problems.append(f"not accounts of this task: {', '.join(map(str, foreign))}")
    if paused:
        problems.append(f"paused accounts: {', '.join(map(str, paused))}")
    if problems:
        raise Invalid("; ".join(problems), {"account_ids": "; ".join(problems)})


def claim_manual_run(
    session: Session, task_id: int, now: datetime, account_ids: Sequence[int] | None = None
) -> ClaimedRun:
    """Open a `manual` run through the same claim as the scan, over the enabled accounts (or the
    given subset of them: docs/console.md, "Runs over a subset").

    Raises: NotFound; Invalid for a subset naming paused or foreign accounts; Conflict when the task
    is running or an enabled account of the run is not tested OK.
    """
    task = tasks.get_task(session, task_id)
    if account_ids is not None:
        check_subset(session, task_id, account_ids)
    reason = untested_reason(session, task_id, account_ids)
    if reason is not None:
        raise Conflict(f'cannot run task "{task.name}": {reason}')
    params: dict[str, object] = {"now": now, "task_id": task_id}
    subset = ""
    if account_ids is not None:
        params["account_ids"] = list(account_ids)
        subset = " AND a.id = ANY(:account_ids)"
    claimed = _claim(session, _ONE, Trigger.MANUAL, params, subset)
    if not claimed:
        raise Conflict(f'task "{task.name}" is already running')
    logger.info("runs.claimed_manual task_id=%s run_id=%s", task_id, claimed[0].run_id)
    return claimed[0]
