"""A small OAuth2 identity provider on 127.0.0.1 for tests: the token, authorize and introspection
endpoints that Dovecot's `oauth2` passdb and the product's grants talk to.

Grants: client_credentials (app-only, like Microsoft 365), jwt_bearer (an RS256 assertion signed by a
service account's key, `sub` = the mailbox, like Google Workspace) and refresh_token (from an
authorization code with PKCE; the authorize page approves at once). Tests set token lifetimes,
revoke grants and read the log of issued tokens through `IdpState`.

Usage: `with IdentityProvider() as idp: idp.url, idp.state.add_client(...)`.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Flask, jsonify, redirect, request
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from joserfc.jwt import JWTClaimsRegistry
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

HOST = "127.0.0.1"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@dataclass
class Client:
    secret: str | None
    public_key_pem: str | None = None  # service accounts sign assertions instead of sending a secret
    tenant: str = "example.test"  # the mail domain an app-only token is good for


@dataclass
class Token:
    client_id: str
    username: str | None  # None: an app-only token, good for every mailbox of the tenant
    expires_at: float
    grant_id: str | None = None


@dataclass
class Grant:
    """One consent (a refresh token) for one mailbox."""

    client_id: str
    username: str
    scope: str
    revoked: bool = False


@dataclass
class Code:
    client_id: str
    redirect_uri: str
    challenge: str
    username: str
    scope: str


@dataclass
class IdpState:
    """Everything the IdP knows; tests change it directly (thread-safe through `lock`)."""

    access_lifetime: int = 3600
    clients: dict[str, Client] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)
    # The mailbox the authorize page signs in as (a real IdP would ask).
    authorize_as: str = "user@example.test"
    # Hand out a new refresh token on every refresh and revoke the old one (strict rotation).
    rotate_refresh_tokens: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_client(
        self,
        client_id: str,
        secret: str | None = None,
        public_key_pem: str | None = None,
        tenant: str = "example.test",
    ) -> None:
        with self.lock:
            self.clients[client_id] = Client(secret, public_key_pem, tenant)

    def issue_refresh_token(self, client_id: str, username: str, scope: str = "") -> str:
        """A consent as if the Connect flow had run."""
        with self.lock:
            return self._new_grant(client_id, username, scope)

    def revoke(self, refresh_token: str | None = None, username: str | None = None) -> None:
        """Revoke a grant (or every grant of a mailbox) and the access tokens it issued."""
        with self.lock:
            for grant_id, grant in self.grants.items():
                if grant_id == refresh_token or grant.username == username:
                    grant.revoked = True
            self.tokens = {
                k: t for k, t in self.tokens.items() if not (t.grant_id and self.grants[t.grant_id].revoked)
            }

    def issued(self, grant_type: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [e for e in self.log if e["event"] == "token" and grant_type in (None, e["grant_type"])]

    def _new_grant(self, client_id: str, username: str, scope: str) -> str:
        refresh = "rt-" + secrets.token_urlsafe(24)
        self.grants[refresh] = Grant(client_id, username, scope)
        return refresh

    def _issue(
        self, grant_type: str, client_id: str, username: str | None, grant_id: str | None = None
    ) -> str:
        token = "at-" + secrets.token_urlsafe(24)
        self.tokens[token] = Token(client_id, username, time.time() + self.access_lifetime, grant_id)
        self.log.append(
            {"event": "token", "grant_type": grant_type, "client_id": client_id, "username": username}
        )
        return token


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def create_app(state: IdpState) -> Flask:
    app = Flask("testbed-idp")

    @app.errorhandler(OAuthError)
    def oauth_error(exc: OAuthError) -> tuple[Response, int]:
        return jsonify(error=exc.error, error_description=exc.description), exc.status

    @app.post("/token")
    def token() -> Response:
        form = request.form
        grant_type = form.get("grant_type", "")
        with state.lock:
            if grant_type == JWT_BEARER:
                client_id, username = _verify_assertion(state, form.get("assertion", ""))
                access, refresh = state._issue(grant_type, client_id, username), None
            else:
                client_id = _authenticate(state)
                access, refresh = _grant(state, grant_type, client_id)
            body: dict[str, Any] = {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": state.access_lifetime,
            }
        if refresh:
            body["refresh_token"] = refresh
        return jsonify(body)

    @app.get("/authorize")
    def authorize() -> Response:
        args = request.args
        with state.lock:
            if args.get("client_id") not in state.clients:
                raise OAuthError("invalid_client", "unknown client")
            if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
                raise OAuthError("invalid_request", "PKCE with S256 is required")
            code = "code-" + secrets.token_urlsafe(16)
            state.codes[code] = Code(
                args["client_id"],
                args.get("redirect_uri", ""),
                args["code_challenge"],
                state.authorize_as,
                args.get("scope", ""),
            )
        query = urlencode({"code": code, "state": args.get("state", "")})
        return redirect(f"{args.get('redirect_uri', '')}?{query}")

    @app.post("/introspect")
    def introspect() -> Response:
        with state.lock:
            found = state.tokens.get(request.form.get("token", ""))
            state.log.append({"event": "introspect", "active": found is not None})
        if found is None or found.expires_at < time.time():
            return jsonify(active=False)
        body: dict[str, Any] = {"active": True, "client_id": found.client_id, "exp": int(found.expires_at)}
        # Dovecot compares the domain only (username_format = %d, see testbed/dovecot_config.py), so an
        # app-only token signs in as any mailbox of its tenant, like Microsoft 365's.
        body["username"] = found.username or f"{found.client_id}@{state.clients[found.client_id].tenant}"
        return jsonify(body)

    return app


def _authenticate(state: IdpState) -> str:
    """client_secret_basic or client_secret_post; a public client (PKCE) sends only its id."""
    auth = request.authorization
    client_id = auth.username if auth and auth.username else request.form.get("client_id", "")
    secret = auth.password if auth and auth.username else request.form.get("client_secret")
    client = state.clients.get(client_id or "")
    if client is None or (client.secret is not None and secret != client.secret):
        raise OAuthError("invalid_client", "client authentication failed", 401)
    return client_id or ""


def _grant(state: IdpState, grant_type: str, client_id: str) -> tuple[str, str | None]:
    form = request.form
    if grant_type == "client_credentials":
        return state._issue(grant_type, client_id, None), None
    if grant_type == "refresh_token":
        grant = state.grants.get(form.get("refresh_token", ""))
        if grant is None or grant.revoked or grant.client_id != client_id:
            raise OAuthError("invalid_grant", "the refresh token is invalid or was revoked")
        if state.rotate_refresh_tokens:
            grant.revoked = True
            rotated = state._new_grant(client_id, grant.username, grant.scope)
            return state._issue(grant_type, client_id, grant.username, rotated), rotated
        return state._issue(grant_type, client_id, grant.username, form["refresh_token"]), None
    if grant_type == "authorization_code":
        code = state.codes.pop(form.get("code", ""), None)
        if code is None or code.client_id != client_id or code.redirect_uri != form.get("redirect_uri"):
            raise OAuthError("invalid_grant", "unknown or used authorization code")
        if create_s256_code_challenge(form.get("code_verifier", "")) != code.challenge:
            raise OAuthError("invalid_grant", "PKCE verification failed")
        refresh = state._new_grant(client_id, code.username, code.scope)
        return state._issue(grant_type, client_id, code.username, refresh), refresh
    raise OAuthError("unsupported_grant_type", f"grant type {grant_type!r} is not supported")


def _verify_assertion(state: IdpState, assertion: str) -> tuple[str, str]:
    """(client id = issuer, mailbox = subject) of a valid RS256 assertion for this token endpoint."""
    try:
        unverified = json.loads(jws.extract_compact(assertion.encode("ascii")).payload)
        client = state.clients.get(str(unverified.get("iss", "")))
        if client is None or client.public_key_pem is None:
            raise OAuthError("invalid_client", "unknown service account", 401)
        token = jwt.decode(assertion, RSAKey.import_key(client.public_key_pem), algorithms=["RS256"])
        JWTClaimsRegistry(
            exp={"essential": True}, sub={"essential": True}, aud={"essential": True, "value": request.url}
        ).validate(token.claims)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise OAuthError("invalid_grant", f"assertion rejected: {exc.__class__.__name__}") from exc
    return str(unverified["iss"]), str(token.claims["sub"])


class IdentityProvider:
    """The IdP served by werkzeug in a thread on a free loopback port."""

    def __init__(self, state: IdpState | None = None) -> None:
        self.state = state or IdpState()
        self._server = make_server(HOST, 0, create_app(self.state), threaded=True)
        self.port: int = self._server.server_port
        self.url = f"http://{HOST}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="idp", daemon=True)

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    @property
    def authorize_url(self) -> str:
        return f"{self.url}/authorize"

    @property
    def introspection_url(self) -> str:
        return f"{self.url}/introspect"

    def __enter__(self) -> IdentityProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
