"""Cancel: queued jobs are cancelled at once, running ones stop between batches."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.errors import Conflict
from app.models import AccountRun, Run
from app.models.enums import AccountRunStatus
from app.services import tasks
from app.services.runs.finalize import RunOutcome, finalize_run
from app.services.runs.transitions import ACCOUNT_RUNS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CancelOutcome:
    run_id: int
    finalized: RunOutcome | None


def cancel_run(session: Session, task_id: int, now: datetime) -> CancelOutcome:
    """Ask the task's open run to stop: running jobs stop between batches (they read the flag with
    their heartbeat), queued ones are cancelled now; with nothing running the run closes at once.

    Raises: NotFound; Conflict when the task has no open run.
    """
    tasks.get_task(session, task_id)
    run = session.scalar(
        select(Run).where(Run.task_id == task_id, Run.finished_at.is_(None)).with_for_update()
    )
    if run is None:
        raise Conflict(f"task {task_id} is not running")
    run.cancel_requested = True
    cancelled = AccountRunStatus.CANCELLED
    session.execute(
        update(AccountRun)
        .where(
            AccountRun.run_id == run.id,
            ACCOUNT_RUNS.guard(AccountRun.status, cancelled, among=(AccountRunStatus.QUEUED,)),
        )
        .values(status=cancelled, finished_at=now, error_summary="cancelled before it started")
    )
    still_running = session.scalar(
        select(func.count()).where(AccountRun.run_id == run.id, AccountRun.status == AccountRunStatus.RUNNING)
    )
    logger.info("runs.cancel_requested task_id=%s run_id=%s running=%s", task_id, run.id, still_running)
    finalized = finalize_run(session, run.id, now) if not still_running else None
    return CancelOutcome(run.id, finalized)
