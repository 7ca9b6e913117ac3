"""End-to-end fixtures: the real stack (gunicorn web with websockets, Celery workers and beat,
PostgreSQL, Redis, the Dovecot pair) for this package's tests, the built UI, and Debian's Chromium
driven by Playwright.

The processes are package-scoped, not session-scoped: they stop when this package's tests are done
(a beat left running would scan for due tasks while the rest of the session runs). They use a
database and Redis dbs of their own (tests/e2e/stack.py says why).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.config import REPO_ROOT, Settings
from app.services import auth as auth_service
from testbed.dovecot import ImapServer
from testbed.dovecot_config import SMALL_MAX_MAIL_SIZE
from tests.e2e.browser_log import BrowserLog
from tests.e2e.stack import FRONTEND, build_frontend_if_stale, e2e_broker_url, e2e_database_url, e2e_redis_url
from tests.imap_fixtures import new_username
from tests.settings import make_test_settings
from tests.support.database import migrate
from tests.support.processes import (
    BEAT_READY,
    FAST,
    WORKER_READY,
    CeleryProcess,
    WebProcess,
    beat,
    free_port,
    process_env,
    worker,
)

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "e2e-admin-password"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Enough extra small messages that a run lasts a few seconds: long enough to reload the page mid-run.
BIG_EXTRA_MESSAGES = 3000
# A zone far from UTC (and with a half-hour offset), so a time shown in UTC would be visibly wrong.
BROWSER_TIME_ZONE = "Asia/Kolkata"
# Playwright's 5 s default is short for a loaded CI machine with two workers copying mail.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The e2e database and Redis dbs, with the job system's short timings (beat scans every second)."""
    auth_service.HASH_METHOD = "pbkdf2:sha256:1000"
    return make_test_settings(
        database_url=e2e_database_url(), redis_url=e2e_redis_url(), broker_url=e2e_broker_url(), **FAST
    )


@pytest.fixture(scope="package")
def engine(settings: Settings) -> Iterator[Engine]:
    """The e2e database, created if needed and migrated to head (tests/conftest.py's clean_db empties
    this one for the package's tests)."""
    migrate(settings.database_url, create=True)
    eng = create_engine(settings.database_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="package")
def stack_env(settings: Settings, engine: Engine) -> dict[str, str]:
    """The environment of the web, worker and beat processes."""
    redis.Redis.from_url(e2e_broker_url()).flushdb()
    redis.Redis.from_url(e2e_redis_url()).flushdb()
    return process_env(settings, FAST, FRONTEND_DIST=str(FRONTEND / "dist"))


@pytest.fixture(scope="package")
def frontend_dist() -> Path:
    return build_frontend_if_stale()


@pytest.fixture(scope="package")
def stack(
    stack_env: dict[str, str], frontend_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The web process serving the built UI, two workers and beat; yields the base URL."""
    log_dir = tmp_path_factory.mktemp("e2e-stack")
    port = free_port()
    # The OAuth2 Connect flow sends the browser back to PUBLIC_BASE_URL: the web process's own address.
    web = WebProcess({**stack_env, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}, log_dir, port=port)
    web.launch()
    procs: list[CeleryProcess] = [worker(f"e2e{i}", stack_env, log_dir) for i in (1, 2)]
    procs.append(beat(stack_env, log_dir))
    try:
        # Started side by side: each takes a few seconds to import the app.
        with ThreadPoolExecutor(max_workers=len(procs)) as pool:
            markers = [WORKER_READY, WORKER_READY, BEAT_READY]
            list(pool.map(lambda pm: pm[0].start(ready_marker=pm[1]), zip(procs, markers, strict=True)))
        web.wait_ready()
        yield web.url
    finally:
        web.stop()
        with ThreadPoolExecutor(max_workers=len(procs)) as pool:
            list(pool.map(CeleryProcess.stop, procs))


@pytest.fixture
def admin(stack: str, clean_db: Engine) -> tuple[str, str]:
    """An empty database with the administrator; returns its credentials."""
    with Session(clean_db) as session, session.begin():
        auth_service.set_admin(session, ADMIN_USERNAME, ADMIN_PASSWORD)
    return ADMIN_USERNAME, ADMIN_PASSWORD


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless. Playwright gives every launch a fresh temporary profile
    (--user-data-dir), and every test gets its own context (cookies, storage)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob("FAILED-*.png"):
        stale.unlink()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test body failed, for the page fixture's failure screenshot."""
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


@pytest.fixture
def new_page(
    browser: Browser, stack: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., tuple[Page, BrowserLog]]]:
    """Opens pages in fresh contexts; each page's console errors fail the test unless expected."""
    opened: list[tuple[Page, BrowserLog]] = []

    def open_page(width: int = 1280, height: int = 900) -> tuple[Page, BrowserLog]:
        context = browser.new_context(
            base_url=stack,
            viewport={"width": width, "height": height},
            locale="en-US",
            timezone_id=BROWSER_TIME_ZONE,
        )
        page = context.new_page()
        log = BrowserLog(page)
        opened.append((page, log))
        return page, log

    yield open_page
    for index, (page, log) in enumerate(opened):
        if request.node.stash.get(FAILED, False):
            page.screenshot(path=ARTIFACTS / f"FAILED-{request.node.name}-{index}.png", full_page=True)
        page.context.close()
        log.assert_clean()


@pytest.fixture
def page(new_page: Callable[..., tuple[Page, BrowserLog]]) -> tuple[Page, BrowserLog]:
    """A laptop-sized page (1280x900) and its console log."""
    return new_page()


@dataclass(frozen=True)
class Source:
    """A source user loaded with mail; `oversized` messages are refused by `small...` destinations."""

    username: str
    messages: int
    oversized: int


def _loaded_source(src_server: ImapServer, prefix: str, extra: int) -> Source:
    from testbed.corpus import generate, load_corpus, new_messages

    messages = [*generate("test"), *new_messages(extra, folders=("INBOX", "Archive/2023", "Projects"))]
    username = new_username(prefix)
    load_corpus(src_server, username, messages)
    oversized = sum(1 for message in messages if len(message.raw) > SMALL_MAX_MAIL_SIZE)
    return Source(username, len(messages), oversized)


@pytest.fixture(scope="package")
def sources(src_server: ImapServer) -> Iterator[dict[str, Source]]:
    """Source users shared read-only by the package: "corpus" holds the test corpus (one message
    of ~3 MB), "big" the corpus plus 3,000 small messages (a copy that lasts several seconds)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        corpus = pool.submit(_loaded_source, src_server, "e2ecorpus", 0)
        big = pool.submit(_loaded_source, src_server, "e2ebig", BIG_EXTRA_MESSAGES)
        loaded = {"corpus": corpus.result(), "big": big.result()}
    yield loaded
    for source in loaded.values():
        src_server.reset_user(source.username)


@pytest.fixture
def dst_user(dst_server: ImapServer) -> Iterator[Callable[[str], str]]:
    """Makes fresh destination usernames with a prefix (`small...` ones refuse messages over 1 MiB)."""
    made: list[str] = []

    def make(prefix: str = "e2edst") -> str:
        made.append(new_username(prefix))
        return made[-1]

    yield make
    for username in made:
        dst_server.reset_user(username)
