"""Login, logout, the current user, password change, and the guard every /api request passes through."""

from __future__ import annotations

import hmac

from flask import Blueprint, g, request, session
from pydantic import BaseModel, Field

from app.api import browser_session
from app.api.browser_security import check_websocket_origin
from app.api.spec import PUBLIC_ENDPOINTS, ROLES, operation
from app.errors import Forbidden, RateLimited, Unauthorized
from app.extensions import db, resources
from app.models import Role, User
from app.schemas.users import PasswordChange, UserOut
from app.services import auth as auth_service
from app.services.ratelimit import LoginThrottle

bp = Blueprint("auth", __name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
WEBSOCKET_ENDPOINT = "events.events"


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=500)


class SessionOut(BaseModel):
    csrf_token: str
    user: UserOut


def _throttle() -> LoginThrottle:
    res = resources()
    return LoginThrottle(res.redis, res.settings.login_rate_limit, res.settings.login_rate_window_seconds)


def _session_out(user: User) -> SessionOut:
    return SessionOut(csrf_token=session.get("csrf", ""), user=UserOut.model_validate(user))


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
    browser_session.start(user)
    g.user = user  # the audit row's actor
    return _session_out(user)


@operation(bp, "/logout", "POST", status=204, role=Role.VIEWER)
def logout() -> None:
    """Log out: ends every browser session of this user (a token is not affected)."""
    if g.auth_via == "session":
        user: User = g.user
        auth_service.end_sessions(user)
        db().commit()
        session.clear()


@operation(bp, "/password", "POST", body=PasswordChange, status=204, role=Role.VIEWER)
def change_password(body: PasswordChange) -> None:
    """Change your own password; your other browser sessions end."""
    user: User = g.user
    if auth_service.authenticate(db(), user.username, body.current_password) is None:
        raise Forbidden("the current password is wrong", {"current_password": "wrong password"})
    user.password_hash = auth_service.hash_password(body.new_password)
    auth_service.end_sessions(user)
    db().commit()
    if g.auth_via == "session":
        browser_session.keep_after_generation_bump(user)


@operation(bp, "/me", "GET", response=SessionOut)
def me() -> SessionOut:
    """The logged-in user (with its role) and the CSRF token to send back as X-CSRF-Token."""
    user: User = g.user
    if g.auth_via == "token":
        return SessionOut(csrf_token="", user=UserOut.model_validate(user))
    return _session_out(user)


def guard() -> None:
    """Authenticate /api requests and /metrics (session or bearer token), enforce CSRF on sessions,
    the role each operation needs, and the websocket's Origin."""
    protected = request.path.startswith("/api/") or request.path == "/metrics"
    if not protected or request.endpoint in PUBLIC_ENDPOINTS:
        return
    if request.endpoint == WEBSOCKET_ENDPOINT:
        check_websocket_origin()
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = auth_service.user_for_token(db(), header.removeprefix("Bearer ").strip())
        if user is None:
            raise Unauthorized("invalid API token")
        db().commit()  # records last_used_at
        g.user, g.auth_via = user, "token"
    else:
        g.user, g.auth_via = browser_session.current_user(), "session"
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
                raise Forbidden(f"missing or wrong {CSRF_HEADER} header")
    _check_role(g.user)


def _check_role(user: User) -> None:
    """Operations declare their least role (app/api/spec.py); anything undeclared needs an admin,
    except reading, which a viewer may (the websocket, the OpenAPI document, /metrics)."""
    needed = ROLES.get(request.endpoint or "")
    if needed is None:
        needed = Role.VIEWER if request.method in SAFE_METHODS else Role.ADMIN
    role = Role(user.role)
    if not role.allows(needed):
        raise Forbidden(f"your role ({role}) cannot do this: it needs {needed} or above", {"role": str(role)})
