"""Per-process resources: settings, DB engine and sessions, Redis, the secret box.

Flask-free: the web process keeps one in `app.extensions`, each worker process one in
workers/context.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.crypto import SecretBox
from app.db import make_engine, make_sessionmaker


@dataclass
class Resources:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    redis: redis.Redis[bytes]
    box: SecretBox

    @classmethod
    def from_settings(cls, settings: Settings) -> Resources:
        engine = make_engine(settings.database_url)
        return cls(
            settings=settings,
            engine=engine,
            sessions=make_sessionmaker(engine),
            redis=redis.Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5),
            box=SecretBox(settings.credentials_key),
        )
