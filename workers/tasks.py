"""The Celery tasks: thin edges that take ids, open their own short transactions, and call services
(app/services/runs/) or jobs (workers/jobs/: account_job.py, connection_test.py, dry_run.py).

Options are explicit on every task. `acks_late` only where a second delivery is harmless by
construction: the scan and the claim are guarded in SQL, finalize is idempotent, a copy job's claim
is a conditional UPDATE under the account's advisory lock, a connection test just tests again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery import Task as CeleryTask
from celery.exceptions import Reject
from sqlalchemy.exc import InterfaceError, OperationalError

from app.db import utcnow
from app.dispatch import (
    BEAT_TICK_KEY,
    COPY_ACCOUNT,
    FINALIZE_RUN,
    ON_CHORD_ERROR,
    PLAN_TASK,
    PROBE_ENDPOINT,
    REAP_STALE,
    SCAN_DUE_TASKS,
    TEST_ACCOUNT,
    launch,
    notify_run,
)
from app.events import publish_outcome
from app.logging_setup import log_context
from app.services import due, runs
from app.services.runs import account_runs
from workers import context
from workers.celery_app import SHORT_LIMIT, SHORT_SOFT_LIMIT, celery_app, short_job
from workers.jobs import account_job, connection_test, dry_run, endpoint_probe

logger = logging.getLogger(__name__)


def _finalize(run_id: int, *, settled_only: bool = False) -> str:
    res = context.resources()
    with log_context(run_id=run_id), res.sessions.begin() as session:
        now = utcnow()
        close = runs.finalize_if_settled if settled_only else runs.finalize_run
        outcome = close(session, run_id, now)
    if outcome is None:
        return "already closed"
    publish_outcome(res.redis, outcome)
    _notify(outcome.run_id, outcome.broke)
    return outcome.status.value


def _notify(run_id: int, broke: bool) -> None:
    """After finalize's commit, hand the run to the notification job; a broker error is logged and
    never fails finalize (the run is closed and the breaker applied already)."""
    try:
        notify_run(celery_app, run_id, broke)
    except Exception:
        logger.exception("notifications.enqueue_failed run_id=%s", run_id)


@short_job(SCAN_DUE_TASKS)
def scan_due_tasks(now_iso: str | None = None) -> int:
    """Claim every due scheduled task and start its run; `now_iso` lets tests move the clock."""
    res = context.resources()
    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    res.redis.set(BEAT_TICK_KEY, str(utcnow().timestamp()))
    with res.sessions.begin() as session:
        due.reseat_missed_windows(session, now)
    total = 0
    while True:  # short transactions: one per batch, its runs dispatched right after its commit
        with res.sessions.begin() as session:
            claimed = runs.claim_due_runs(session, now, runs.SCAN_BATCH)
        for run in claimed:
            launch(celery_app, res, run)
        total += len(claimed)
        if len(claimed) < runs.SCAN_BATCH:
            return total


class CopyAccountTask(CeleryTask):  # type: ignore[type-arg]
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """An unexpected error (a bug, the database): record it so the run's totals count it."""
        run_id, account_id = args[0], args[1]
        try:
            with context.resources().sessions.begin() as session:
                message = f"internal error: {exc.__class__.__name__}"
                account_runs.fail(session, run_id, account_id, message, utcnow())
        except Exception:  # the database may be what failed; the reaper closes the run then
            logger.exception("copy_account.failure_not_recorded run_id=%s account_id=%s", run_id, account_id)


@celery_app.task(
    bind=True,
    base=CopyAccountTask,
    name=COPY_ACCOUNT,
    acks_late=True,
    # PostgreSQL restarted or failed over under a running job: try again in a few seconds (the claim
    # takes back an account run left `running` once the advisory lock is free, and the sync state
    # resumes the copy) rather than failing every account of the run at once. Bounded to about a
    # minute, well inside the reaper's RUN_STALE_SECONDS.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=30,
    retry_jitter=True,
    max_retries=5,
    # time_limit / soft_time_limit: from the settings, in the worker configuration (celery_app.py).
)
def copy_account(self: CeleryTask, run_id: int, account_id: int) -> dict[str, Any]:  # type: ignore[type-arg]
    """Copy one account of a run; returns its result (finalize reads Postgres, not this)."""
    outcome = account_job.run(context.resources(), run_id, account_id, self.request.id, self.request.hostname)
    if outcome.requeue:
        raise Reject("worker shutting down", requeue=True)
    if outcome.cancelled:
        _finalize(run_id, settled_only=True)
    return outcome.result.model_dump(mode="json")


@short_job(FINALIZE_RUN)
def finalize_run(run_id: int) -> str:
    """The chord callback: close the run from its account runs in Postgres."""
    return _finalize(run_id)


@short_job(ON_CHORD_ERROR)
def on_chord_error(run_id: int) -> str:
    """The chord errback (a copy job raised): the same idempotent finalize."""
    logger.warning("runs.chord_error run_id=%s", run_id)
    return _finalize(run_id)


@short_job(REAP_STALE)
def reap_stale() -> int:
    """Close runs whose workers died or whose chord callback never came."""
    res = context.resources()
    settings = res.settings
    with res.sessions.begin() as session:
        outcomes = runs.reap_stale_runs(
            session,
            utcnow(),
            timedelta(seconds=settings.run_stale_seconds),
            timedelta(seconds=settings.run_queue_timeout_seconds),
        )
    for outcome in outcomes:
        logger.warning("runs.reaped run_id=%s status=%s", outcome.run_id, outcome.status)
        publish_outcome(res.redis, outcome)
    return len(outcomes)


@short_job(TEST_ACCOUNT)
def test_account(account_id: int) -> dict[str, Any]:
    """Log in to both sides of one account and store the result on it."""
    with log_context(account_id=account_id):
        return connection_test.test_logins(context.resources(), account_id)


@celery_app.task(name=PLAN_TASK, time_limit=SHORT_LIMIT, soft_time_limit=SHORT_SOFT_LIMIT)
def plan_task(task_id: int, account_id: int) -> dict[str, Any]:
    """The dry-run folder plan the API waits for (its result is read once, then forgotten)."""
    with log_context(task_id=task_id, account_id=account_id):
        return dry_run.plan_folders(context.resources(), account_id)


@celery_app.task(name=PROBE_ENDPOINT, time_limit=SHORT_LIMIT, soft_time_limit=SHORT_SOFT_LIMIT)
def probe_endpoint(spec: dict[str, Any]) -> dict[str, Any]:
    """The endpoint form's "Test connection", which the API waits for (read once, then forgotten)."""
    with log_context(host=spec.get("host")):
        return endpoint_probe.probe(context.resources(), spec)
