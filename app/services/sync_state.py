"""Forgetting sync state when it no longer describes the mailboxes an account copies between.

The state says "source folder F is copied up to UID n into destination folder G". Point the account
at another mailbox (a different username, endpoint, host or port) and that is no longer true: a
delta pass would copy nothing to the new destination. Deleting the state makes the next run compare
the whole mailbox again; destination dedup keeps it from duplicating what is already there.
"""

from __future__ import annotations

import logging

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.orm import Session

from app.models import Account, FolderState, Task

logger = logging.getLogger(__name__)
# Endpoint fields that decide which server (and so which mailboxes) an account reaches.
MAILBOX_FIELDS = frozenset({"host", "port"})


def forget_accounts(session: Session, account_ids: list[int] | Select[int]) -> int:
    """Delete the sync state of these accounts (message maps go with it, ON DELETE CASCADE)."""
    result = session.execute(delete(FolderState).where(FolderState.account_id.in_(account_ids)))
    deleted = getattr(result, "rowcount", 0)
    if deleted:
        logger.info("sync_state.forgotten folders=%d", deleted)
    return int(deleted or 0)


def forget_task(session: Session, task_id: int) -> int:
    return forget_accounts(session, select(Account.id).where(Account.task_id == task_id))


def forget_endpoint(session: Session, endpoint_id: int) -> int:
    uses = or_(Task.src_endpoint_id == endpoint_id, Task.dst_endpoint_id == endpoint_id)
    tasks = select(Task.id).where(uses)
    return forget_accounts(session, select(Account.id).where(Account.task_id.in_(tasks)))
