"""Login, logout, the current user, and the guard every /api request passes through."""

from __future__ import annotations

import hmac
import secrets

from flask import Blueprint, g, request, session
from pydantic import BaseModel, Field

from app.api.spec import PUBLIC_ENDPOINTS, operation
from app.errors import Forbidden, RateLimited, Unauthorized
from app.extensions import db, resources
from app.models import User
from app.services import auth as auth_service
from app.services.ratelimit import LoginThrottle

bp = Blueprint("auth", __name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=500)


class UserOut(BaseModel):
    id: int
    username: str


class SessionOut(BaseModel):
    csrf_token: str
    user: UserOut


def _throttle() -> LoginThrottle:
    res = resources()
    return LoginThrottle(res.redis, res.settings.login_rate_limit, res.settings.login_rate_window_seconds)


def _session_out(user: User) -> SessionOut:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return SessionOut(csrf_token=session["csrf"], user=UserOut(id=user.id, username=user.username))


@operation(bp, "/login", "POST", body=LoginIn, response=SessionOut, public=True, errors=(429,))
def login(body: LoginIn) -> SessionOut:
    """Log in with username and password; sets the session cookie and returns the CSRF token."""
    throttle = _throttle()
    address = request.remote_addr or "?"
    if throttle.blocked(address, body.username):
        raise RateLimited("too many failed logins; wait a few minutes and try again")
    user = auth_service.authenticate(db(), body.username, body.password)
    if user is None:
        throttle.failed(address, body.username)
        raise Unauthorized("wrong username or password")
    throttle.succeeded(address, body.username)
    session.clear()
    session["user_id"] = user.id
    session.permanent = True
    return _session_out(user)


@operation(bp, "/logout", "POST", status=204)
def logout() -> None:
    """Log out (clears the session cookie)."""
    session.clear()


@operation(bp, "/me", "GET", response=SessionOut)
def me() -> SessionOut:
    """The logged-in user and the CSRF token to send back as X-CSRF-Token."""
    user: User = g.user
    if g.auth_via == "token":
        return SessionOut(csrf_token="", user=UserOut(id=user.id, username=user.username))
    return _session_out(user)


def guard() -> None:
    """Authenticate /api requests and /metrics (session or bearer token); enforce CSRF on sessions."""
    protected = request.path.startswith("/api/") or request.path == "/metrics"
    if not protected or request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = auth_service.user_for_token(db(), header.removeprefix("Bearer ").strip())
        if user is None:
            raise Unauthorized("invalid API token")
        db().commit()  # records last_used_at
        g.user, g.auth_via = user, "token"
        return
    user_id = session.get("user_id")
    found = db().get(User, user_id) if isinstance(user_id, int) else None
    if found is None:
        raise Unauthorized("log in first")
    g.user, g.auth_via = found, "session"
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            raise Forbidden(f"missing or wrong {CSRF_HEADER} header")
