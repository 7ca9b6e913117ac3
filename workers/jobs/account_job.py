"""One account of a run: load, lock, claim, wait for endpoint slots, copy, record, publish.

Order matters: the account's advisory lock is taken before the claim, so a redelivered job either
waits for the one still copying (and then finds the account run finished) or, holding the lock,
knows the earlier job is dead and takes its account run over. IMAP and data errors never escape:
the engine returns them in its result and they are recorded; only bugs and a lost database do.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from celery.exceptions import SoftTimeLimitExceeded
from pydantic import BaseModel, ConfigDict

from app.crypto import CredentialsKeyError
from app.db import utcnow
from app.logging_setup import log_context
from app.models.enums import AccountRunStatus
from app.resources import Resources
from app.schemas.events import AccountDoneData, AccountStartedData
from app.services.runs import account_runs
from app.services.runs.account_runs import AccountJob, AccountOutcome, Counters
from workers.engine.copier import copy_mailbox
from workers.engine.errors import Throttled
from workers.engine.results import AccountResult
from workers.events import JobEvents
from workers.jobs.account_lock import account_lock
from workers.jobs.budget import daily_budget
from workers.jobs.heartbeat import Heartbeat
from workers.jobs.logins import connections_per_side, copy_options, imap_endpoints, slot_limits
from workers.jobs.progress import AccountProgress
from workers.jobs.semaphore import EndpointSlots, endpoint_slots
from workers.jobs.sync_state_store import SqlSyncState

logger = logging.getLogger(__name__)
THROTTLE_BACKOFF = (30.0, 60.0, 120.0, 300.0)


class JobSkipped(BaseModel):
    """A job with nothing to do (run closed, account done) or put back in the queue (`requeued`)."""

    model_config = ConfigDict(frozen=True)

    status: Literal["skipped", "requeued"]
    reason: str


@dataclass(frozen=True)
class JobOutcome:
    """What the Celery task returns (`result`, dumped as JSON), or that it must put its message back."""

    result: AccountDoneData | JobSkipped
    requeue: bool = False
    cancelled: bool = False


def _skipped(reason: str) -> JobOutcome:
    logger.info("account_job.skipped reason=%s", reason)
    return JobOutcome(JobSkipped(status="skipped", reason=reason))


def run(
    res: Resources, run_id: int, account_id: int, celery_task_id: str | None, hostname: str | None
) -> JobOutcome:
    with log_context(run_id=run_id, account_id=account_id):
        with res.sessions() as session:
            job = account_runs.load_job(session, run_id, account_id)
        if job is None:
            return _skipped("run closed or cancelled, or account already done")
        events = JobEvents(res.redis, job.login.task_id, run_id, account_id)
        heartbeat = Heartbeat(res.sessions, res.redis, run_id, res.settings.run_heartbeat_seconds, hostname)
        with heartbeat, account_lock(res.engine, account_id, heartbeat.should_stop) as locked:
            if not locked:
                return _skipped(f"{heartbeat.reason} while waiting for the account lock")
            with res.sessions.begin() as session:
                base = account_runs.start(session, job.account_run_id, celery_task_id, utcnow())
            if base is None:
                return _skipped("account run already finished (a redelivered job)")
            heartbeat.account_run_id = job.account_run_id
            login = job.login
            events.account_started(
                AccountStartedData(
                    src_username=login.src_username,
                    dst_username=login.dst_username,
                    already_copied=base.copied,
                )
            )
            return _copy(res, job, base, heartbeat, events)


def _copy(
    res: Resources, job: AccountJob, base: Counters, heartbeat: Heartbeat, events: JobEvents
) -> JobOutcome:
    budget = daily_budget(job.login.dst)
    progress = AccountProgress(res.sessions, job.account_run_id, base, events, daily_budget=budget)
    try:
        result = _attempts(res, job, heartbeat, events, progress)
    except CredentialsKeyError as exc:
        return _finish(res, job, events, _failed(progress.totals(), "credentials_key", str(exc)))
    except SoftTimeLimitExceeded:
        limit = res.settings.copy_time_limit_seconds
        message = f"stopped by the {limit} s job time limit; the next run resumes where it stopped"
        return _finish(res, job, events, _failed(progress.totals(), "time_limit", message, "timeout"))
    stopped = result is None or result.status == "cancelled"
    if stopped and heartbeat.reason == "shutdown":
        with res.sessions.begin() as session:
            account_runs.requeue(session, job.account_run_id, progress.totals())
        logger.info("account_job.requeued reason=worker_shutdown")
        return JobOutcome(JobSkipped(status="requeued", reason="worker shutting down"), requeue=True)
    if result is None:  # told to stop while waiting for a slot or backing off
        return _finish(res, job, events, AccountOutcome(AccountRunStatus.CANCELLED, progress.totals()))
    outcome = AccountOutcome(
        AccountRunStatus(result.status),
        progress.base.plus(Counters(result.copied, result.skipped, result.errors, result.bytes)),
        _summary(result),
        tuple(error.model_dump() for error in result.error_list),
        progress.folders,
    )
    return _finish(res, job, events, outcome)


def _attempts(
    res: Resources, job: AccountJob, heartbeat: Heartbeat, events: JobEvents, progress: AccountProgress
) -> AccountResult | None:
    """Copy, backing off and trying again while the servers throttle us (not counted as errors)."""
    settings, login = res.settings, job.login
    src, dst = imap_endpoints(login, res)
    connections = connections_per_side(login, settings)
    options = copy_options(login, connections)
    state = SqlSyncState(res.sessions, f"account:{login.account_id}", login.account_id)
    limits = slot_limits(login, settings)
    slots = EndpointSlots(res.redis, limits, settings.semaphore_lease_seconds, weight=connections)
    heartbeat.slots = slots
    waited, attempt = 0.0, 0
    while True:
        on_wait = _waiting(events, "endpoint connection limit reached")
        with endpoint_slots(slots, heartbeat.should_stop, on_wait) as acquired:
            if not acquired:
                return None
            result = copy_mailbox(src, dst, options, state, progress.on_event, heartbeat.should_stop)
        delay = THROTTLE_BACKOFF[min(attempt, len(THROTTLE_BACKOFF) - 1)]
        if result.error_code != Throttled.code or waited + delay > settings.throttle_wait_max_seconds:
            return result
        logger.warning("account_job.throttled attempt=%d backoff=%.0f", attempt + 1, delay)
        _waiting(events, f"server is throttling; trying again in {delay:.0f} s")()
        progress.next_attempt(result)
        if not _sleep(delay, heartbeat):
            return None  # cancelled or shutting down while backing off
        waited, attempt = waited + delay, attempt + 1


def _waiting(events: JobEvents, why: str) -> Callable[[], None]:
    return lambda: events.waiting(why)


def _sleep(seconds: float, heartbeat: Heartbeat) -> bool:
    """Sleep, waking early to stop; False when the job should stop."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if heartbeat.should_stop():
            return False
        time.sleep(min(1.0, deadline - time.monotonic()))
    return not heartbeat.should_stop()


