"""Live run events on Redis pub/sub, one channel per task: `{type, task_id, run_id, account_id, data, ts}`.

Workers publish (workers/events.py adds throttling); the API publishes the few events it causes itself
(a cancel); the websocket (app/api/events.py) subscribes. Pub/sub is fire-and-forget: the database
stays the source of truth and a browser that missed an event reloads the state over HTTP.
"""

from __future__ import annotations

import json
import logging
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import redis

from app.db import utcnow

if TYPE_CHECKING:
    from app.services.runs import RunOutcome

logger = logging.getLogger(__name__)
CHANNEL_PREFIX = "imapcopier:events:task:"


class EventType(StrEnum):
    RUN_STARTED = "run_started"
    PLAN = "plan"
    ACCOUNT_STARTED = "account_started"
    FOLDER = "folder"
    PROGRESS = "progress"
    ACCOUNT_DONE = "account_done"
    ACCOUNT_TEST = "account_test"
    ERROR = "error"
    CANCELLED = "cancelled"
    RUN_DONE = "run_done"
    TASK_BROKEN = "task_broken"


def channel(task_id: int, db: int = 0) -> str:
    """The task's channel. Pub/sub ignores Redis database numbers, so the channel names the database:
    two installations (say a test run beside `make run`) sharing one Redis server stay apart."""
    return f"{CHANNEL_PREFIX}{db}:{task_id}"


def db_of(client: redis.Redis[bytes] | redis.client.PubSub) -> int:
    """The database number a client or pub/sub object was opened on."""
    return int(client.connection_pool.connection_kwargs.get("db", 0))


def encode(
    type_: EventType,
    task_id: int,
    *,
    run_id: int | None = None,
    account_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> str:
    event = {
        "type": type_.value,
        "task_id": task_id,
        "run_id": run_id,
        "account_id": account_id,
        "data": data or {},
        "ts": utcnow().isoformat().replace("+00:00", "Z"),
    }
    return json.dumps(event, default=str)


def publish(
    client: redis.Redis[bytes],
    type_: EventType,
    task_id: int,
    *,
    run_id: int | None = None,
    account_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Publish one event; never raises: a lost event must not fail a copy or a request."""
    message = encode(type_, task_id, run_id=run_id, account_id=account_id, data=data)
    try:
        client.publish(channel(task_id, db_of(client)), message)
    except redis.RedisError as exc:
        logger.warning("events.publish_failed type=%s task_id=%s error=%s", type_.value, task_id, exc)


def publish_outcome(client: redis.Redis[bytes], outcome: RunOutcome) -> None:
    """`run_done` for a closed run, and `task_broken` when the breaker tripped."""
    totals = {
        "status": outcome.status.value,
        "trigger": outcome.trigger.value,
        "total_copied": outcome.total_copied,
        "total_skipped": outcome.total_skipped,
        "total_errors": outcome.total_errors,
        "total_bytes": outcome.total_bytes,
    }
    publish(client, EventType.RUN_DONE, outcome.task_id, run_id=outcome.run_id, data=totals)
    if outcome.broke:
        data = {"errors": outcome.total_errors, "reason": "a scheduled run ended with errors"}
        publish(client, EventType.TASK_BROKEN, outcome.task_id, run_id=outcome.run_id, data=data)
