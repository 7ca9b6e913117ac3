"""Shared fixtures: real PostgreSQL (migrated once per session, truncated per test) and Redis."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app import create_app
from app.config import Settings
from app.services import auth as auth_service
from testbed.dovecot import ImapServer
from tests.settings import make_test_settings
from tests.support.database import migrate, truncate_all
from tests.support.factories import TaskOnPair, dovecot_task

_PLUGINS = ("tests.imap_fixtures", "tests.hostile_fixtures", "tests.cyrus_fixtures", "tests.oauth_fixtures")
pytest_plugins = [p for p in _PLUGINS if __import__("importlib.util").util.find_spec(p)]

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-password-1"


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Settings pointing at the test database and test Redis db."""
    # Password hashing is deliberately slow in production; tests log in hundreds of times.
    auth_service.HASH_METHOD = "pbkdf2:sha256:1000"
    return make_test_settings()


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    """The test database, migrated to head once per session."""
    os.environ["DATABASE_URL"] = settings.database_url  # for subprocesses (workers, CLI)
    migrate(settings.database_url)
    eng = create_engine(settings.database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def clean_db(engine: Engine) -> Engine:
    """An empty database for this test."""
    truncate_all(engine)
    return engine


@pytest.fixture
def task_on_pair(clean_db: Engine, src_server: ImapServer, dst_server: ImapServer) -> TaskOnPair:
    """A task with accounts on the Dovecot pair, made through the services in the emptied test
    database: call it with the mailboxes (and dovecot_task's options); it returns the ids."""
    return functools.partial(dovecot_task, clean_db, src_server, dst_server)


@pytest.fixture
def db_session(clean_db: Engine) -> Iterator[Session]:
    with Session(clean_db, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def app(settings: Settings, clean_db: Engine) -> Iterator[Flask]:
    """The Flask app on the test database, with a fresh Redis db and the admin user."""
    flask_app = create_app(settings)
    flask_app.config["TESTING"] = True
    resources = flask_app.extensions["imapcopier"]
    resources.redis.flushdb()
    with resources.sessions.begin() as session:
        auth_service.set_admin(session, ADMIN_USERNAME, ADMIN_PASSWORD)
    yield flask_app
    resources.engine.dispose()


@dataclass
class ApiClient:
    """A logged-in test client that sends the CSRF header on state-changing requests."""

    client: FlaskClient
    csrf: str

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf, **(extra or {})}

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def post(self, url: str, headers: dict[str, str] | None = None, **kw: Any) -> Any:
        return self.client.post(url, headers=self._headers(headers), **kw)

    def put(self, url: str, headers: dict[str, str] | None = None, **kw: Any) -> Any:
        return self.client.put(url, headers=self._headers(headers), **kw)

    def patch(self, url: str, headers: dict[str, str] | None = None, **kw: Any) -> Any:
        return self.client.patch(url, headers=self._headers(headers), **kw)

    def delete(self, url: str, headers: dict[str, str] | None = None, **kw: Any) -> Any:
        return self.client.delete(url, headers=self._headers(headers), **kw)


@pytest.fixture
def anon(app: Flask) -> FlaskClient:
    """A test client that has not logged in."""
    return app.test_client()


@pytest.fixture
def api(app: Flask) -> ApiClient:
    """A test client logged in as the admin."""
    client = app.test_client()
    response = client.post("/api/auth/login", json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.json
    return ApiClient(client, response.json["csrf_token"])
