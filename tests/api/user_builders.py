"""Users of each role for API tests, with a logged-in client or an API token."""

from __future__ import annotations

from flask import Flask

from app.models import Role
from app.services import auth as auth_service
from tests.conftest import ApiClient

PASSWORD = "role-password-1"


def make_user(app: Flask, username: str, role: Role) -> str:
    """Create the user; returns an API token that acts as it."""
    with app.extensions["imapcopier"].sessions.begin() as session:
        user = auth_service.set_user(session, username, PASSWORD, role)
        session.flush()
        return auth_service.create_token(session, user, "test")


def login(app: Flask, username: str, password: str = PASSWORD) -> ApiClient:
    client = app.test_client()
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return ApiClient(client, response.json["csrf_token"])
