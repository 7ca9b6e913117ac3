"""The Flask side of the per-process resources: the app's Resources, the request's DB session and
the app's Celery producer."""

from __future__ import annotations

from celery import Celery
from flask import current_app, g
from sqlalchemy.orm import Session

from app.dispatch import make_client
from app.resources import Resources


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


def celery_client() -> Celery:
    """The app's Celery producer, made on first use."""
    found: Celery | None = current_app.extensions.get("imapcopier.celery")
    if found is None:
        found = make_client(resources().settings)
        current_app.extensions["imapcopier.celery"] = found
    return found
