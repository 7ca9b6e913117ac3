"""The Connect flow against the test identity provider: authorization code + PKCE, state bound to the
browser session, the refresh token stored write-only, and the provider's error passed back."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import requests
from flask import Flask

from tests.conftest import ADMIN_PASSWORD, ADMIN_USERNAME, ApiClient
from tests.oauth_fixtures import APP_ID, APP_SECRET, IdpHandle
from tests.support.factories import make_account, make_endpoint, make_task


def _consent_task(
    api: ApiClient, idp: IdpHandle, secret: str = APP_SECRET
) -> tuple[dict[str, Any], dict[str, Any]]:
    endpoint = make_endpoint(
        api,
        auth_mode="oauth2",
        oauth2_grant="refresh_token",
        oauth2_token_url=idp.idp.token_url,
        oauth2_authorize_url=idp.idp.authorize_url,
        oauth2_client_id=APP_ID,
        oauth2_client_secret=secret,
        oauth2_scope="imap offline_access",
    )
    task = make_task(api, dst_endpoint_id=endpoint["id"])
    return task, make_account(api, task["id"], dst_password=None)


def _consent(api: ApiClient, account_id: int) -> dict[str, list[str]]:
    """Start, then let the IdP approve: the query the browser brings back to the callback."""
    start = api.get(f"/api/accounts/{account_id}/oauth/start?side=dst")
    assert start.status_code == 302, start.json
    location = start.headers["Location"]
    query = parse_qs(urlparse(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["redirect_uri"] == [
        "http://127.0.0.1:5000/api/oauth/callback"
    ]
    approved = requests.get(location, allow_redirects=False, timeout=10)
    assert approved.status_code == 302
    return parse_qs(urlparse(approved.headers["Location"]).query)


def test_connect_stores_the_refresh_token(api: ApiClient, app: Flask, test_idp: IdpHandle) -> None:
    task, account = _consent_task(api, test_idp)
    test_idp.state.authorize_as = account["dst_username"]
    back = _consent(api, account["id"])
    done = api.get(f"/api/oauth/callback?code={back['code'][0]}&state={back['state'][0]}")
    assert done.status_code == 302
    assert done.headers["Location"].startswith(f"http://127.0.0.1:5000/tasks/{task['id']}?oauth=connected")
    stored = api.get(f"/api/tasks/{task['id']}/accounts").json[0]
    assert stored["dst_refresh_token_set"] is True and stored["test_dst_status"] == "untested"
    assert [e["grant_type"] for e in test_idp.state.issued()] == ["authorization_code"]
    replay = api.get(f"/api/oauth/callback?code={back['code'][0]}&state={back['state'][0]}")
    assert "oauth_error=state_mismatch" in replay.headers["Location"]


def test_state_is_bound_to_the_session(api: ApiClient, app: Flask, test_idp: IdpHandle) -> None:
    _, account = _consent_task(api, test_idp)
    back = _consent(api, account["id"])
    other = app.test_client()
    assert (
        other.post(
            "/api/auth/login", json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
        ).status_code
        == 200
    )
    stolen = other.get(f"/api/oauth/callback?code={back['code'][0]}&state={back['state'][0]}")
    assert "oauth_error=state_mismatch" in stolen.headers["Location"]
    assert test_idp.state.issued() == []


def test_wrong_client_secret_comes_back_as_the_provider_error(api: ApiClient, test_idp: IdpHandle) -> None:
    wrong = "Wr0ng-connect-secret-3c8e"
    task, account = _consent_task(api, test_idp, secret=wrong)
    back = _consent(api, account["id"])
    done = api.get(f"/api/oauth/callback?code={back['code'][0]}&state={back['state'][0]}")
    assert done.headers["Location"] == f"http://127.0.0.1:5000/tasks/{task['id']}?oauth_error=invalid_client"


def test_connect_needs_a_refresh_token_endpoint(api: ApiClient) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    response = api.get(f"/api/accounts/{account['id']}/oauth/start?side=src")
    assert response.status_code == 422
    assert api.get(f"/api/accounts/{account['id']}/oauth/start?side=both").status_code in (400, 422)
