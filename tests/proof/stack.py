"""A private, self-contained job stack for fault and load tests: its own PostgreSQL cluster and Redis
server on free loopback ports (tests/proof/servers.py), migrated, with real Celery workers, beats and
a gunicorn pointed at them.

The shared PostgreSQL (54329) and Redis (63790) serve every engineer's test runs at once, so a test
that restarts them, or whose workers would consume another session's jobs, must not touch them.
Everything here is started and stopped by the stack itself:

    with private_stack(tmp_dir) as stack:
        stack.pool.ensure("w1", "w2"); api = stack.api(); ...; stack.postgres.restart()
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import redis
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from app import create_app
from app.config import Settings
from app.services import auth as auth_service
from app.services.runs.transitions import OPEN_ACCOUNT_RUN
from testbed.dovecot import free_ports
from tests.conftest import ADMIN_PASSWORD, ADMIN_USERNAME, ApiClient
from tests.proof.servers import START_TIMEOUT, PrivatePostgres, PrivateRedis, sweep_orphans
from tests.settings import make_test_settings
from tests.support import processes
from tests.support.database import migrate, truncate_all
from tests.support.processes import BEAT_READY, FAST, CeleryProcess, WebProcess, WorkerPool, process_env


def _forget_chord_results(app: Flask) -> None:
    """Drop the result subscriptions the API's Celery producer holds for every chord it dispatched.

    Celery's Redis backend subscribes the producer to each copy job's result channel and keeps the
    result objects until they are fulfilled, which never happens in a process that does not wait for
    them (docs/decisions.md, "Celery traps"). Left alone, each one tries for 20 s at interpreter exit to
    unsubscribe from a Redis this stack has already stopped.
    """
    client = app.extensions.get("imapcopier.celery")
    if client is None:
        return
    backend = client.backend
    for mapping in backend._pending_results:
        mapping.clear()
    backend.result_consumer.subscribed_to.clear()
    backend.result_consumer.stop()


@dataclass
class PrivateStack:
    postgres: PrivatePostgres
    redis: PrivateRedis
    settings: Settings
    env: dict[str, str]
    engine: Engine
    pool: WorkerPool
    log_dir: Path
    beats: list[CeleryProcess] = field(default_factory=list)
    _app: Flask | None = None

    @classmethod
    def start(cls, log_dir: Path, **timings: float) -> PrivateStack:
        """Start PostgreSQL and Redis, migrate, and describe the workers' environment (none run yet)."""
        sweep_orphans()
        pg_port, redis_port = free_ports(2)
        postgres, server = PrivatePostgres(pg_port), PrivateRedis(redis_port)
        try:
            postgres.create()
            server.start()
            migrate(postgres.url)
        except Exception:
            postgres.destroy()
            server.destroy()
            raise
        values = {**FAST, **timings}
        settings = make_test_settings(
            database_url=postgres.url, redis_url=server.url(0), broker_url=server.url(1), **values
        )
        env = process_env(settings, values)
        engine = create_engine(postgres.url, pool_pre_ping=True)
        return cls(postgres, server, settings, env, engine, WorkerPool(env, log_dir), log_dir)

    def __enter__(self) -> PrivateStack:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        processes = [*self.beats, *self.pool.workers.values()]
        with ThreadPoolExecutor(max_workers=max(1, len(processes))) as pool:
            list(pool.map(lambda proc: proc.stop(), processes))  # each warm shutdown takes seconds
        if self._app is not None:
            _forget_chord_results(self._app)
            self._app.extensions["imapcopier"].engine.dispose()
        self.engine.dispose()
        self.postgres.destroy()
        self.redis.destroy()

    def beat(self, name: str = "beat") -> CeleryProcess:
        """Start one more celery beat (each with its own schedule file, as on separate hosts)."""
        proc = processes.beat(self.env, self.log_dir, name)
        proc.start(ready_marker=BEAT_READY)
        self.beats.append(proc)
        return proc

    def stop_beats(self) -> None:
        for beat in self.beats:
            beat.stop()
        self.beats.clear()

    def app(self) -> Flask:
        if self._app is None:
            auth_service.HASH_METHOD = "pbkdf2:sha256:1000"  # logins are cheap in tests
            self._app = create_app(self.settings)
            with self._app.extensions["imapcopier"].sessions.begin() as session:
                auth_service.set_admin(session, ADMIN_USERNAME, ADMIN_PASSWORD)
        return self._app

    def api(self) -> ApiClient:
        """A test client of the stack's Flask app, logged in as the admin."""
        client = self.app().test_client()
        login = {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
        response = client.post("/api/auth/login", json=login)
        body: dict[str, Any] = response.get_json()
        assert response.status_code == 200, body
        return ApiClient(client, body["csrf_token"])

    def heal(self) -> None:
        """Bring back whatever a fault left stopped: the databases first, then the two workers."""
        if not self.postgres.running():
            self.postgres.start()
        if self.redis.proc is None or self.redis.proc.poll() is not None:
            self.redis.start()
        self.pool.ensure("w1", "w2")

    def reset(self) -> None:
        """Empty every table but the users, and forget what the broker still holds.

        Ids keep counting (no RESTART IDENTITY): a job left over from an earlier test then names rows
        that no longer exist and does nothing, instead of acting on this test's rows.
        """
        truncate_all(self.engine, keep=("users", "api_tokens"), restart_ids=False)
        redis.Redis.from_url(self.settings.broker_url or "").flushdb()

    def idle(self, timeout: float = 30.0) -> bool:
        """Wait until nothing is queued and no run or account run is open; False on timeout."""
        from app.dispatch import COPY_QUEUE, DEFAULT_QUEUE

        broker: redis.Redis[bytes] = redis.Redis.from_url(self.settings.broker_url or "")
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                with contextlib.suppress(redis.RedisError):
                    if not broker.llen(COPY_QUEUE) + broker.llen(DEFAULT_QUEUE) and not self._open_rows():
                        return True
                time.sleep(0.2)
            return False
        finally:
            broker.close()

    def _open_rows(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(text(_OPEN_ROWS)) or 0)


_OPEN_ROWS = (
    "SELECT (SELECT count(*) FROM runs WHERE finished_at IS NULL)"
    " + (SELECT count(*) FROM account_runs WHERE status IN"
    f" ({', '.join(repr(status.value) for status in OPEN_ACCOUNT_RUN)}))"
)


@contextlib.contextmanager
def web_server(stack: PrivateStack, workers: int = 2, threads: int = 8) -> Iterator[str]:
    """gunicorn (gthread, as in the Procfile) on a free loopback port; yields its base URL."""
    web = WebProcess(stack.env, stack.log_dir, workers=workers, threads=threads, name="gunicorn")
    try:
        web.start(timeout=START_TIMEOUT)
        yield web.url
    finally:
        web.stop(timeout=15)


@contextlib.contextmanager
def private_stack(log_dir: Path, **timings: float) -> Iterator[PrivateStack]:
    stack = PrivateStack.start(log_dir, **timings)
    try:
        yield stack
    finally:
        stack.close()
