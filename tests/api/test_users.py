"""Users and roles through the API, the CLI's create-user, and how sessions end (logout elsewhere,
password change, idle timeout, absolute lifetime)."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from app import manage
from app.models import Role
from tests.api.user_builders import PASSWORD, login, make_user
from tests.conftest import ADMIN_USERNAME, ApiClient


def test_admin_manages_users(api: ApiClient, app: Flask) -> None:
    created = api.post("/api/users", json={"username": "olga", "password": "olga-pass-1", "role": "operator"})
    assert created.status_code == 201, created.json
    assert created.json["role"] == "operator" and "password" not in created.data.decode()
    assert (
        api.post("/api/users", json={"username": "olga", "password": "x" * 8, "role": "viewer"}).status_code
        == 409
    )
    assert (
        api.post("/api/users", json={"username": "v", "password": "short", "role": "viewer"}).status_code
        == 422
    )
    olga = login(app, "olga", "olga-pass-1")
    assert olga.post("/api/endpoints", json={"name": "s", "host": "h", "port": 1}).status_code == 201
    changed = api.patch(f"/api/users/{created.json['id']}", json={"role": "viewer"})
    assert changed.json["role"] == "viewer"
    assert olga.get("/api/endpoints").status_code == 401  # a role change ends the user's sessions
    users = api.get("/api/users").json
    assert [u["username"] for u in users] == [ADMIN_USERNAME, "olga"]
    assert api.delete(f"/api/users/{created.json['id']}").status_code == 204
    rows = api.get("/api/audit").json
    actions = [(r["action"], r["target_id"]) for r in rows if r["action"].endswith("_user")]
    assert actions == [(a, created.json["id"]) for a in ("delete_user", "update_user", "create_user")]
    assert api.get("/api/users").json[-1]["username"] == ADMIN_USERNAME


def test_the_last_admin_stays(api: ApiClient) -> None:
    me = api.get("/api/auth/me").json["user"]
    assert api.patch(f"/api/users/{me['id']}", json={"role": "viewer"}).status_code == 409
    assert api.delete(f"/api/users/{me['id']}").status_code == 409
    assert api.get("/api/auth/me").json["user"]["role"] == "admin"


def test_logout_ends_the_users_other_sessions(app: Flask) -> None:
    make_user(app, "pat", Role.OPERATOR)
    laptop, phone = login(app, "pat"), login(app, "pat")
    assert phone.get("/api/tasks").status_code == 200
    assert laptop.post("/api/auth/logout").status_code == 204
    refused = phone.get("/api/tasks")
    assert refused.status_code == 401 and "ended" in refused.json["error"]["message"]


def test_a_password_change_ends_the_other_sessions_only(app: Flask) -> None:
    make_user(app, "kim", Role.VIEWER)
    here, elsewhere = login(app, "kim"), login(app, "kim")
    wrong = here.post("/api/auth/password", json={"current_password": "nope", "new_password": "new-pass-123"})
    assert wrong.status_code == 403
    assert (
        here.post(
            "/api/auth/password", json={"current_password": PASSWORD, "new_password": "new-pass-123"}
        ).status_code
        == 204
    )
    assert here.get("/api/auth/me").status_code == 200
    assert elsewhere.get("/api/auth/me").status_code == 401
    login(app, "kim", "new-pass-123")


@pytest.mark.parametrize(("stamp", "reason"), [("seen_at", "idle"), ("login_at", "maximum age")])
def test_sessions_expire(api: ApiClient, app: Flask, stamp: str, reason: str) -> None:
    settings = app.extensions["imapcopier"].settings
    age = max(settings.session_idle_seconds, settings.session_max_seconds) + 1
    with api.client.session_transaction() as cookie:
        cookie[stamp] = int(time.time()) - age
    refused = api.get("/api/tasks")
    assert refused.status_code == 401 and reason in refused.json["error"]["message"]


def test_cli_create_user_with_a_role(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manage, "_sessions", lambda: app.extensions["imapcopier"].sessions)
    monkeypatch.setenv("IMAPCOPIER_USER_PASSWORD", "cli-pass-123")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert manage.main(["create-user", "ops", "--role", "operator"]) == 0
    assert login(app, "ops", "cli-pass-123").get("/api/auth/me").json["user"]["role"] == "operator"
    with pytest.raises(SystemExit):
        manage.main(["create-user", "ops", "--role", "root"])


def test_tokens_are_the_users_own_and_carry_its_role(api: ApiClient, app: Flask) -> None:
    make_user(app, "otis", Role.OPERATOR)
    otis = login(app, "otis")
    created = otis.post("/api/auth/tokens", json={"name": "ci"})
    assert created.status_code == 201
    token, token_id = created.json["token"], created.json["id"]
    bearer = {"Authorization": f"Bearer {token}"}
    anon = app.test_client()
    assert anon.get("/api/auth/me", headers=bearer).json["user"]["role"] == "operator"
    assert anon.get("/api/users", headers=bearer).status_code == 403
    assert [t["name"] for t in otis.get("/api/auth/tokens").json] == ["test", "ci"]
    assert token not in otis.get("/api/auth/tokens").data.decode()
    admin_token = api.post("/api/auth/tokens", json={"name": "admin's"}).json["id"]
    assert otis.delete(f"/api/auth/tokens/{admin_token}").status_code == 404  # not another user's
    assert api.delete(f"/api/auth/tokens/{token_id}").status_code == 204  # an admin may
    assert anon.get("/api/auth/me", headers=bearer).status_code == 401
    rows = api.get("/api/audit?action=create_token").json
    assert [(r["actor"], r["target_type"]) for r in rows] == [("admin", "token"), ("otis", "token")]
    assert token not in api.get("/api/audit").data.decode()
