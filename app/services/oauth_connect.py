"""The Connect flow for refresh-token accounts: authorization code with PKCE (S256), through Authlib.

`start` keeps the PKCE verifier server-side in Redis under a random `state`, with a binding to the
browser session (the caller's digest of it); `finish` accepts the state once, from the same session
only, exchanges the code and stores the refresh token (Fernet). Services
take a Session and never commit. See docs/oauth2.md.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any

import redis
import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from sqlalchemy.orm import Session

from app.crypto import SecretBox
from app.errors import Invalid
from app.models import Account, Endpoint, Task
from app.models.enums import TestStatus
from app.services.accounts import get_account

logger = logging.getLogger(__name__)
STATE_TTL_SECONDS = 600
_KEY = "imapcopier:oauth2:connect:"


class ConnectFailed(Invalid):
    """The token endpoint refused the code (or could not be reached); `error` is its code."""

    def __init__(self, error: str, task_id: int | None = None) -> None:
        super().__init__(f"the token endpoint refused the authorization ({error})", {"code": error})
        self.error, self.task_id = error, task_id


@dataclass(frozen=True)
class Connected:
    task_id: int
    account_id: int
    side: str


def _endpoint_of(session: Session, account: Account, side: str) -> Endpoint:
    """Raises: Invalid unless that side signs in with the refresh_token grant."""
    task = session.get_one(Task, account.task_id)
    endpoint = session.get_one(Endpoint, task.src_endpoint_id if side == "src" else task.dst_endpoint_id)
    if endpoint.auth_mode != "oauth2" or endpoint.oauth2_grant != "refresh_token":
        raise Invalid(
            f"the {side} endpoint does not sign in with the refresh_token grant",
            {"side": "Connect is for endpoints with oauth2_grant refresh_token"},
        )
    if not (endpoint.oauth2_authorize_url and endpoint.oauth2_token_url and endpoint.oauth2_client_id):
        raise Invalid("the endpoint lacks its authorize URL, token URL or client id", {"side": "incomplete"})
    return endpoint


def _client(endpoint: Endpoint, box: SecretBox, redirect_uri: str) -> OAuth2Session:
    secret = box.decrypt(endpoint.oauth2_client_secret_enc) if endpoint.oauth2_client_secret_enc else None
    return OAuth2Session(
        endpoint.oauth2_client_id,
        secret,
        scope=endpoint.oauth2_scope,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        default_timeout=30,
    )


def start(
    session: Session,
    store: redis.Redis[bytes],
    box: SecretBox,
    account_id: int,
    side: str,
    redirect_uri: str,
    binding: str,
) -> tuple[str, str]:
    """(the provider's authorize URL to send the browser to, the state to bind to its session).

    Raises: NotFound; Invalid when that side does not use the refresh_token grant.
    """
    account = get_account(session, account_id)
    endpoint = _endpoint_of(session, account, side)
    verifier = secrets.token_urlsafe(64)
    state = secrets.token_urlsafe(24)
    with _client(endpoint, box, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            endpoint.oauth2_authorize_url,
            state=state,
            code_verifier=verifier,
            login_hint=account.src_username if side == "src" else account.dst_username,
        )
    entry = {
        "account_id": account.id,
        "side": side,
        "verifier": box.encrypt(verifier).decode(),
        "binding": binding,
    }
    store.set(_KEY + state, json.dumps(entry), ex=STATE_TTL_SECONDS)
    logger.info("oauth2.connect_started account_id=%s side=%s", account.id, side)
    return str(url), state


def finish(
    session: Session,
    store: redis.Redis[bytes],
    box: SecretBox,
    state: str,
    code: str,
    redirect_uri: str,
    binding: str,
) -> Connected:
    """Exchange the code (with the PKCE verifier) and store the account side's refresh token.

    Raises: ConnectFailed naming the token endpoint's error, or `state_mismatch` for a state that is
    unknown, expired, used, or from another browser session.
    """
    raw = store.getdel(_KEY + state)
    if raw is None:
        raise ConnectFailed("state_mismatch")  # expired, used already, or never issued
    entry: dict[str, Any] = json.loads(raw)
    if not hmac.compare_digest(str(entry.get("binding", "")), binding):
        raise ConnectFailed("state_mismatch")  # started in another browser session
    account = get_account(session, int(entry["account_id"]))
    side = str(entry["side"])
    endpoint = _endpoint_of(session, account, side)
    try:
        with _client(endpoint, box, redirect_uri) as client:
            token = client.fetch_token(
                endpoint.oauth2_token_url, code=code, code_verifier=box.decrypt(entry["verifier"].encode())
            )
    except AuthlibBaseError as exc:
        raise ConnectFailed(str(getattr(exc, "error", None) or "oauth_error"), account.task_id) from None
    except requests.RequestException:
        raise ConnectFailed("token_endpoint_unreachable", account.task_id) from None
    refresh = token.get("refresh_token")
    if not refresh:
        raise ConnectFailed("no_refresh_token", account.task_id)
    setattr(account, f"{side}_refresh_token_enc", box.encrypt(str(refresh)))
    setattr(account, f"test_{side}_status", TestStatus.UNTESTED)
    setattr(account, f"test_{side}_error", None)
    session.flush()
    logger.info("oauth2.connected account_id=%s side=%s", account.id, side)
    return Connected(account.task_id, account.id, side)
