"""Task use cases and the task summary (last run, next run, account count) the API shows."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.errors import Conflict, Invalid, NotFound
from app.folder_rules import mapping_problems
from app.models import Account, Endpoint, Run, Task
from app.models.enums import TaskStatus, TestStatus
from app.schemas.fields import MAX_ID
from app.schemas.tasks import RunSummary, TaskIn, TaskOut, TaskPatch
from app.services import account_list, due, schedules, sync_state

logger = logging.getLogger(__name__)
# Fields that may change while a run is in progress: the others steer the run itself.
RUNNING_SAFE_FIELDS = frozenset({"name", "schedule_window", "notify_emails"})


def get_task(session: Session, task_id: int, *, lock: bool = False) -> Task:
    """Load a task; `lock` takes its row lock, which the scheduler's claim (an UPDATE) waits for.

    Raises: NotFound.
    """
    task = None if task_id > MAX_ID else session.get(Task, task_id, with_for_update=lock)
    if task is None:
        raise NotFound(f"task {task_id} not found")
    return task


def ensure_not_running(task: Task, action: str) -> None:
    """Raises: Conflict while a run of the task is in progress."""
    if task.status == TaskStatus.RUNNING:
        raise Conflict(f"task {task.id} is running; cancel the run or wait for it before you {action}")


def check_folder_mapping(folder_mapping: dict[str, str]) -> None:
    """Raises: Invalid naming each source folder whose destination no server could hold, or that
    shares its destination with another (docs/console.md, "Folder rules")."""
    problems = mapping_problems(folder_mapping)
    if problems:
        field, message = next(iter(problems.items()))
        raise Invalid(f"{field.removeprefix('folder_mapping.')}: {message}", problems)


def set_folder_mapping(
    session: Session,
    task_id: int,
    folder_mapping: dict[str, str],
    exclude_folders: list[str],
    include: list[str] | None = None,
    exclude: list[str] | None = None,
) -> None:
    """Replace the mapping and the exclusion list, and the regex rules when given (None keeps them).

    Raises: NotFound; Invalid (check_folder_mapping); Conflict while the task runs (its jobs read the
    mapping when they start)."""
    check_folder_mapping(folder_mapping)
    task = get_task(session, task_id, lock=True)
    ensure_not_running(task, "change its folder mapping")
    task.folder_mapping = dict(folder_mapping)
    task.exclude_folders = list(exclude_folders)
    if include is not None:
        task.folder_include = list(include)
    if exclude is not None:
        task.folder_exclude = list(exclude)


def _check_endpoints(session: Session, values: dict[str, Any]) -> None:
    """Raises: Invalid naming each endpoint id field that points at no endpoint."""
    wanted: dict[str, int] = {
        name: values[name] for name in ("src_endpoint_id", "dst_endpoint_id") if name in values
    }
    found = set(session.scalars(select(Endpoint.id).where(Endpoint.id.in_(wanted.values()))))
    missing: dict[str, str] = {
        name: f"endpoint {value} does not exist" for name, value in wanted.items() if value not in found
    }
    if missing:
        raise Invalid(next(iter(missing.values())), missing)


def create_task(session: Session, data: TaskIn) -> Task:
    """Raises: Invalid when an endpoint does not exist or a folder mapping is refused."""
    values = data.model_dump()
    check_folder_mapping(values["folder_mapping"])
    _check_endpoints(session, values)
    task = Task(**values)
    session.add(task)
    session.flush()
    logger.info("task.created task_id=%s", task.id)
    return task


def update_task(session: Session, task_id: int, data: TaskPatch) -> Task:
    """Apply a partial update; a new endpoint resets the login tests of that side.

    Raises: NotFound; Invalid for an unknown endpoint or a refused folder mapping; Conflict for a
    run-steering change while running.
    """
    task = get_task(session, task_id, lock=True)
    changes = {name: value for name, value in data.changes().items() if getattr(task, name) != value}
    if "folder_mapping" in changes:
        check_folder_mapping(changes["folder_mapping"])
    if set(changes) - RUNNING_SAFE_FIELDS:
        ensure_not_running(task, "change its endpoints or folders")
    _check_endpoints(session, changes)
    for name, value in changes.items():
        setattr(task, name, value)
    for side in ("src", "dst"):
        if f"{side}_endpoint_id" in changes:
            values: dict[str, Any] = {f"test_{side}_status": TestStatus.UNTESTED, f"test_{side}_error": None}
            session.execute(update(Account).where(Account.task_id == task_id).values(**values))
    if "schedule_window" in changes:  # moves the next start; `broken` stays as it is
        schedules.replace_next_due(session, task)
    if {"src_endpoint_id", "dst_endpoint_id"} & set(changes):
        sync_state.forget_task(session, task_id)
    session.flush()
    logger.info("task.updated task_id=%s fields=%s", task_id, ",".join(sorted(changes)))
    return task


def delete_task(session: Session, task_id: int) -> None:
    """Delete a task; the database cascades to its accounts, runs and sync state.

    Raises: NotFound; Conflict while it is running.
    """
    task = get_task(session, task_id, lock=True)
    ensure_not_running(task, "delete it")
    session.delete(task)
    session.flush()
    logger.info("task.deleted task_id=%s", task_id)


def list_tasks(session: Session) -> list[TaskOut]:
    return describe(session, session.scalars(select(Task).order_by(Task.id)).all())


def describe(session: Session, tasks: Sequence[Task]) -> list[TaskOut]:
    """Summaries of `tasks` in three queries whatever their number (tasks, runs, account counts)."""
    ids = [task.id for task in tasks]
    if not ids:
        return []
    runs = _last_runs(session, ids)
    counts = account_list.counts(session, ids)
    return [
        _summary(task, *runs.get(task.id, (None, None)), *counts.get(task.id, (0, 0, 0, 0))) for task in tasks
    ]


def schedule_waiting_reason(task: Task, accounts: int, enabled: int, untested: int) -> str | None:
    """Why a scheduled task will not start when due (the scan only starts fully tested tasks)."""
    if task.schedule_interval_seconds <= 0 or task.broken:
        return None
    if accounts == 0:
        return "scheduled runs wait: the task has no accounts"
    if enabled == 0:
        return "scheduled runs wait: every account is paused"
    if untested:
        return (
            f"scheduled runs wait: {untested} of {enabled} enabled accounts are not tested OK on both sides"
        )
    return None


def _last_runs(session: Session, task_ids: list[int]) -> dict[int, tuple[Run | None, datetime | None]]:
    """Per task: its newest run and when its last finished run ended, in one query.

    Both window functions see all runs of the task; the outer filter then keeps its newest row.
    """
    ranked = (
        select(
            Run.id,
            func.row_number()
            .over(partition_by=Run.task_id, order_by=(Run.started_at.desc(), Run.id.desc()))
            .label("rank"),
            func.max(Run.finished_at).over(partition_by=Run.task_id).label("last_finished"),
        )
        .where(Run.task_id.in_(task_ids))
        .subquery()
    )
    rows = session.execute(
        select(Run, ranked.c.last_finished).join(ranked, Run.id == ranked.c.id).where(ranked.c.rank == 1)
    )
    return {run.task_id: (run, finished) for run, finished in rows}


def _summary(
    task: Task,
    run: Run | None,
    last_finished: datetime | None,
    account_count: int,
    untested: int,
    failing: int,
    paused: int,
) -> TaskOut:
    next_run = schedules.displayed_next_run(
        task.schedule_interval_seconds,
        task.schedule_anchor,
        last_finished,
        running=task.status == TaskStatus.RUNNING,
        broken=task.broken,
    )
    next_run = due.displayed_due(task, next_run)
    return TaskOut(
        id=task.id,
        name=task.name,
        src_endpoint_id=task.src_endpoint_id,
        dst_endpoint_id=task.dst_endpoint_id,
        status=TaskStatus(task.status),
        folder_mapping=task.folder_mapping,
        exclude_folders=task.exclude_folders,
        folder_include=task.folder_include,
        folder_exclude=task.folder_exclude,
        schedule_interval_seconds=task.schedule_interval_seconds,
        broken=task.broken,
        next_run_at=next_run,
        schedule_window=task.schedule_window,
        notify_emails=task.notify_emails,
        last_run=RunSummary.model_validate(run) if run is not None else None,
        account_count=account_count,
        failing_count=failing,
        paused_count=paused,
        schedule_waiting_reason=schedule_waiting_reason(
            task, account_count, account_count - paused, untested
        ),
        created_at=task.created_at,
        updated_at=task.updated_at,
    )
