"""The reaper: close what the chord will not (lost workers, lost callbacks, runs that never started)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import AccountRun, Run
from app.models.enums import AccountRunStatus
from app.services.runs.finalize import RunOutcome, finalize_run
from app.services.runs.transitions import ACCOUNT_RUNS, OPEN_ACCOUNT_RUN


def reap_stale_runs(
    session: Session, now: datetime, stale_after: timedelta, queue_timeout: timedelta
) -> list[RunOutcome]:
    """Close what the chord will not: jobs whose heartbeat stopped, runs whose jobs all reported but
    whose callback never fired, and runs whose workers are gone. Abandoned runs never trip the breaker."""
    stale = now - stale_after
    abandoned = AccountRunStatus.ABANDONED
    session.execute(
        update(AccountRun)
        .where(
            ACCOUNT_RUNS.guard(AccountRun.status, abandoned, among=(AccountRunStatus.RUNNING,)),
            func.coalesce(AccountRun.heartbeat_at, AccountRun.started_at) < stale,
            AccountRun.run_id.in_(select(Run.id).where(Run.finished_at.is_(None))),
        )
        .values(status=abandoned, finished_at=now, error_summary="the worker stopped responding")
    )
    open_job = exists().where(AccountRun.run_id == Run.id, AccountRun.status.in_(OPEN_ACCOUNT_RUN))
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
