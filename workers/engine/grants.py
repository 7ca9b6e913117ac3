"""OAuth2 grants through Authlib's client: client_credentials, jwt_bearer (a signed RS256 assertion,
`sub` = the mailbox) and refresh_token. One call = one request to the token endpoint; caching and
renewal belong to the caller (workers/jobs/tokens.py). See docs/oauth2.md.

Error texts name the token endpoint's own error code and what to do about it, never a secret.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from workers.engine.sasl import TokenFailed, TokenProvider

Grant = Literal["client_credentials", "jwt_bearer", "refresh_token"]
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEFAULT_LIFETIME = 3600  # when the token endpoint leaves out expires_in

_HINTS = {
    "invalid_client": "the token endpoint refused the client: check the client id and secret",
    "unauthorized_client": "the client is not allowed this grant or scope: check the app's permissions",
    "invalid_scope": "the token endpoint refused the scope",
    "unsupported_grant_type": "the token endpoint does not support this grant",
}


@dataclass(frozen=True)
class GrantSpec:
    """How to obtain an access token for one side (secrets never in repr)."""

    grant: Grant
    token_url: str
    client_id: str
    scope: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    private_key: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    timeout: float = 30.0


@dataclass(frozen=True)
class AccessToken:
    token: str = field(repr=False)
    expires_in: int
    # A new refresh token, when the token endpoint rotates them (the caller stores it for next time).
    refresh_token: str | None = field(default=None, repr=False)


def describe_error(spec: GrantSpec, error: str) -> str:
    """A sentence for a token endpoint error code, with the code itself."""
    if error == "invalid_grant":
        if spec.grant == "refresh_token":
            return "consent revoked, press Connect again (invalid_grant)"
        if spec.grant == "jwt_bearer":
            return "the token endpoint refused the signed assertion: check key and delegation (invalid_grant)"
    return f"{_HINTS.get(error, 'the token endpoint refused the request')} ({error})"


def fetch_token(spec: GrantSpec, mailbox: str) -> AccessToken:
    """A fresh access token for `mailbox`.

    Raises:
        TokenFailed naming the token endpoint's error, or saying it could not be reached.
    """
    # The HTTP stack loads on the first token, not at import: `imapcopier copy` with passwords
    # starts without it (some 0.15 s; docs/performance.md).
    import requests
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError

    try:
        raw = _request(spec, mailbox)
    except AuthlibBaseError as exc:
        error = str(getattr(exc, "error", None) or "oauth_error")
        raise TokenFailed(describe_error(spec, error), error) from None
    except requests.RequestException as exc:
        reason = exc.__class__.__name__
        raise TokenFailed(f"cannot reach the token endpoint {spec.token_url} ({reason})") from None
    except (ValueError, JoseError) as exc:  # a key that does not load, a body that is not JSON
        raise TokenFailed(f"no token: {exc.__class__.__name__} (check the private key)") from None
    token = raw.get("access_token")
    if not isinstance(token, str) or not token:
        raise TokenFailed("the token endpoint answered without an access token", "missing_token")
    expires_in = raw.get("expires_in")
    lifetime = int(expires_in) if isinstance(expires_in, int | float) else DEFAULT_LIFETIME
    rotated = raw.get("refresh_token")
    if not isinstance(rotated, str) or rotated == spec.refresh_token:
        rotated = None
    return AccessToken(token, lifetime, rotated)


def _request(spec: GrantSpec, mailbox: str) -> dict[str, Any]:
    from authlib.integrations.requests_client import AssertionSession, OAuth2Session
    from joserfc.jwk import RSAKey

    if spec.grant == "jwt_bearer":
        if not spec.private_key:
            raise TokenFailed("no private key is set for the jwt_bearer grant", "missing_key")
        claims = {"scope": spec.scope} if spec.scope else None
        with AssertionSession(
            token_endpoint=spec.token_url,
            issuer=spec.client_id,
            subject=mailbox,
            audience=spec.token_url,
            grant_type=JWT_BEARER,
            claims=claims,
            key=RSAKey.import_key(spec.private_key),
            header={"alg": "RS256"},
            default_timeout=spec.timeout,
        ) as assertion:
            return dict(assertion.refresh_token())
    with OAuth2Session(
        spec.client_id, spec.client_secret, scope=spec.scope, default_timeout=spec.timeout
    ) as session:
        if spec.grant == "refresh_token":
            if not spec.refresh_token:
                raise TokenFailed("this mailbox has no consent yet: press Connect", "missing_refresh_token")
            return dict(session.refresh_token(spec.token_url, refresh_token=spec.refresh_token))
        return dict(session.fetch_token(spec.token_url, grant_type="client_credentials"))


def renew_after(expires_in: int) -> float:
    """Seconds after issue when a cached token is renewed: five minutes before it expires, or at half
    its life when it is short (so a 10 s token is renewed after 5 s, well before a server drops it)."""
    return float(max(expires_in - 300, expires_in / 2))


class MemoryTokenProvider:
    """One mailbox's token cached in this process (the CLI; jobs share theirs through Redis)."""

    def __init__(self, spec: GrantSpec, mailbox: str) -> None:
        self.spec, self.mailbox = spec, mailbox
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = threading.Lock()
        self.fetched = 0

    def __call__(self, force_refresh: bool) -> str:
        with self._lock:
            if force_refresh or self._token is None or time.monotonic() >= self._renew_at:
                fresh = fetch_token(self.spec, self.mailbox)
                self.fetched += 1
                self._token, self._renew_at = fresh.token, time.monotonic() + renew_after(fresh.expires_in)
            return self._token


def static_token(token: str) -> TokenProvider:
    """A ready access token (IMAPCOPIER_SRC_ACCESS_TOKEN): never renewed, so a long run may outlive it."""
    return lambda _force_refresh: token
