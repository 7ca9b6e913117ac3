"""Users and roles (admins only): list, create, change password or role, delete."""

from __future__ import annotations

from flask import Blueprint

from app.api.spec import operation
from app.extensions import db
from app.models import Role
from app.schemas.users import UserDetail, UserIn, UserPatch
from app.services import users as service

bp = Blueprint("users", __name__)


@operation(bp, "/users", "GET", response=list[UserDetail], role=Role.ADMIN)
def list_users() -> list[UserDetail]:
    """The console's users with their roles."""
    return [UserDetail.model_validate(user) for user in service.list_users(db())]


@operation(bp, "/users", "POST", body=UserIn, response=UserDetail, status=201, errors=(409,), role=Role.ADMIN)
def create_user(body: UserIn) -> UserDetail:
    """Add a user with a role (admin, operator or viewer); 409 when the username is taken."""
    user = service.create_user(db(), body)
    db().commit()
    return UserDetail.model_validate(user)


@operation(
    bp, "/users/<int:user_id>", "PATCH", body=UserPatch, response=UserDetail, errors=(409,), role=Role.ADMIN
)
def update_user(user_id: int, body: UserPatch) -> UserDetail:
    """Set a user's password or role (ends the user's sessions); 409 when no admin would remain."""
    user = service.update_user(db(), user_id, body)
    db().commit()
    return UserDetail.model_validate(user)


@operation(bp, "/users/<int:user_id>", "DELETE", status=204, errors=(409,), role=Role.ADMIN)
def delete_user(user_id: int) -> None:
    """Delete a user and its API tokens; 409 when no admin would remain."""
    service.delete_user(db(), user_id)
    db().commit()
