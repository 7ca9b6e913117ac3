"""OAuth2 fields on endpoints and accounts: provider profiles, write-only secrets, what each grant needs."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.models import Account, Endpoint
from tests.conftest import ApiClient
from tests.support.factories import make_account, make_task, session_of

SECRET = "Cs7-client-secret-never-echo"
KEY = "-----BEGIN PRIVATE KEY-----\nMIIE-never-echo-key\n-----END PRIVATE KEY-----\n"
TOKEN_URL = "https://login.microsoftonline.com/contoso.example/oauth2/v2.0/token"


def _m365(api: ApiClient, **extra: Any) -> Any:
    body = {
        "name": "M365",
        "provider": "microsoft365",
        "oauth2_token_url": TOKEN_URL,
        "oauth2_client_id": "app-1",
    }
    return api.post("/api/endpoints", json={**body, **extra})


def test_microsoft365_profile_fills_defaults_and_keeps_the_secret_write_only(
    api: ApiClient, app: Flask
) -> None:
    response = _m365(api, oauth2_client_secret=SECRET)
    assert response.status_code == 201, response.json
    created = response.json
    assert (created["host"], created["port"], created["tls_mode"]) == ("outlook.office365.com", 993, "ssl")
    assert created["auth_mode"] == "oauth2" and created["oauth2_grant"] == "client_credentials"
    assert created["oauth2_scope"] == "https://outlook.office365.com/.default"
    assert created["max_connections_per_account"] == 8  # under Exchange Online's 20 per mailbox
    assert created["oauth2_client_secret_set"] is True and created["oauth2_private_key_set"] is False
    assert SECRET.encode() not in response.data
    with session_of(app) as session:
        stored = session.get(Endpoint, created["id"])
        assert stored is not None and stored.oauth2_client_secret_enc
        assert SECRET.encode() not in stored.oauth2_client_secret_enc
    patched = api.patch(f"/api/endpoints/{created['id']}", json={"oauth2_client_secret": None})
    assert patched.status_code == 422 and "oauth2_client_secret" in patched.json["error"]["fields"]


def test_each_grant_names_what_it_needs(api: ApiClient) -> None:
    missing = _m365(api)
    assert missing.status_code == 422
    assert set(missing.json["error"]["fields"]) == {"oauth2_client_secret"}
    gmail = api.post(
        "/api/endpoints", json={"name": "G", "provider": "gmail", "oauth2_client_id": "sa@x.example"}
    )
    assert set(gmail.json["error"]["fields"]) == {"oauth2_private_key"}
    made = api.post(
        "/api/endpoints",
        json={
            "name": "G",
            "provider": "gmail",
            "oauth2_client_id": "sa@x.example",
            "oauth2_private_key": KEY,
        },
    )
    assert made.status_code == 201 and made.json["oauth2_private_key_set"] is True
    assert made.json["oauth2_token_url"] == "https://oauth2.googleapis.com/token"
    assert b"never-echo-key" not in made.data


def test_passwords_optional_on_an_oauth2_side_only(api: ApiClient, app: Flask) -> None:
    src = _m365(api, oauth2_client_secret=SECRET).json
    task = make_task(api, src_endpoint_id=src["id"])
    account = make_account(api, task["id"], src_password=None, src_refresh_token="rt-never-echo-1")
    assert account["src_password_set"] is False and account["src_refresh_token_set"] is True
    assert account["dst_refresh_token_set"] is False
    refused = api.post(
        f"/api/tasks/{task['id']}/accounts",
        json={"src_username": "b@x.example", "dst_username": "b@y.example"},
    )
    assert refused.status_code == 422 and set(refused.json["error"]["fields"]) == {"dst_password"}
    with session_of(app) as session:
        row = session.get(Account, account["id"])
        assert (
            row is not None and row.src_refresh_token_enc and b"never-echo" not in row.src_refresh_token_enc
        )


def test_oauth2_without_a_grant_is_refused(api: ApiClient) -> None:
    body = {"name": "bare", "host": "127.0.0.1", "port": 1, "tls_mode": "plain", "auth_mode": "oauth2"}
    response = api.post("/api/endpoints", json=body)
    assert response.status_code == 422
    assert {"oauth2_grant", "oauth2_token_url", "oauth2_client_id"} <= set(response.json["error"]["fields"])


def test_csv_import_leaves_oauth2_passwords_empty(api: ApiClient) -> None:
    src = _m365(api, oauth2_client_secret=SECRET).json
    task = make_task(api, src_endpoint_id=src["id"])
    imported = api.post(
        f"/api/tasks/{task['id']}/accounts/import",
        data="a@contoso.example,,a@new.example,pw-a\nb@contoso.example,,b@new.example,\n",
        content_type="text/csv",
    )
    assert imported.status_code == 422  # the destination signs in with passwords: line 2 lacks one
    assert imported.json["error"]["fields"] == {"line 2": "dst_password is empty"}
    fixed = api.post(
        f"/api/tasks/{task['id']}/accounts/import",
        data="a@contoso.example,,a@new.example,pw-a\n",
        content_type="text/csv",
    )
    assert fixed.status_code == 201, fixed.json
    assert fixed.json["accounts"][0]["src_password_set"] is False
