"""Test configuration: a separate database and Redis db on the same local services as `make run`."""

from __future__ import annotations

import os
import re

from cryptography.fernet import Fernet

from app.config import Settings, get_settings

# Generated once per test session: tests never need the real installation's key.
TEST_CREDENTIALS_KEY = Fernet.generate_key().decode()


def test_database_url() -> str:
    if url := os.environ.get("TEST_DATABASE_URL"):
        return url
    base = get_settings().database_url
    return re.sub(r"/[^/?]+(\?|$)", r"/imapcopier_test\1", base, count=1) if "/" in base else base


def test_redis_url() -> str:
    if url := os.environ.get("TEST_REDIS_URL"):
        return url
    return re.sub(r"/\d+$", "", get_settings().redis_url) + "/1"


def make_test_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": test_database_url(),
        "redis_url": test_redis_url(),
        "secret_key": "test-secret-key-not-for-production",
        "credentials_key": TEST_CREDENTIALS_KEY,
        "login_rate_limit": 5,
        # GET /plan waits for a worker; most tests run none, so do not wait a minute for the 504.
        "plan_timeout_seconds": 2.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
