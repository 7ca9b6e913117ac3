"""Retry the failed accounts of a finished run: a new manual run over them (docs/console.md,
"Runs over a subset")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound
from app.models import Account, AccountRun, Run
from app.models.enums import AccountRunStatus
from app.schemas.fields import MAX_ID
from app.services.runs.claim import ClaimedRun, claim_manual_run


def retry_accounts(session: Session, run_id: int) -> tuple[int, list[int]]:
    """The task of the run and its enabled accounts that did not end done without errors.

    Raises: NotFound; Conflict while the run is open.
    """
    run = None if run_id > MAX_ID else session.get(Run, run_id)
    if run is None:
        raise NotFound(f"run {run_id} not found")
    if run.finished_at is None:
        raise Conflict(f"run {run_id} is still in progress; retry its failed accounts once it ends")
    ids = session.scalars(
        select(AccountRun.account_id)
        .join(Account, Account.id == AccountRun.account_id)
        .where(AccountRun.run_id == run_id, AccountRun.status != AccountRunStatus.OK, Account.enabled)
        .order_by(AccountRun.account_id)
    ).all()
    return run.task_id, list(ids)


def retry_failed(session: Session, run_id: int, now: datetime) -> ClaimedRun:
    """Raises: NotFound; Conflict while the run is open, when nothing failed, or from the claim."""
    task_id, ids = retry_accounts(session, run_id)
    if not ids:
        raise Conflict(f"run {run_id} has no failed enabled accounts to retry")
    return claim_manual_run(session, task_id, now, ids)
