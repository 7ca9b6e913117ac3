"""The Connect button of refresh-token accounts: start at the provider, come back to the callback."""

from __future__ import annotations

import hashlib
from typing import Literal
from urllib.parse import urlencode

from flask import Blueprint, Response, session

from app.api.spec import operation
from app.extensions import db, resources
from app.models import Role
from app.schemas.fields import RequestModel
from app.services import oauth_connect as service

bp = Blueprint("oauth", __name__)


class StartQuery(RequestModel):
    side: Literal["src", "dst"]


class CallbackQuery(RequestModel):
    state: str
    code: str | None = None
    error: str | None = None
    error_description: str | None = None
    scope: str | None = None
    session_state: str | None = None  # Microsoft adds it
    iss: str | None = None


def redirect(url: str) -> Response:
    return Response(status=302, headers={"Location": url})


def _binding() -> str:
    """A digest of this browser session (its CSRF token lives as long as the login): the Connect state
    is accepted only from the session that started it."""
    return hashlib.sha256(f"{session.get('user_id')}:{session.get('csrf', '')}".encode()).hexdigest()


def _redirect_uri() -> str:
    return resources().settings.public_base_url.rstrip("/") + "/api/oauth/callback"


def _back(task_id: int | None, **params: str) -> Response:
    base = resources().settings.public_base_url.rstrip("/")
    where = f"/tasks/{task_id}" if task_id else "/tasks"
    return redirect(f"{base}{where}?{urlencode(params)}")


# GETs that change state (the callback stores the consent): operators only, like the Connect button.
@operation(
    bp,
    "/accounts/<int:account_id>/oauth/start",
    "GET",
    query=StartQuery,
    status=302,
    errors=(422,),
    role=Role.OPERATOR,
)
def oauth_start(account_id: int, query: StartQuery) -> Response:
    """Connect: send the browser to the provider's consent page (authorization code with PKCE)."""
    res = resources()
    url, _ = service.start(db(), res.redis, res.box, account_id, query.side, _redirect_uri(), _binding())
    return redirect(url)


@operation(bp, "/oauth/callback", "GET", query=CallbackQuery, status=302, errors=(422,), role=Role.OPERATOR)
def oauth_callback(query: CallbackQuery) -> Response:
    """The provider sends the browser back here; the refresh token is stored on the account."""
    if query.error or not query.code:
        return _back(None, oauth_error=query.error or "no_code")
    res = resources()
    try:
        connected = service.finish(
            db(), res.redis, res.box, query.state, query.code, _redirect_uri(), _binding()
        )
    except service.ConnectFailed as exc:
        return _back(exc.task_id, oauth_error=exc.error)
    db().commit()
    return _back(
        connected.task_id, oauth="connected", account_id=str(connected.account_id), side=connected.side
    )
