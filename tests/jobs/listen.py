"""Collect a task's live events from Redis pub/sub in a background thread (what the websocket reads);
every event must validate against its published model (app/schemas/events.py)."""

from __future__ import annotations

import json
import threading
import time
from types import TracebackType
from typing import Any

import redis

from app.events import channel, db_of
from app.schemas.events import TASK_EVENT


class EventLog:
    """`with EventLog(url, task_id) as log:` ... `log.wait_for("run_done")`."""

    def __init__(self, redis_url: str, task_id: int) -> None:
        self._client: redis.Redis[bytes] = redis.Redis.from_url(redis_url)
        self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(channel(task_id, db_of(self._client)))
        self.events: list[dict[str, Any]] = []
        self.invalid: list[str] = []  # events that do not match their published model
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        while not self._stop.is_set():
            message = self._pubsub.get_message(timeout=0.2)
            if message is not None:
                self.events.append(json.loads(message["data"]))
                try:
                    TASK_EVENT.validate_json(message["data"])
                except ValueError as exc:
                    self.invalid.append(f"{message['data']!r}: {exc}")

    def types(self) -> list[str]:
        return [event["type"] for event in self.events]

    def of(self, type_: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == type_]

    def wait_for(self, type_: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(type_)
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no {type_} event within {timeout:.0f} s; got {self.types()}")

    def __enter__(self) -> EventLog:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._pubsub.close()
        self._client.close()
        if exc_type is None:
            assert not self.invalid, f"events that do not match their model: {self.invalid}"
