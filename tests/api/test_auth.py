"""Login, logout, CSRF, tokens and the login rate limit."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.services import auth as auth_service
from tests.conftest import ADMIN_PASSWORD, ADMIN_USERNAME, ApiClient


def test_login_sets_httponly_samesite_cookie_and_returns_csrf(anon: FlaskClient) -> None:
    response = anon.post("/api/auth/login", json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD})
    assert response.status_code == 200
    assert response.json["user"]["username"] == ADMIN_USERNAME
    assert len(response.json["csrf_token"]) > 20
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_is_401(anon: FlaskClient) -> None:
    response = anon.post("/api/auth/login", json={"username": ADMIN_USERNAME, "password": "nope"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_login_validation_names_the_field(anon: FlaskClient) -> None:
    response = anon.post("/api/auth/login", json={"username": ADMIN_USERNAME})
    assert response.status_code == 422
    assert "password" in response.json["error"]["fields"]
    assert anon.post("/api/auth/login", data="{oops", content_type="application/json").status_code == 400


def test_me_and_logout(api: ApiClient) -> None:
    me = api.get("/api/auth/me")
    assert me.status_code == 200 and me.json["csrf_token"] == api.csrf
    assert api.post("/api/auth/logout").status_code == 204
    assert api.get("/api/auth/me").status_code == 401


def test_state_change_without_csrf_header_is_403(api: ApiClient) -> None:
    response = api.client.post("/api/auth/logout")
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert api.client.post("/api/auth/logout", headers={"X-CSRF-Token": "wrong"}).status_code == 403


def test_login_is_rate_limited(anon: FlaskClient) -> None:
    for _ in range(5):
        assert anon.post("/api/auth/login", json={"username": "admin", "password": "bad"}).status_code == 401
    blocked = anon.post("/api/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert blocked.status_code == 429


def test_bearer_token_works_without_csrf(app: Flask, anon: FlaskClient) -> None:
    resources = app.extensions["imapcopier"]
    with resources.sessions.begin() as session:
        user = auth_service.authenticate(session, ADMIN_USERNAME, ADMIN_PASSWORD)
        assert user is not None
        token = auth_service.create_token(session, user, "ci")
    headers = {"Authorization": f"Bearer {token}"}
    assert anon.get("/api/auth/me", headers=headers).status_code == 200
    assert anon.post("/api/auth/logout", headers=headers).status_code == 204
    assert anon.get("/api/auth/me", headers={"Authorization": "Bearer ic_wrong"}).status_code == 401


def test_health_endpoints_are_public(anon: FlaskClient) -> None:
    assert anon.get("/healthz").json == {"status": "ok"}
    ready = anon.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"]["database"] == "ok"
