"""The test identity provider and Dovecot's oauth2 passdb: every grant, PKCE, expiry and revocation."""

from __future__ import annotations

import secrets
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from authlib.oauth2.rfc7523 import JWTBearerGrant
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from joserfc.jwk import RSAKey

from testbed.dovecot import ImapServer
from testbed.idp import JWT_BEARER
from tests.oauth_fixtures import APP_ID, APP_SECRET, SERVICE_ACCOUNT, IdpHandle, _key_pair

REDIRECT = "http://127.0.0.1:5000/api/oauth/callback"


def _token(
    idp: IdpHandle, data: dict[str, str], auth: tuple[str, str] | None = (APP_ID, APP_SECRET)
) -> requests.Response:
    return requests.post(idp.idp.token_url, data=data, auth=auth, timeout=10)


def _login(server: ImapServer, user: str, token: str, mechanism: str = "XOAUTH2") -> None:
    client = IMAPClient(server.host, server.port_plain, ssl=False, timeout=10)
    try:
        if mechanism == "XOAUTH2":
            client.oauth2_login(user, token)
        else:
            client.oauthbearer_login(user, token)
        assert client.list_folders(pattern="INBOX")
    finally:
        client.shutdown()


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_client_credentials_token_signs_in_to_dovecot(
    test_idp: IdpHandle, oauth_src: ImapServer, mailbox: str, mechanism: str
) -> None:
    response = _token(test_idp, {"grant_type": "client_credentials", "scope": "imap"})
    assert response.status_code == 200, response.text
    _login(oauth_src, mailbox, response.json()["access_token"], mechanism)
    with pytest.raises(LoginError):
        _login(oauth_src, mailbox, "at-forged")
    with pytest.raises(LoginError):  # an app-only token holds for its tenant's domain only
        _login(oauth_src, "jane@elsewhere.test", response.json()["access_token"])


def test_wrong_client_secret_is_invalid_client(test_idp: IdpHandle) -> None:
    response = _token(test_idp, {"grant_type": "client_credentials"}, auth=(APP_ID, "wrong"))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_jwt_bearer_verifies_the_signature(test_idp: IdpHandle, oauth_src: ImapServer, mailbox: str) -> None:
    def assertion(key: str) -> str:
        signed = JWTBearerGrant.sign(
            RSAKey.import_key(key),
            header={"alg": "RS256"},
            issuer=SERVICE_ACCOUNT,
            audience=test_idp.idp.token_url,
            subject=mailbox,
            claims={"scope": "mail"},
        )
        return signed.decode() if isinstance(signed, bytes) else signed

    good = _token(
        test_idp, {"grant_type": JWT_BEARER, "assertion": assertion(test_idp.private_key_pem)}, None
    )
    assert good.status_code == 200, good.text
    _login(oauth_src, mailbox, good.json()["access_token"])
    other_key, _ = _key_pair()
    forged = _token(test_idp, {"grant_type": JWT_BEARER, "assertion": assertion(other_key)}, None)
    assert forged.json()["error"] == "invalid_grant"
    assert test_idp.state.issued(JWT_BEARER)[0]["username"] == mailbox


def _authorize(test_idp: IdpHandle, challenge: str) -> str:
    response = requests.get(
        test_idp.idp.authorize_url,
        params={
            "response_type": "code",
            "client_id": APP_ID,
            "redirect_uri": REDIRECT,
            "state": "xyz",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    query = parse_qs(urlparse(response.headers["Location"]).query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def test_authorization_code_with_pkce_then_refresh_then_revoke(
    test_idp: IdpHandle, oauth_src: ImapServer, mailbox: str
) -> None:
    test_idp.state.authorize_as = mailbox
    verifier = secrets.token_urlsafe(48)
    code = _authorize(test_idp, create_s256_code_challenge(verifier))
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    wrong = _token(test_idp, {**exchange, "code_verifier": "not-the-verifier" * 3})
    assert wrong.json()["error"] == "invalid_grant"  # and the code is used up
    code = _authorize(test_idp, create_s256_code_challenge(verifier))
    tokens = _token(test_idp, {**exchange, "code": code, "code_verifier": verifier}).json()
    refreshed = _token(test_idp, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    _login(oauth_src, mailbox, refreshed.json()["access_token"])
    test_idp.state.revoke(tokens["refresh_token"])
    again = _token(test_idp, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert again.json()["error"] == "invalid_grant"
    with pytest.raises(LoginError):
        _login(oauth_src, mailbox, refreshed.json()["access_token"])


def test_expired_token_is_refused(test_idp: IdpHandle, oauth_src: ImapServer, mailbox: str) -> None:
    test_idp.state.access_lifetime = 1
    token = _token(test_idp, {"grant_type": "client_credentials"}).json()["access_token"]
    time.sleep(1.2)
    with pytest.raises(LoginError):
        _login(oauth_src, mailbox, token)
