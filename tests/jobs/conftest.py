"""Fixtures for the job system: settings with short timings, real worker processes, a large source
mailbox shared by the session, and builders for tasks whose accounts point at the Dovecot pair."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from sqlalchemy.engine import Engine

from app.config import Settings
from testbed.dovecot import ImapServer
from tests.settings import make_test_settings, test_redis_url
from tests.support.processes import BEAT_READY, FAST, WorkerPool, beat, process_env, redis_db_url

BIG_SOURCE_MESSAGES = 1500
BIG_SOURCES = 2


def broker_url() -> str:
    """The broker on its own Redis db: the `app` fixture flushes the events db before every test,
    which would also wipe the broker's queue bindings under the running workers."""
    return redis_db_url(test_redis_url(), 1)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Test settings plus the job system's: separate broker db, short heartbeats and stale limits."""
    return make_test_settings(broker_url=broker_url(), **FAST)


@pytest.fixture(scope="session")
def smtp_tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA and server certificate for the SMTP sink; the workers trust the CA (SMTP_CA_FILE)."""
    from testbed.tls import ensure_tls

    directory = tmp_path_factory.mktemp("smtp-tls")
    ensure_tls(directory)
    return directory


@pytest.fixture(scope="session")
def worker_env(settings: Settings, engine: Engine, smtp_tls_dir: Path) -> dict[str, str]:
    """The environment of worker and beat processes: the test database, Redis dbs and key."""
    redis.Redis.from_url(broker_url()).flushdb()
    return process_env(settings, FAST, SMTP_CA_FILE=str(smtp_tls_dir / "ca.pem"))


@pytest.fixture(scope="session")
def worker_pool(worker_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerPool]:
    pool = WorkerPool(worker_env, tmp_path_factory.mktemp("celery"))
    yield pool
    pool.stop_all()


def settle(settings: Settings, timeout: float = 30.0) -> None:
    """Wait until the workers have nothing queued or running, then forget unacknowledged messages of
    killed workers: a job left over from one test must not act on the next test's rows (the ids
    restart at 1 after every truncation)."""
    from app.dispatch import COPY_QUEUE, DEFAULT_QUEUE, make_client

    broker: redis.Redis[bytes] = redis.Redis.from_url(broker_url())
    client = make_client(settings)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        queued = broker.llen(COPY_QUEUE) + broker.llen(DEFAULT_QUEUE)
        active = client.control.inspect(timeout=0.5).active() or {}
        if not queued and not any(active.values()):
            break
        time.sleep(0.2)
    broker.delete("unacked", "unacked_index")
    broker.close()


@pytest.fixture
def one_worker(worker_pool: WorkerPool, settings: Settings) -> Iterator[WorkerPool]:
    """One worker process (concurrency 1) consuming both queues."""
    worker_pool.ensure("w1")
    yield worker_pool
    settle(settings)


@pytest.fixture
def two_workers(worker_pool: WorkerPool, settings: Settings) -> Iterator[WorkerPool]:
    """Two worker processes (concurrency 1 each) consuming both queues."""
    worker_pool.ensure("w1", "w2")
    yield worker_pool
    settle(settings)


@pytest.fixture
def any_workers(worker_pool: WorkerPool, settings: Settings) -> Iterator[WorkerPool]:
    """The pool, for tests that start, stop and kill workers themselves."""
    yield worker_pool
    worker_pool.ensure("w1")
    settle(settings)


@pytest.fixture
def beat_process(worker_env: dict[str, str], tmp_path: Path) -> Iterator[None]:
    """A real celery beat ticking every second."""
    proc = beat(worker_env, tmp_path)
    proc.start(ready_marker=BEAT_READY)
    yield
    proc.stop()


@functools.cache
def big_source_total() -> int:
    """Messages in each big source: the test corpus plus the small ones."""
    from testbed.corpus import generate

    return sum(1 for _ in generate("test")) + BIG_SOURCE_MESSAGES


@pytest.fixture(scope="session")
def big_sources(src_server: ImapServer) -> Iterator[list[str]]:
    """Source users holding the test corpus plus 1,500 small messages each: copies that last seconds.

    Shared read-only by the session's tests; each test copies them to its own destination users.
    """
    from testbed.corpus import generate, new_messages
    from testbed.corpus_imap import load_corpus
    from tests.imap_fixtures import new_username

    folders = ("INBOX", "Archive/2023", "Projects")
    messages = [*generate("test"), *new_messages(BIG_SOURCE_MESSAGES, folders=folders)]
    usernames = [new_username("bigsrc") for _ in range(BIG_SOURCES)]
    with ThreadPoolExecutor(max_workers=BIG_SOURCES) as pool:
        list(pool.map(lambda user: load_corpus(src_server, user, messages), usernames))
    yield usernames
    for username in usernames:
        src_server.reset_user(username)


@pytest.fixture
def big_source(big_sources: list[str]) -> str:
    return big_sources[0]


@pytest.fixture
def dst_users(dst_server: ImapServer) -> Iterator[list[str]]:
    """Fresh destination users; their mail is deleted afterwards."""
    from tests.imap_fixtures import new_username

    users = [new_username("dst") for _ in range(8)]
    yield users
    for user in users:
        dst_server.reset_user(user)
