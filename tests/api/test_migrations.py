"""Alembic: `upgrade head`, `downgrade base`, `upgrade head` again, in a throwaway database.

The shared test database is left alone (other tests use it); this one is created and dropped here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, pool, text
from sqlalchemy.engine import Engine

import app.models  # noqa: F401  (every table on Base.metadata)
from app.config import Settings
from app.db import Base
from tests.support.database import alembic_config


@pytest.fixture
def scratch_url(settings: Settings) -> Iterator[str]:
    base = make_url(settings.database_url)
    name = f"imapcopier_migrations_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(scratch_url: str) -> None:
    config = alembic_config(scratch_url)
    engine = create_engine(scratch_url, poolclass=pool.NullPool)
    try:
        command.upgrade(config, "head")
        assert _tables(engine) == set(Base.metadata.tables)
        command.downgrade(config, "base")
        assert _tables(engine) == set()
        command.upgrade(config, "head")
        assert _tables(engine) == set(Base.metadata.tables)
        with engine.connect() as conn:
            drift = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert drift == [], "the models and the migrations disagree; add a revision"
    finally:
        engine.dispose()
