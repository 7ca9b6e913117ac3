"""Per-process resources the Flask app holds: settings, DB engine/sessions, Redis, the secret box."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from flask import current_app, g
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


def resources() -> Resources:
    res: Resources = current_app.extensions["imapcopier"]
    return res


def db() -> Session:
    """The request's session, opened on first use and closed (rolled back if uncommitted) at teardown."""
    if "db" not in g:
        g.db = resources().sessions()
    session: Session = g.db
    return session


def close_db(_exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db", None)
    if session is not None:
        session.close()
