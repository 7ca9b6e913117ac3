"""Live run events on Redis pub/sub, one channel per task: the models of app/schemas/events.py as JSON.

Workers publish (workers/events.py adds throttling); the API publishes the few events it causes itself
(a cancel); the websocket (app/api/events.py) subscribes. Pub/sub is fire-and-forget: the database
stays the source of truth and a browser that missed an event reloads the state over HTTP.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import redis

from app.models.enums import Trigger
from app.schemas.events import (
    CancelledEvent,
    RunDoneData,
    RunDoneEvent,
    RunStartedData,
    RunStartedEvent,
    TaskBrokenData,
    TaskBrokenEvent,
    TaskEvent,
)

if TYPE_CHECKING:
    from app.services.runs import RunOutcome

logger = logging.getLogger(__name__)
CHANNEL_PREFIX = "imapcopier:events:task:"


def channel(task_id: int, db: int = 0) -> str:
    """The task's channel. Pub/sub ignores Redis database numbers, so the channel names the database:
    two installations (say a test run beside `make run`) sharing one Redis server stay apart."""
    return f"{CHANNEL_PREFIX}{db}:{task_id}"


def db_of(client: redis.Redis[bytes] | redis.client.PubSub) -> int:
    """The database number a client or pub/sub object was opened on."""
    return int(client.connection_pool.connection_kwargs.get("db", 0))


def publish(client: redis.Redis[bytes], event: TaskEvent) -> None:
    """Publish one event; never raises: a lost event must not fail a copy or a request."""
    try:
        client.publish(channel(event.task_id, db_of(client)), event.model_dump_json())
    except redis.RedisError as exc:
        logger.warning("events.publish_failed type=%s task_id=%s error=%s", event.type, event.task_id, exc)


def publish_started(
    client: redis.Redis[bytes], task_id: int, run_id: int, trigger: Trigger, accounts: int
) -> None:
    data = RunStartedData(trigger=trigger, accounts=accounts)
    publish(client, RunStartedEvent(task_id=task_id, run_id=run_id, data=data))


def publish_cancelled(client: redis.Redis[bytes], task_id: int, run_id: int) -> None:
    publish(client, CancelledEvent(task_id=task_id, run_id=run_id))


def publish_outcome(client: redis.Redis[bytes], outcome: RunOutcome) -> None:
    """`run_done` for a closed run, and `task_broken` when the breaker tripped."""
    totals = RunDoneData(
        status=outcome.status,
        trigger=outcome.trigger,
        total_copied=outcome.total_copied,
        total_skipped=outcome.total_skipped,
        total_errors=outcome.total_errors,
        total_bytes=outcome.total_bytes,
    )
    publish(client, RunDoneEvent(task_id=outcome.task_id, run_id=outcome.run_id, data=totals))
    if outcome.broke:
        broken = TaskBrokenData(errors=outcome.total_errors, reason="a scheduled run ended with errors")
        publish(client, TaskBrokenEvent(task_id=outcome.task_id, run_id=outcome.run_id, data=broken))
