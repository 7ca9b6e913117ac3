"""User management: create, change (password, role), delete; at least one admin always remains."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound
from app.models import Role, User
from app.schemas.users import UserIn, UserPatch
from app.services.auth import end_sessions, hash_password


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.username)).all()


def get_user(session: Session, user_id: int, *, lock: bool = False) -> User:
    user = session.get(User, user_id, with_for_update=lock)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def create_user(session: Session, data: UserIn) -> User:
    """Raises: Conflict when the username is taken."""
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(f"user {data.username!r} exists", {"username": "taken"})
    user = User(
        username=data.username,
        password_hash=hash_password(data.password),
        role=data.role,
        session_generation=0,
    )
    session.add(user)
    session.flush()
    return user


def update_user(session: Session, user_id: int, data: UserPatch) -> User:
    """A new password or role ends the user's sessions. Raises: Conflict when no admin would remain."""
    user = get_user(session, user_id, lock=True)
    changes = data.changes()
    if "role" in changes and changes["role"] != Role.ADMIN:
        _keep_an_admin(session, user)
    if "password" in changes:
        user.password_hash = hash_password(changes["password"])
    if "role" in changes:
        user.role = changes["role"]
    if changes:
        end_sessions(user)
    return user


def delete_user(session: Session, user_id: int) -> None:
    """Deletes the user and its API tokens. Raises: Conflict when no admin would remain."""
    user = get_user(session, user_id, lock=True)
    _keep_an_admin(session, user)
    session.delete(user)


def _keep_an_admin(session: Session, leaving: User) -> None:
    if leaving.role != Role.ADMIN:
        return
    # Lock the admins so two concurrent demotions cannot both pass the count.
    admins = session.scalars(select(User.id).where(User.role == Role.ADMIN).with_for_update()).all()
    if len([admin for admin in admins if admin != leaving.id]) == 0:
        raise Conflict("the last admin cannot be removed or demoted", {"role": "last admin"})
