"""Browser sessions: an idle timeout, an absolute lifetime, and the user's session generation
(bumped by logout and a password change, which ends every other session of the user)."""

from __future__ import annotations

import secrets
import time

from flask import session

from app.errors import Unauthorized
from app.extensions import db, resources
from app.models import User

# A request refreshes the idle clock at most this often, so the cookie is not rewritten every time.
TOUCH_EVERY_SECONDS = 30


def start(user: User) -> None:
    """A fresh session for `user` (login): new cookie contents, new CSRF token."""
    now = int(time.time())
    session.clear()
    session["user_id"] = user.id
    session["generation"] = user.session_generation
    session["login_at"] = session["seen_at"] = now
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True


def current_user() -> User:
    """The session's user, if the session is still valid.

    Raises:
        Unauthorized: no session, or it expired, or the user logged out elsewhere or changed password.
    """
    user_id = session.get("user_id")
    user = db().get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise Unauthorized("log in first")
    settings, now = resources().settings, int(time.time())
    login_at, seen_at = session.get("login_at", 0), session.get("seen_at", 0)
    if session.get("generation") != user.session_generation:
        reason = "this session was ended (logout or password change); log in again"
    elif now - login_at > settings.session_max_seconds:
        reason = "the session reached its maximum age; log in again"
    elif now - seen_at > settings.session_idle_seconds:
        reason = "the session was idle too long; log in again"
    else:
        if now - seen_at >= TOUCH_EVERY_SECONDS:
            session["seen_at"] = now
        return user
    session.clear()
    raise Unauthorized(reason)


def keep_after_generation_bump(user: User) -> None:
    """After a password change, the session that made it stays valid; the others end."""
    session["generation"] = user.session_generation
