"""Events a job publishes on its task's Redis channel, with progress throttled.

A copy reports progress after every batch, which on a fast loopback pair is hundreds of times a
second: the browser needs a few updates a second, so `progress` events are sent at most every
`interval` seconds (the latest one wins, the last is flushed at the end). Error events are capped
per job; the error list on the account run keeps the details.
"""

from __future__ import annotations

import time
from typing import Any

import redis

from app.events import EventType, publish

PROGRESS_INTERVAL = 0.5
MAX_ERROR_EVENTS = 50


class JobEvents:
    """The publisher of one job (a run's account, or a connection test)."""

    def __init__(
        self,
        client: redis.Redis[bytes],
        task_id: int,
        run_id: int | None = None,
        account_id: int | None = None,
        interval: float = PROGRESS_INTERVAL,
    ) -> None:
        self._redis = client
        self.task_id = task_id
        self.run_id = run_id
        self.account_id = account_id
        self._interval = interval
        self._last_progress = 0.0
        self._pending: dict[str, Any] | None = None
        self._errors = 0

    def emit(self, type_: EventType, data: dict[str, Any] | None = None) -> None:
        if type_ == EventType.ERROR:
            self._errors += 1
            if self._errors > MAX_ERROR_EVENTS:
                return
        publish(self._redis, type_, self.task_id, run_id=self.run_id, account_id=self.account_id, data=data)

    def progress(self, data: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - self._last_progress < self._interval:
            self._pending = data
            return
        self._last_progress, self._pending = now, None
        self.emit(EventType.PROGRESS, data)

    def flush(self) -> None:
        if self._pending is not None:
            data, self._pending = self._pending, None
            self._last_progress = time.monotonic()
            self.emit(EventType.PROGRESS, data)
