"""A PostgreSQL advisory lock per account: whatever Celery redelivers, no two jobs copy one account
at the same time.

The lock is session-level and lives on a dedicated connection in autocommit mode, so it is held for
the whole copy without an open transaction. If the worker dies, PostgreSQL drops the connection and
with it the lock; a job that then takes the lock knows the previous holder is gone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)
# First key of the two-int advisory lock form: a namespace so that account ids never collide with
# other advisory locks taken on the same database.
LOCK_NAMESPACE = 0x494D4150  # "IMAP"
POLL_SECONDS = 1.0


def _keys(account_id: int) -> dict[str, int]:
    return {"ns": LOCK_NAMESPACE, "id": account_id}


def _try_lock(connection: Connection, account_id: int) -> bool:
    return bool(connection.scalar(text("SELECT pg_try_advisory_lock(:ns, :id)"), _keys(account_id)))


@contextmanager
def account_lock(
    engine: Engine,
    account_id: int,
    should_stop: Callable[[], bool],
    on_wait: Callable[[], None] | None = None,
) -> Iterator[bool]:
    """Hold the account's lock for the block; yields False if told to stop while still waiting."""
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        waited = False
        while not _try_lock(connection, account_id):
            if should_stop():
                yield False
                return
            if not waited:
                logger.info("account_lock.waiting account_id=%s", account_id)
                if on_wait is not None:
                    on_wait()
                waited = True
            time.sleep(POLL_SECONDS)
        try:
            yield True
        finally:
            _unlock(connection, account_id)
    finally:
        connection.close()


def _unlock(connection: Connection, account_id: int) -> None:
    try:
        connection.scalar(text("SELECT pg_advisory_unlock(:ns, :id)"), _keys(account_id))
    except SQLAlchemyError:
        # A lock we cannot release must not go back to the pool with the connection: drop it.
        logger.warning("account_lock.unlock_failed account_id=%s", account_id, exc_info=True)
        connection.invalidate()
