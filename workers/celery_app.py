"""The Celery app of the workers and beat: `celery -A workers.celery_app worker|beat`.

Built from Settings (no Flask). The tasks (workers/tasks.py) need DB sessions, Redis and the secret
box, which workers/context.py makes per process on first use. Each Celery trap is handled where the
option is set, with the reason next to it (the list: docs/decisions.md, "Celery traps").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from celery import Celery
from celery import Task as CeleryTask
from celery.schedules import crontab
from celery.signals import setup_logging, worker_process_init, worker_ready, worker_shutting_down

from app.config import Settings, get_settings
from app.dispatch import (
    COPY_ACCOUNT,
    REAP_STALE,
    SCAN_DUE_TASKS,
    SEND_DIGEST,
    SWEEP_NOTIFICATIONS,
    shared_config,
)
from app.logging_setup import configure_logging
from workers import context
from workers.jobs.heartbeat import SHUTDOWN, shutdown_key

logger = logging.getLogger(__name__)
# The broker must not hand an unacknowledged copy job to another worker while the first still runs
# it: Redis redelivers after `visibility_timeout`, so keep it an hour above the hard time limit.
VISIBILITY_MARGIN_SECONDS = 3600
REAP_EVERY_MAX_SECONDS = 60.0
# Short jobs: a scan, a finalize, a login test or a plan takes seconds; these bound a hung socket.
SHORT_LIMIT, SHORT_SOFT_LIMIT = 120, 100
P = ParamSpec("P")
R = TypeVar("R")
SWEEP_EVERY_SECONDS = 60.0  # notifications whose delivery job was lost


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    scan_every = settings.scan_interval_seconds
    reap_every = min(REAP_EVERY_MAX_SECONDS, settings.run_stale_seconds / 3)
    return {
        "scan-due-tasks": {
            "task": SCAN_DUE_TASKS,
            "schedule": scan_every,
            # A tick still queued when the next is due is obsolete: the next one does the same work,
            # so ticks do not pile up while the workers are down.
            "options": {"expires": scan_every},
        },
        "reap-stale-runs": {"task": REAP_STALE, "schedule": reap_every, "options": {"expires": reap_every}},
        "daily-digest": {
            "task": SEND_DIGEST,
            "schedule": crontab(minute=0, hour=settings.notify_digest_hour),
        },
        "sweep-notifications": {
            "task": SWEEP_NOTIFICATIONS,
            "schedule": SWEEP_EVERY_SECONDS,
            "options": {"expires": SWEEP_EVERY_SECONDS},
        },
    }


def worker_config(settings: Settings) -> dict[str, Any]:
    """The whole configuration of the worker and beat processes."""
    copy_limit = settings.copy_time_limit_seconds
    return {
        **shared_config(settings),
        # Prefetch 1 with separate queues (copy / default): a worker slot never holds a second job
        # in reserve behind hours of copying, and short jobs have their own workers (Procfile).
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": {
            "visibility_timeout": settings.copy_time_limit_seconds + VISIBILITY_MARGIN_SECONDS
        },
        # A prefork child killed mid-job (OOM, SIGKILL) is reported as failed, not requeued: a job
        # that kills its worker would otherwise be redelivered forever. The chord errback then
        # finalizes the run and the next run resumes from the sync state.
        "task_reject_on_worker_lost": False,
        # After a lost broker connection the copy keeps running; its redelivered duplicate finds
        # the account locked, then finished, and does nothing (account_job.py).
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        "worker_send_task_events": True,  # for Flower
        "task_send_sent_event": True,
        "beat_schedule": beat_schedule(settings),
        # The hard limit bounds a single account copy (hours); the soft one lets the job record a
        # "time limit" failure before it is killed. Set here, not on the decorator, so that the
        # settings are read when the worker starts rather than when workers.tasks is imported.
        "task_annotations": {
            COPY_ACCOUNT: {
                "time_limit": copy_limit,
                "soft_time_limit": copy_limit - min(300, copy_limit // 10),
            }
        },
    }


def make_celery(settings: Settings | None = None) -> Celery:
    """The workers' Celery app; its configuration is read from Settings on first use, not now."""
    app = Celery("imapcopier", include=["workers.tasks", "workers.notify_tasks"])
    app.add_defaults(lambda: worker_config(settings or get_settings()))
    return app


celery_app = make_celery()


def short_job(name: str) -> Callable[[Callable[P, R]], CeleryTask[P, R]]:
    """Options of the short, idempotent jobs on the default queue: redelivered if a worker dies
    mid-job (acks_late), no result kept, limits of seconds."""
    return celery_app.task(
        name=name,
        acks_late=True,
        ignore_result=True,
        time_limit=SHORT_LIMIT,
        soft_time_limit=SHORT_SOFT_LIMIT,
    )


@setup_logging.connect
def _setup_logging(**_: Any) -> None:
    # Connecting this signal keeps Celery from replacing our handlers (job ids on every line).
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)


@worker_process_init.connect
def _after_fork(**_: Any) -> None:
    context.after_fork()


@worker_ready.connect
def _ready(sender: Any = None, **_: Any) -> None:
    # A restarted worker reusing its hostname must not read its predecessor's shutdown flag.
    hostname = getattr(sender, "hostname", None)
    if hostname:
        context.resources().redis.delete(shutdown_key(hostname))


@worker_shutting_down.connect
def _shutting_down(sender: Any = None, **_: Any) -> None:
    # Warm shutdown waits for running jobs, which for a copy can mean hours: tell them (through
    # Redis, since prefork children get no signal) to stop after their batch and requeue the rest.
    SHUTDOWN.set()
    if sender:
        try:
            context.resources().redis.set(shutdown_key(str(sender)), "1", ex=3600)
        except Exception:  # shutting down anyway; the jobs then finish normally or are redelivered
            logger.warning("worker.shutdown_flag_failed hostname=%s", sender, exc_info=True)
