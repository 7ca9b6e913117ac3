"""The live-events websocket: GET /api/ws (flask-sock), same login session as the rest of /api.

The app's before_request guard runs for the upgrade request too, so an unauthenticated client gets
the usual 401 and no socket. Protocol: the client sends `{"subscribe": <task_id>}` (or
`{"unsubscribe": <task_id>}`); the server answers `{"type": "subscribed", "task_id": ...}` and then
forwards that task's events from Redis pub/sub as they come (app/events.py has their shape).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis
from flask import Blueprint
from flask_sock import Sock

from app.events import channel, db_of
from app.extensions import close_db, resources

logger = logging.getLogger(__name__)
bp = Blueprint("events", __name__)
sock = Sock()
IDLE_RECEIVE_SECONDS = 1.0
EVENT_WAIT_SECONDS = 0.5


def _reply(ws: Any, type_: str, **fields: Any) -> None:
    ws.send(json.dumps({"type": type_, **fields}))


def _handle(ws: Any, pubsub: redis.client.PubSub, text: str) -> None:
    try:
        message = json.loads(text)
        action, task_id = next((k, message[k]) for k in ("subscribe", "unsubscribe") if k in message)
        if not isinstance(task_id, int) or isinstance(task_id, bool):
            raise TypeError(task_id)
    except (ValueError, TypeError, StopIteration):
        _reply(ws, "protocol_error", data={"message": 'send {"subscribe": <task id>}'})
        return
    if action == "subscribe":
        pubsub.subscribe(channel(task_id, db_of(pubsub)))
    else:
        pubsub.unsubscribe(channel(task_id, db_of(pubsub)))
    _reply(ws, f"{action}d", task_id=task_id)


def _forward(ws: Any, pubsub: redis.client.PubSub) -> None:
    while True:
        # Without a subscription redis-py's get_message returns at once: wait on the socket instead.
        incoming = ws.receive(timeout=0 if pubsub.subscribed else IDLE_RECEIVE_SECONDS)
        if incoming is not None:
            _handle(ws, pubsub, incoming if isinstance(incoming, str) else incoming.decode())
        if pubsub.subscribed:
            message = pubsub.get_message(ignore_subscribe_messages=True, timeout=EVENT_WAIT_SECONDS)
            if message is not None:
                data = message["data"]
                ws.send(data.decode() if isinstance(data, bytes) else str(data))


@sock.route("/ws", bp=bp)  # type: ignore[untyped-decorator]
def events(ws: Any) -> None:
    """Stream a task's run events to a logged-in browser."""
    # The guard's DB session would otherwise stay checked out for the socket's whole life.
    close_db()
    pubsub = resources().redis.pubsub()
    try:
        _forward(ws, pubsub)
    finally:
        pubsub.close()
