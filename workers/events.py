"""The one place a worker builds its events (the models of app/schemas/events.py), with progress
throttled.

A copy reports progress after every batch, which on a fast loopback pair is hundreds of times a
second: the browser needs a few updates a second, so `progress` events are sent at most every
`interval` seconds (the latest one wins, the last is flushed at the end). Error events are capped
per job; the error list on the account run keeps the details.
"""

from __future__ import annotations

import time

import redis

from app.events import publish
from app.schemas.events import (
    AccountDoneData,
    AccountDoneEvent,
    AccountStartedData,
    AccountStartedEvent,
    AccountTestData,
    AccountTestEvent,
    ErrorData,
    ErrorEvent,
    FolderData,
    FolderEvent,
    PlanData,
    PlanEvent,
    ProgressData,
    ProgressEvent,
    TaskEvent,
)

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
        self._pending: ProgressData | None = None
        self._errors = 0

    def _send(self, event: TaskEvent) -> None:
        publish(self._redis, event)

    def _ids(self) -> dict[str, int | None]:
        return {"task_id": self.task_id, "run_id": self.run_id, "account_id": self.account_id}

    def account_started(self, data: AccountStartedData) -> None:
        self._send(AccountStartedEvent.model_validate({**self._ids(), "data": data}))

    def plan(self, data: PlanData) -> None:
        self._send(PlanEvent.model_validate({**self._ids(), "data": data}))

    def folder(self, data: FolderData) -> None:
        self._send(FolderEvent.model_validate({**self._ids(), "data": data}))

    def account_done(self, data: AccountDoneData) -> None:
        self._send(AccountDoneEvent.model_validate({**self._ids(), "data": data}))

    def account_test(self, data: AccountTestData) -> None:
        self._send(AccountTestEvent.model_validate({**self._ids(), "data": data}))

    def error(self, data: ErrorData) -> None:
        self._errors += 1
        if self._errors <= MAX_ERROR_EVENTS:
            self._send(ErrorEvent.model_validate({**self._ids(), "data": data}))

    def waiting(self, why: str) -> None:
        """The job is paused (connection slots, a throttling server): sent at once."""
        self._send_progress(ProgressData(waiting=why))

    def progress(self, data: ProgressData) -> None:
        now = time.monotonic()
        if now - self._last_progress < self._interval:
            self._pending = data
            return
        self._last_progress, self._pending = now, None
        self._send_progress(data)

    def flush(self) -> None:
        if self._pending is not None:
            data, self._pending = self._pending, None
            self._last_progress = time.monotonic()
            self._send_progress(data)

    def _send_progress(self, data: ProgressData) -> None:
        self._send(ProgressEvent.model_validate({**self._ids(), "data": data}))
