"""The only place app/ enqueues Celery work: by task name (app/ never imports workers/), and only
after the caller has committed the rows the job will read.

The Celery configuration both sides share (broker, routes, result expiry) is here too, so a producer
(the API, or the scan inside a worker) and the workers agree on queues and on how long chord state
lives.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import Celery, chord, signature
from celery.canvas import Signature

from app.config import Settings
from app.db import utcnow
from app.events import publish_outcome, publish_started
from app.resources import Resources
from app.services.runs import ClaimedRun, finalize_run

logger = logging.getLogger(__name__)

COPY_QUEUE = "copy"  # long jobs: one account copy each, minutes to hours
DEFAULT_QUEUE = "default"  # short jobs: scan, reap, finalize, connection tests, plans
COPY_ACCOUNT = "runs.copy_account"
FINALIZE_RUN = "runs.finalize_run"
ON_CHORD_ERROR = "runs.on_chord_error"
TEST_ACCOUNT = "runs.test_account"
PLAN_TASK = "runs.plan_task"
PROBE_ENDPOINT = "runs.probe_endpoint"
SCAN_DUE_TASKS = "runs.scan_due_tasks"
REAP_STALE = "runs.reap_stale"
NOTIFY_RUN = "notifications.for_run"
DELIVER_NOTIFICATION = "notifications.deliver"
SEND_DIGEST = "notifications.digest"
SWEEP_NOTIFICATIONS = "notifications.sweep"
# Written by every scan: /readyz reports the scheduler stale when it is older than a few intervals.
BEAT_TICK_KEY = "imapcopier:beat:last_tick"
# Separate queues so a short job never waits behind hours of copying on the same worker slots.
TASK_ROUTES = {COPY_ACCOUNT: {"queue": COPY_QUEUE}, "runs.*": {"queue": DEFAULT_QUEUE}}


def broker_url(settings: Settings) -> str:
    return settings.broker_url or settings.redis_url


def shared_config(settings: Settings) -> dict[str, Any]:
    """Configuration every Celery app of the product uses, producer or worker."""
    return {
        "broker_url": broker_url(settings),
        "result_backend": broker_url(settings),
        "task_routes": TASK_ROUTES,
        "task_default_queue": DEFAULT_QUEUE,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "enable_utc": True,
        # Trap: the Redis backend keeps a chord's join counter under a key that expires after
        # result_expires (refreshed as each header job reports). A run of hundreds of accounts
        # queued behind others can take days, so keep results a week, well above the longest run;
        # if the counter vanished anyway, the reaper finalizes the run from Postgres.
        "result_expires": timedelta(days=7),
        "broker_connection_retry_on_startup": True,
    }


def make_client(settings: Settings) -> Celery:
    """A producer-only Celery app (no tasks registered: everything is sent by name)."""
    client = Celery("imapcopier-client", set_as_current=False)
    client.conf.update(shared_config(settings))
    return client


def _sig(celery: Celery, name: str, *args: Any, queue: str = DEFAULT_QUEUE) -> Signature[Any]:
    # Immutable: the callback takes the run id only; it reads the account results from Postgres.
    return signature(name, args=args, queue=queue, immutable=True, app=celery)


def start_run(celery: Celery, run_id: int, account_ids: tuple[int, ...] | list[int]) -> None:
    """One chord per run: a copy job per account on the copy queue, finalize_run as the callback and
    on_chord_error as the errback (both call the same idempotent finalize)."""
    if not account_ids:
        celery.send_task(FINALIZE_RUN, args=(run_id,), queue=DEFAULT_QUEUE)
        return
    header = [_sig(celery, COPY_ACCOUNT, run_id, account_id, queue=COPY_QUEUE) for account_id in account_ids]
    body = _sig(celery, FINALIZE_RUN, run_id)
    body.on_error(_sig(celery, ON_CHORD_ERROR, run_id))
    result = chord(header, app=celery)(body)
    header_results = getattr(result.parent, "results", None) or []
    ids = [result.id, *(child.id for child in header_results)]
    release_results(celery, ids)
    logger.info("dispatch.run run_id=%s accounts=%d", run_id, len(account_ids))


def release_results(celery: Celery, task_ids: list[str]) -> None:
    """Forget that this process sent these tasks.

    Trap: the Redis result backend subscribes the sending process to each task's result channel and
    keeps its result object until someone reads it (celery #3812, #4824). The sender of a chord (the
    web process, a scan) never reads them, finalize reads Postgres, so they would pile up for the
    life of the process: one subscription and one object per account of every run.
    """
    backend = celery.backend
    pending = getattr(backend, "_pending_results", ())
    consumer = getattr(backend, "result_consumer", None)
    for task_id in task_ids:
        for mapping in pending:
            mapping.pop(task_id, None)
        if consumer is not None:
            consumer.cancel_for(task_id)


def launch(celery: Celery, res: Resources, claimed: ClaimedRun) -> None:
    """After the claim's commit: announce the run and dispatch its chord. If the broker cannot take
    it, the run is closed at once as abandoned (an infrastructure failure) instead of hanging."""
    publish_started(res.redis, claimed.task_id, claimed.run_id, claimed.trigger, len(claimed.account_ids))
    try:
        start_run(celery, claimed.run_id, claimed.account_ids)
    except Exception:  # kombu/redis/socket errors alike: the run must not stay open with no jobs
        logger.exception("dispatch.run_failed run_id=%s", claimed.run_id)
        with res.sessions.begin() as session:
            outcome = finalize_run(session, claimed.run_id, utcnow())
        if outcome is not None:
            publish_outcome(res.redis, outcome)


def notify_run(celery: Celery, run_id: int, broke: bool) -> None:
    """After finalize's commit: one short job creates and sends the run's notifications. No broker
    retries (retry=False): a broker that is down must not hold up the caller; the error is raised."""
    celery.send_task(NOTIFY_RUN, args=(run_id, broke), queue=DEFAULT_QUEUE, retry=False)


def deliver_notifications(celery: Celery, notification_ids: list[int]) -> None:
    """After the commit that created them: one delivery job each."""
    for notification_id in notification_ids:
        celery.send_task(DELIVER_NOTIFICATION, args=(notification_id,), queue=DEFAULT_QUEUE)


def test_accounts(celery: Celery, account_ids: list[int]) -> None:
    """One connection-test job per account (it tests both sides)."""
    for account_id in account_ids:
        celery.send_task(TEST_ACCOUNT, args=(account_id,), queue=DEFAULT_QUEUE)
    logger.info("dispatch.tests accounts=%d", len(account_ids))


def plan(celery: Celery, task_id: int, account_id: int, timeout: float) -> dict[str, Any]:
    """Run the dry-run plan job and wait for it (bounded).

    Raises: celery.exceptions.TimeoutError when no worker answered in time.
    """
    return _wait_for(celery, PLAN_TASK, (task_id, account_id), timeout)


def probe_endpoint(celery: Celery, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run the endpoint probe job (its password already encrypted in `spec`) and wait for it.

    Raises: celery.exceptions.TimeoutError when no worker answered in time.
    """
    return _wait_for(celery, PROBE_ENDPOINT, (spec,), timeout)


def _wait_for(celery: Celery, name: str, args: tuple[Any, ...], timeout: float) -> dict[str, Any]:
    # expires: if no worker picks it up before the caller gives up, nobody needs the answer.
    result = celery.send_task(name, args=args, queue=DEFAULT_QUEUE, expires=timeout)
    try:
        answer: dict[str, Any] = result.get(timeout=timeout, propagate=True)
    finally:
        result.forget()
    return answer
