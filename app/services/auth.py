"""Users, passwords, API tokens and session generations."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.db import utcnow
from app.models import ApiToken, Role, User

TOKEN_PREFIX = "ic_"
# A hash to compare against when the user does not exist, so timing does not reveal usernames.
# werkzeug's default (scrypt). Tests lower it to a cheap pbkdf2 to keep the suite fast.
HASH_METHOD = "scrypt"
_DUMMY_HASH = generate_password_hash("not-a-password")


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


MIN_PASSWORD_LENGTH = 8


def set_admin(session: Session, username: str, password: str) -> User:
    """Create the administrator, or reset its password (and make it an admin) when it exists."""
    return set_user(session, username, password, Role.ADMIN)


def set_user(session: Session, username: str, password: str, role: Role) -> User:
    """Create a user, or reset its password and role when it exists (ending its sessions).

    Raises:
        ValueError: the password is too short.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, password_hash="", session_generation=0)
        session.add(user)
    else:
        end_sessions(user)
    user.password_hash = hash_password(password)
    user.role = role
    return user


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def end_sessions(user: User) -> None:
    """Every browser session of the user stops working at its next request."""
    user.session_generation = (user.session_generation or 0) + 1


def create_token(session: Session, user: User, name: str) -> str:
    """Create an API token for scripts; returns the plaintext, which is shown once and never stored."""
    return issue_token(session, user, name)[1]


def issue_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """The new token's row (flushed, so it has its id) and its plaintext."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_sha256=_sha256(token), created_at=utcnow())
    session.add(row)
    session.flush()
    return row, token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == _sha256(token)))
    if row is None:
        return None
    row.last_used_at = utcnow()
    return session.get(User, row.user_id)


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
