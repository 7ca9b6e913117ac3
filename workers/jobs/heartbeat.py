"""A job's heartbeat: a background thread that, every few seconds, touches the run (the reaper's sign
of life), renews the job's endpoint slots, and reads whether the job should stop (cancel requested,
run closed, worker shutting down).

It is a thread rather than a call from the engine's progress callback because one IMAP command (a
50 MB APPEND over a slow link) can take longer than the reaper's patience, and a live job must not
look dead. `should_stop()` only reads a flag, so the engine can ask it between every batch.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

import redis
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.db import utcnow
from app.services.runs import account_runs
from workers.jobs.semaphore import EndpointSlots

logger = logging.getLogger(__name__)
SHUTDOWN_KEY_PREFIX = "imapcopier:worker-shutdown:"
# Set in-process by the worker_shutting_down signal (solo and thread pools); prefork children learn
# it from the Redis key the parent writes, since the parent does not signal them.
SHUTDOWN = threading.Event()


def shutdown_key(hostname: str) -> str:
    return f"{SHUTDOWN_KEY_PREFIX}{hostname}"


class Heartbeat:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: redis.Redis[bytes],
        run_id: int,
        interval: float,
        hostname: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._redis = client
        self.run_id = run_id
        self.interval = interval
        self._shutdown_key = shutdown_key(hostname) if hostname else None
        self.account_run_id: int | None = None
        self.slots: EndpointSlots | None = None
        self.reason: str | None = None  # "cancelled" | "shutdown" once the job should stop
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-run-{run_id}", daemon=True)

    def should_stop(self) -> bool:
        return self.reason is not None

    def beat(self) -> None:
        """One beat; errors are logged, not raised (the next beat tries again)."""
        try:
            with self._sessions.begin() as session:
                may_go_on = account_runs.beat(session, self.run_id, self.account_run_id, utcnow())
            if not may_go_on:
                self._stop("cancelled")
            if self.slots is not None:
                self.slots.renew()
            if SHUTDOWN.is_set() or (self._shutdown_key and self._redis.exists(self._shutdown_key)):
                self._stop("shutdown")
        except (SQLAlchemyError, redis.RedisError):
            logger.warning("heartbeat.failed run_id=%s", self.run_id, exc_info=True)

    def _stop(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
            logger.info("heartbeat.stop_requested run_id=%s reason=%s", self.run_id, reason)

    def _loop(self) -> None:
        while not self._done.wait(self.interval):
            self.beat()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._done.set()
        self._thread.join(timeout=self.interval + 5)
