"""The one way tests create and migrate a database (the shared test database, the e2e suite's own,
the proof suite's private cluster)."""

from __future__ import annotations

import time

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, make_url, pool, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.config import REPO_ROOT
from app.db import Base


def create_if_missing(url: str) -> None:
    """Create the database `url` names, through the server's `postgres` database, unless it exists."""
    target = make_url(url)
    admin = create_engine(
        target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
    )
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            )
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def alembic_config(url: str) -> Config:
    """The product's Alembic configuration, pointed at `url`."""
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser interpolation
    return config


def migrate(url: str, *, create: bool = False) -> None:
    """Migrate the database to head (creating it first with `create`)."""
    if create:
        create_if_missing(url)
    command.upgrade(alembic_config(url), "head")


def truncate_all(engine: Engine, *, keep: tuple[str, ...] = (), restart_ids: bool = True) -> None:
    """Empty every table but `keep`. Without `restart_ids` the ids keep counting, so a job left
    over from an earlier test names rows that no longer exist and does nothing."""
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name not in keep)
    restart = " RESTART IDENTITY" if restart_ids else ""
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables}{restart} CASCADE"))
            return
        except OperationalError as exc:
            # A worker of the previous test still finishing a job can take row locks in another
            # order: PostgreSQL then picks the TRUNCATE as the deadlock victim. Try again.
            if "deadlock" not in str(exc) or attempt == 2:
                raise
            time.sleep(0.5)
