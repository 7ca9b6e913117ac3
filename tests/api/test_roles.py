"""Every /api operation of the OpenAPI document, tried with each role (viewer, operator, admin).

The expected answer comes from the rule in docs/security.md, not from the code's declarations, so a
new route that forgets its role fails here: viewer = GET only; operator = everything but
/api/users; admin = all; /api/audit readable by admin and operator; /api/auth is everyone's own;
the OAuth2 Connect GETs (start, callback) store a consent, so they are the operator's. The folder
rules' preview is a POST that only computes; it is still not a viewer's (GET only).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app.models import Role
from tests.api.user_builders import login, make_user

MISSING_ID = "2147480000"  # no such row: an allowed call ends in 404/422, never in a change


def expected_allowed(role: Role, method: str, path: str) -> bool:
    if role == Role.ADMIN or path.startswith("/api/auth/"):
        return True
    if path.startswith("/api/users") or path.startswith("/api/settings/"):
        return False
    if path.startswith("/api/audit") or "/oauth/" in path:
        return role == Role.OPERATOR
    return method == "GET" or role == Role.OPERATOR


def operations(app: Flask, headers: dict[str, str]) -> list[tuple[str, str]]:
    document = app.test_client().get("/api/openapi.json", headers=headers).json
    found = [
        (method.upper(), re.sub(r"{\w+}", MISSING_ID, path))
        for path, item in document["paths"].items()
        for method in item
        if path.startswith("/api/")
    ]
    return sorted(found)


def test_the_document_lists_every_api_route(app: Flask) -> None:
    headers = {"Authorization": f"Bearer {make_user(app, 'reader', Role.VIEWER)}"}
    documented = set(operations(app, headers))
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.websocket or rule.endpoint == "health.openapi":
            continue
        path = re.sub(r"<(?:[^:>]+:)?\w+>", MISSING_ID, rule.rule)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            assert (method, path) in documented, f"{method} {rule.rule} is not in the OpenAPI document"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_its_operations(app: Flask, role: Role) -> None:
    headers = {"Authorization": f"Bearer {make_user(app, f'{role}-user', role)}"}
    client = app.test_client()
    checked = 0
    for method, path in operations(app, headers):
        if path.endswith("/plan"):
            continue  # waits for a worker; it is a GET like the others, checked by the session test below
        response = client.open(path, method=method, headers=headers, json={})
        refused = response.status_code == 403 and "role" in response.json["error"]["fields"]
        assert refused is not expected_allowed(role, method, path), (role, method, path, response.status_code)
        assert response.status_code != 500, (role, method, path)
        checked += 1
    assert checked >= 25


def test_the_document_states_each_operations_role(app: Flask) -> None:
    headers = {"Authorization": f"Bearer {make_user(app, 'doc-reader', Role.VIEWER)}"}
    paths = app.test_client().get("/api/openapi.json", headers=headers).json["paths"]
    assert paths["/api/users"]["post"]["x-required-role"] == "admin"
    assert paths["/api/audit"]["get"]["x-required-role"] == "operator"
    assert paths["/api/tasks/{task_id}/run"]["post"]["x-required-role"] == "operator"
    assert paths["/api/tasks"]["get"]["x-required-role"] == "viewer"


def test_a_viewer_session_is_refused_changes_with_the_one_error_shape(app: Flask) -> None:
    make_user(app, "watcher", Role.VIEWER)
    viewer = login(app, "watcher")
    response = viewer.post("/api/endpoints", json={"name": "x", "host": "h", "port": 1})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert "viewer" in response.json["error"]["message"]
    assert viewer.get("/api/endpoints").status_code == 200
    assert viewer.get("/api/users").status_code == 403
    assert viewer.get("/api/audit").status_code == 403
    assert viewer.get("/api/auth/me").json["user"]["role"] == "viewer"
