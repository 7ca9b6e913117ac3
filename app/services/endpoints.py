"""Endpoint use cases. Services take a Session, never commit, and raise AppError subclasses."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.crypto import SecretBox
from app.errors import Conflict, Invalid, NotFound
from app.models import Account, Endpoint, Task
from app.models.enums import TestStatus
from app.schemas.endpoints import EndpointIn, EndpointPatch
from app.schemas.fields import MAX_ID
from app.services import sync_state

logger = logging.getLogger(__name__)
# Changing any of these makes earlier login tests against the endpoint meaningless.
CONNECTION_FIELDS = frozenset(
    {"host", "port", "tls_mode", "verify_tls", "auth_mode", "oauth2_grant", "oauth2_token_url"}
    | {"oauth2_client_id", "oauth2_scope", "sasl_mechanism", "oauth2_client_secret", "oauth2_private_key"}
)
SECRET_FIELDS = ("oauth2_client_secret", "oauth2_private_key")


def list_endpoints(session: Session) -> Sequence[Endpoint]:
    return session.scalars(select(Endpoint).order_by(Endpoint.name, Endpoint.id)).all()


def get_endpoint(session: Session, endpoint_id: int, *, lock: bool = False) -> Endpoint:
    """Raises: NotFound."""
    endpoint = None if endpoint_id > MAX_ID else session.get(Endpoint, endpoint_id, with_for_update=lock)
    if endpoint is None:
        raise NotFound(f"endpoint {endpoint_id} not found")
    return endpoint


def _set_secret(box: SecretBox, endpoint: Endpoint, name: str, value: str | None) -> bool:
    """Store (or clear) a write-only secret; True when it changed."""
    stored: bytes | None = getattr(endpoint, f"{name}_enc")
    if value is None:
        setattr(endpoint, f"{name}_enc", None)
        return stored is not None
    if stored is not None and box.matches(stored, value):
        return False
    setattr(endpoint, f"{name}_enc", box.encrypt(value))
    return True


def check_oauth2(endpoint: Endpoint) -> None:
    """An OAuth2 endpoint names its grant and what that grant needs.

    Raises: Invalid with one message per missing field.
    """
    if endpoint.auth_mode != "oauth2":
        return
    needs: dict[str, object] = {
        "oauth2_grant": endpoint.oauth2_grant,
        "oauth2_token_url": endpoint.oauth2_token_url,
    }
    needs["oauth2_client_id"] = endpoint.oauth2_client_id
    if endpoint.oauth2_grant == "client_credentials":
        needs["oauth2_client_secret"] = endpoint.oauth2_client_secret_enc
    elif endpoint.oauth2_grant == "jwt_bearer":
        needs["oauth2_private_key"] = endpoint.oauth2_private_key_enc
    elif endpoint.oauth2_grant == "refresh_token":
        needs["oauth2_authorize_url"] = endpoint.oauth2_authorize_url
    fields = {
        name: "required for OAuth2 sign-in with this grant" for name, value in needs.items() if not value
    }
    if fields:
        raise Invalid(f"OAuth2 sign-in needs {', '.join(sorted(fields))}", fields)


def create_endpoint(session: Session, box: SecretBox, data: EndpointIn) -> Endpoint:
    """Raises: Invalid for an OAuth2 endpoint without what its grant needs."""
    values = data.model_dump(exclude=set(SECRET_FIELDS))
    endpoint = Endpoint(**values)
    for name in SECRET_FIELDS:
        _set_secret(box, endpoint, name, getattr(data, name))
    check_oauth2(endpoint)
    session.add(endpoint)
    session.flush()
    logger.info("endpoint.created endpoint_id=%s host=%s port=%s", endpoint.id, endpoint.host, endpoint.port)
    return endpoint


def update_endpoint(session: Session, box: SecretBox, endpoint_id: int, data: EndpointPatch) -> Endpoint:
    """Apply a partial update; a changed connection setting resets the login tests that used it.

    Raises: NotFound; Invalid when OAuth2 sign-in would lack what its grant needs.
    """
    endpoint = get_endpoint(session, endpoint_id, lock=True)
    changes = data.changes()
    secrets = {name: changes.pop(name) for name in SECRET_FIELDS if name in changes}
    changed = {name for name, value in changes.items() if getattr(endpoint, name) != value}
    for name, value in changes.items():
        setattr(endpoint, name, value)
    changed |= {name for name, value in secrets.items() if _set_secret(box, endpoint, name, value)}
    check_oauth2(endpoint)
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
