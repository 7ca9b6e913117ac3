"""Endpoints CRUD: happy paths, validation (422 naming the field), 404, 409 when in use."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import Account
from tests.conftest import ApiClient
from tests.support.factories import make_account, make_endpoint, make_task, session_of

VALID = {"name": "Old provider", "host": "imap.old.example", "port": 993, "tls_mode": "ssl"}


def test_create_get_list(api: ApiClient) -> None:
    response = api.post("/api/endpoints", json={**VALID, "name": "  Old provider  "})
    assert response.status_code == 201
    created = response.json
    assert created["name"] == "Old provider"
    assert created["verify_tls"] is True and created["max_connections"] is None
    assert created["created_at"].endswith("Z")
    assert set(created) == {
        "id", "name", "host", "port", "tls_mode", "verify_tls", "max_connections",
        "max_connections_per_account", "daily_upload_mb", "created_at", "updated_at",
        "provider", "auth_mode", "oauth2_grant", "oauth2_token_url", "oauth2_authorize_url",
        "oauth2_client_id",
        "oauth2_scope", "sasl_mechanism", "oauth2_client_secret_set", "oauth2_private_key_set",
    }  # fmt: skip
    assert created["max_connections_per_account"] is None
    assert created["provider"] == "generic" and created["auth_mode"] == "password"
    assert api.get(f"/api/endpoints/{created['id']}").json == created
    other = make_endpoint(api, name="Another", host="::1", port=143, tls_mode="starttls", max_connections=4)
    assert other["host"] == "::1" and other["max_connections"] == 4
    listed = api.get("/api/endpoints").json
    assert [e["name"] for e in listed] == ["Another", "Old provider"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"port": 0}, "port"),
        ({"port": 65536}, "port"),
        ({"port": "993"}, "port"),
        ({"tls_mode": "tls"}, "tls_mode"),
        ({"host": "imaps://imap.example"}, "host"),
        ({"host": "imap.example:993"}, "host"),
        ({"host": "imap example"}, "host"),
        ({"host": ""}, "host"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "nul\u0000byte"}, "name"),
        ({"verify_tls": "no"}, "verify_tls"),
        ({"max_connections": 0}, "max_connections"),
        ({"max_connections_per_account": 0}, "max_connections_per_account"),
        ({"password": "nope"}, "password"),
    ],
)
def test_create_rejects_bad_fields(api: ApiClient, change: dict[str, object], field: str) -> None:
    response = api.post("/api/endpoints", json={**VALID, **change})
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert api.get("/api/endpoints").json == []


def test_create_requires_fields_and_json(api: ApiClient) -> None:
    response = api.post("/api/endpoints", json={"name": "x"})
    assert response.status_code == 422
    assert {"host", "port"} <= set(response.json["error"]["fields"])
    assert api.post("/api/endpoints", data="{", content_type="application/json").status_code == 400
    assert api.post("/api/endpoints", data="name=x").status_code == 400
    assert api.post("/api/endpoints", json=[1, 2]).status_code == 422


def test_patch(api: ApiClient) -> None:
    endpoint = make_endpoint(api, max_connections=3)
    response = api.patch(f"/api/endpoints/{endpoint['id']}", json={"port": 143, "max_connections": None})
    assert response.status_code == 200
    assert response.json["port"] == 143 and response.json["max_connections"] is None
    assert response.json["name"] == endpoint["name"]
    assert api.get(f"/api/endpoints/{endpoint['id']}").json["port"] == 143
    unchanged = api.patch(f"/api/endpoints/{endpoint['id']}", json={})
    assert unchanged.status_code == 200 and unchanged.json["port"] == 143
    capped = api.patch(f"/api/endpoints/{endpoint['id']}", json={"max_connections_per_account": 15})
    assert capped.status_code == 200 and capped.json["max_connections_per_account"] == 15
    cleared = api.patch(f"/api/endpoints/{endpoint['id']}", json={"max_connections_per_account": None})
    assert cleared.json["max_connections_per_account"] is None
    budget = api.patch(f"/api/endpoints/{endpoint['id']}", json={"daily_upload_mb": 2000})
    assert budget.status_code == 200 and budget.json["daily_upload_mb"] == 2000
    assert api.patch(f"/api/endpoints/{endpoint['id']}", json={"daily_upload_mb": 0}).status_code == 422
    unset = api.patch(f"/api/endpoints/{endpoint['id']}", json={"daily_upload_mb": None})
    assert unset.json["daily_upload_mb"] is None


@pytest.mark.parametrize(
    "body", [{"name": None}, {"port": None}, {"port": 70000}, {"tls_mode": "ssl3"}, {"id": 5}]
)
def test_patch_rejects_bad_fields(api: ApiClient, body: dict[str, object]) -> None:
    endpoint = make_endpoint(api)
    response = api.patch(f"/api/endpoints/{endpoint['id']}", json=body)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == set(body)
    assert api.get(f"/api/endpoints/{endpoint['id']}").json == endpoint


def test_connection_change_resets_login_tests_of_that_side(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    with session_of(app) as session:
        row = session.get(Account, account["id"])
        assert row is not None
        row.test_src_status = row.test_dst_status = "ok"
        session.commit()
    api.patch(f"/api/endpoints/{task['src_endpoint_id']}", json={"name": "renamed only"})
    assert api.get(f"/api/tasks/{task['id']}/accounts").json[0]["test_src_status"] == "ok"
    api.patch(f"/api/endpoints/{task['src_endpoint_id']}", json={"port": 2})
    listed = api.get(f"/api/tasks/{task['id']}/accounts").json[0]
    assert (listed["test_src_status"], listed["test_dst_status"]) == ("untested", "ok")


def test_delete(api: ApiClient) -> None:
    endpoint = make_endpoint(api)
    assert api.delete(f"/api/endpoints/{endpoint['id']}").status_code == 204
    assert api.get(f"/api/endpoints/{endpoint['id']}").status_code == 404
    assert api.delete(f"/api/endpoints/{endpoint['id']}").status_code == 404


def test_delete_in_use_is_409(api: ApiClient) -> None:
    task = make_task(api)
    for endpoint_id in (task["src_endpoint_id"], task["dst_endpoint_id"]):
        response = api.delete(f"/api/endpoints/{endpoint_id}")
        assert response.status_code == 409
        assert response.json["error"]["code"] == "conflict"
        assert api.get(f"/api/endpoints/{endpoint_id}").status_code == 200
    assert api.delete(f"/api/tasks/{task['id']}").status_code == 204
    assert api.delete(f"/api/endpoints/{task['src_endpoint_id']}").status_code == 204


@pytest.mark.parametrize("endpoint_id", [999, 2**31, 10**20])
def test_unknown_ids_are_404(api: ApiClient, endpoint_id: int) -> None:
    for call in (api.get, api.delete):
        response = call(f"/api/endpoints/{endpoint_id}")
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert api.patch(f"/api/endpoints/{endpoint_id}", json={"port": 1}).status_code == 404
