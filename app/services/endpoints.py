"""Endpoint use cases. Services take a Session, never commit, and raise AppError subclasses."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound
from app.models import Account, Endpoint, Task
from app.models.enums import TestStatus
from app.schemas.endpoints import EndpointIn, EndpointPatch
from app.schemas.fields import MAX_ID
from app.services import sync_state

logger = logging.getLogger(__name__)
# Changing any of these makes earlier login tests against the endpoint meaningless.
CONNECTION_FIELDS = frozenset({"host", "port", "tls_mode", "verify_tls"})


def list_endpoints(session: Session) -> Sequence[Endpoint]:
    return session.scalars(select(Endpoint).order_by(Endpoint.name, Endpoint.id)).all()


def get_endpoint(session: Session, endpoint_id: int, *, lock: bool = False) -> Endpoint:
    """Raises: NotFound."""
    endpoint = None if endpoint_id > MAX_ID else session.get(Endpoint, endpoint_id, with_for_update=lock)
    if endpoint is None:
        raise NotFound(f"endpoint {endpoint_id} not found")
    return endpoint


def create_endpoint(session: Session, data: EndpointIn) -> Endpoint:
    endpoint = Endpoint(**data.model_dump())
    session.add(endpoint)
    session.flush()
    logger.info("endpoint.created endpoint_id=%s host=%s port=%s", endpoint.id, endpoint.host, endpoint.port)
    return endpoint


def update_endpoint(session: Session, endpoint_id: int, data: EndpointPatch) -> Endpoint:
    """Apply a partial update; a changed connection setting resets the login tests that used it.

    Raises: NotFound.
    """
    endpoint = get_endpoint(session, endpoint_id, lock=True)
    changes = data.changes()
    changed = {name for name, value in changes.items() if getattr(endpoint, name) != value}
    for name, value in changes.items():
        setattr(endpoint, name, value)
    if changed & CONNECTION_FIELDS:
        reset_tests_for_endpoint(session, endpoint_id)
    if changed & sync_state.MAILBOX_FIELDS:
        sync_state.forget_endpoint(session, endpoint_id)
    session.flush()
    logger.info("endpoint.updated endpoint_id=%s fields=%s", endpoint_id, ",".join(sorted(changed)))
    return endpoint


def reset_tests_for_endpoint(session: Session, endpoint_id: int) -> None:
    """Mark untested every account side that logs in to this endpoint."""
    for side, column in (("src", Task.src_endpoint_id), ("dst", Task.dst_endpoint_id)):
        task_ids = select(Task.id).where(column == endpoint_id)
        values: dict[str, Any] = {f"test_{side}_status": TestStatus.UNTESTED, f"test_{side}_error": None}
        session.execute(update(Account).where(Account.task_id.in_(task_ids)).values(**values))


def delete_endpoint(session: Session, endpoint_id: int) -> None:
    """Raises: NotFound; Conflict when a task still uses the endpoint."""
    endpoint = get_endpoint(session, endpoint_id, lock=True)
    used_by = session.scalars(
        select(Task.id).where(or_(Task.src_endpoint_id == endpoint_id, Task.dst_endpoint_id == endpoint_id))
    ).all()
    if used_by:
        ids = ", ".join(str(task_id) for task_id in used_by[:10])
        raise Conflict(f"endpoint {endpoint_id} is used by task(s) {ids}; delete or change them first")
    try:
        # A task created concurrently trips the RESTRICT foreign key: report it like the check above.
        with session.begin_nested():
            session.delete(endpoint)
    except IntegrityError as exc:
        raise Conflict(f"endpoint {endpoint_id} is used by a task") from exc
    logger.info("endpoint.deleted endpoint_id=%s", endpoint_id)