def _summary(result: AccountResult) -> str | None:
    if result.message:
        return result.message
    if result.errors:
        first = result.error_list[0].reason if result.error_list else ""
        noun = "error" if result.errors == 1 else "errors"
        return f"{result.errors} {noun}; first: {first}"
    return None


def _failed(counters: Counters, code: str, message: str, kind: str = "protocol") -> AccountOutcome:
    errors = Counters(counters.copied, counters.skipped, counters.errors + 1, counters.bytes)
    item = {"code": code, "reason": message, "side": None, "kind": kind}
    return AccountOutcome(AccountRunStatus.FAILED, errors, message, (item,))


def _finish(res: Resources, job: AccountJob, events: JobEvents, outcome: AccountOutcome) -> JobOutcome:
    with res.sessions.begin() as session:
        recorded = account_runs.record(session, job.account_run_id, outcome, utcnow())
    counters = outcome.counters
    data = AccountDoneData(
        status=outcome.status, error_summary=outcome.error_summary, **dataclasses.asdict(counters)
    )
    events.flush()
    if recorded:
        events.account_done(data)
    logger.info(
        "account_job.done status=%s copied=%d errors=%d",
        outcome.status.value,
        counters.copied,
        counters.errors,
    )
    return JobOutcome(data, cancelled=outcome.status == AccountRunStatus.CANCELLED)
