"""Runs, schedules, connection tests and folder plans: the API side of the job system.

Thin: parse -> service -> commit -> enqueue/publish. Nothing here talks IMAP or waits on a copy; the
one wait is GET /plan, bounded by PLAN_TIMEOUT_SECONDS, for a short dry-run job.
"""

from __future__ import annotations

from celery.exceptions import TaskRevokedError
from celery.exceptions import TimeoutError as CeleryTimeout
from flask import Blueprint

from app import dispatch
from app.api.spec import operation
from app.db import utcnow
from app.errors import Conflict, ImapUnavailable, JobTimeout
from app.events import publish_cancelled, publish_outcome
from app.extensions import celery_client, db, resources
from app.models import Role, RunStatus
from app.schemas.events import AccountPlan
from app.schemas.runs import (
    CancelOut,
    FolderMappingIn,
    FolderRulesPreviewIn,
    FolderRulesPreviewOut,
    PlanOut,
    PlanQuery,
    RunDetail,
    RunIn,
    RunListQuery,
    RunOut,
    RunStarted,
    ScheduleIn,
    TestsQueued,
    WarningItem,
)
from app.services import accounts, folder_rules, run_log, runs, schedules, tasks

bp = Blueprint("runs", __name__)


@operation(
    bp,
    "/tasks/<int:task_id>/run",
    "POST",
    body=RunIn,
    body_optional=True,
    response=RunStarted,
    status=202,
    errors=(409, 422),
)
def run_task(task_id: int, body: RunIn | None) -> RunStarted:
    """Start a manual run of the enabled accounts (or of `account_ids`); 409 when the task is running
    or an account of the run is not tested OK, 422 naming paused or foreign `account_ids`."""
    account_ids = body.account_ids if body is not None else None
    claimed = runs.claim_manual_run(db(), task_id, utcnow(), account_ids)
    db().commit()
    dispatch.launch(celery_client(), resources(), claimed)
    return RunStarted(run_id=claimed.run_id)


@operation(bp, "/runs/<int:run_id>/retry-failed", "POST", response=RunStarted, status=202, errors=(409,))
def retry_failed(run_id: int) -> RunStarted:
    """Start a manual run of the enabled accounts of a finished run that did not end done without
    errors; 409 when there are none, the task is running or one is not tested OK."""
    claimed = runs.retry_failed(db(), run_id, utcnow())
    db().commit()
    dispatch.launch(celery_client(), resources(), claimed)
    return RunStarted(run_id=claimed.run_id)


@operation(bp, "/tasks/<int:task_id>/cancel", "POST", response=CancelOut, status=202, errors=(409,))
def cancel_task(task_id: int) -> CancelOut:
    """Cancel the running run: jobs stop after their current batch; 409 when nothing runs."""
    outcome = runs.cancel_run(db(), task_id, utcnow())
    db().commit()
    publish_cancelled(resources().redis, task_id, outcome.run_id)
    if outcome.finalized is not None:
        publish_outcome(resources().redis, outcome.finalized)
        return CancelOut(run_id=outcome.run_id, status=outcome.finalized.status)
    return CancelOut(run_id=outcome.run_id, status=RunStatus.RUNNING)


@operation(bp, "/tasks/<int:task_id>/test", "POST", response=TestsQueued, status=202)
def test_task(task_id: int) -> TestsQueued:
    """Test the logins of every account of the task (one job per account, results on the accounts)."""
    account_ids = accounts.account_ids(db(), task_id)
    dispatch.test_accounts(celery_client(), account_ids)
    return TestsQueued(account_ids=account_ids)


@operation(bp, "/accounts/<int:account_id>/test", "POST", response=TestsQueued, status=202)
def test_account(account_id: int) -> TestsQueued:
    """Test one account's logins on both sides (the result lands on the account and as an event)."""
    accounts.task_of_account(db(), account_id)
    dispatch.test_accounts(celery_client(), [account_id])
    return TestsQueued(account_ids=[account_id])


@operation(bp, "/tasks/<int:task_id>/schedule", "PUT", body=ScheduleIn, status=204, errors=(409,))
def set_schedule(task_id: int, body: ScheduleIn) -> None:
    """Set the schedule: 0 turns it off (and clears broken); a preset needs every account tested OK."""
    schedules.set_schedule(db(), task_id, body.interval_seconds, utcnow())
    db().commit()


@operation(
    bp, "/tasks/<int:task_id>/folder-mapping", "PUT", body=FolderMappingIn, status=204, errors=(409, 422)
)
def set_folder_mapping(task_id: int, body: FolderMappingIn) -> None:
    """Replace the task's explicit folder mapping and excluded folders, and its regex rules when given;
    422 naming each refused destination or pattern, 409 while it runs."""
    tasks.set_folder_mapping(
        db(), task_id, body.folder_mapping, body.exclude_folders, body.folder_include, body.folder_exclude
    )
    db().commit()


@operation(
    bp,
    "/tasks/<int:task_id>/folder-rules/preview",
    "POST",
    body=FolderRulesPreviewIn,
    response=FolderRulesPreviewOut,
    errors=(422,),
    role=Role.OPERATOR,
    read_only=True,
)
def preview_folder_rules(task_id: int, body: FolderRulesPreviewIn) -> FolderRulesPreviewOut:
    """Which folders the include/exclude rules copy, and which rule decided: a computation on the
    names sent (else those of the task's last run), nothing saved and no IMAP. For those who edit
    the rules (a viewer is GET only, docs/security.md); no audit row, as nothing changes."""
    return folder_rules.preview(db(), task_id, body)


@operation(bp, "/tasks/<int:task_id>/runs", "GET", query=RunListQuery, response=list[RunOut])
def list_runs(task_id: int, query: RunListQuery) -> list[RunOut]:
    """The task's run log, newest first."""
    return [RunOut.model_validate(run) for run in run_log.list_runs(db(), task_id, query.limit)]


@operation(bp, "/runs/<int:run_id>", "GET", response=RunDetail)
def get_run(run_id: int) -> RunDetail:
    """One run with its per-account results and their errors."""
    return run_log.run_detail(db(), run_id)


@operation(bp, "/tasks/<int:task_id>/plan", "GET", query=PlanQuery, response=PlanOut, errors=(409, 502, 504))
def plan(task_id: int, query: PlanQuery) -> PlanOut:
    """Dry-run folder plan (source -> destination, counts, sizes) computed by a worker; nothing written."""
    account_ids = accounts.account_ids(db(), task_id)
    if not account_ids:
        raise Conflict(f"task {task_id} has no accounts to plan with")
    account_id = query.account_id or account_ids[0]
    if account_id not in account_ids:
        raise Conflict(f"account {account_id} is not in task {task_id}", {"account_id": "not in this task"})
    db().close()  # no connection held while waiting for the worker
    timeout = resources().settings.plan_timeout_seconds
    try:
        answer = dispatch.plan(celery_client(), task_id, account_id, timeout)
    except (CeleryTimeout, TaskRevokedError) as exc:  # revoked: it expired before a worker took it
        raise JobTimeout(f"no worker computed the plan within {timeout:.0f} s; are workers running?") from exc
    if "error" in answer:
        raise ImapUnavailable(answer["error"]["message"])
    warnings = [WarningItem.model_validate(item) for item in answer.get("warnings", [])]
    return PlanOut.from_plan(account_id, AccountPlan.model_validate(answer["plan"]), warnings)
