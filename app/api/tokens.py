"""API tokens of the logged-in user: list, create (the plaintext is shown once), revoke. A token acts
with its user's role; only an admin may revoke another user's token."""

from __future__ import annotations

from flask import Blueprint, g
from sqlalchemy import select

from app.api.spec import operation
from app.errors import NotFound
from app.extensions import db
from app.models import ApiToken, Role, User
from app.schemas.users import TokenCreated, TokenIn, TokenOut
from app.services import auth as auth_service

bp = Blueprint("tokens", __name__)


@operation(bp, "/auth/tokens", "GET", response=list[TokenOut])
def list_tokens() -> list[TokenOut]:
    """Your API tokens (never their values)."""
    user: User = g.user
    rows = db().scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    return [TokenOut.model_validate(row) for row in rows]


@operation(bp, "/auth/tokens", "POST", body=TokenIn, response=TokenCreated, status=201, role=Role.VIEWER)
def create_token(body: TokenIn) -> TokenCreated:
    """Create an API token for scripts (Authorization: Bearer); its value is shown this once."""
    row, token = auth_service.issue_token(db(), g.user, body.name)
    db().commit()
    return TokenCreated(**TokenOut.model_validate(row).model_dump(), token=token)


@operation(bp, "/auth/tokens/<int:token_id>", "DELETE", status=204, role=Role.VIEWER)
def delete_token(token_id: int) -> None:
    """Revoke one of your tokens (an admin may revoke anyone's)."""
    user: User = g.user
    row = db().get(ApiToken, token_id)
    if row is None or (row.user_id != user.id and user.role != Role.ADMIN):
        raise NotFound(f"token {token_id} not found")
    db().delete(row)
    db().commit()
