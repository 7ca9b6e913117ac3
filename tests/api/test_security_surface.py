"""The whole /api surface: login required, CSRF on state changes, stored passwords never echoed.

These tests walk app.url_map, so routes added later are covered without editing this file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from app.db import utcnow
from app.services import accounts
from app.services.runs.account_runs import Counters
from tests.conftest import ApiClient
from tests.support import factories
from tests.support.factories import make_account, make_endpoint, make_task, session_of

PUBLIC = {"auth.login"}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# ASCII only: the JSON encoder would escape anything else and hide it from a byte search.
SECRETS = (
    "Zq7-never-echo-src-9XK",
    "Wv3-never-echo-dst-4PL",
    "Csv8-never-echo-imp-2MR",
    "Pt5-patched-6QN",
    "Cs4-client-secret-never-echo-8TR",  # OAuth2: endpoint client secret, private key, refresh tokens
    "Pk2-private-key-never-echo-3HM",
    "Rt6-refresh-never-echo-5JD",
    "Rt9-refresh-patched-never-echo-1WQ",
)
SECOND = timedelta(seconds=1)
_ARG = re.compile(r"<(?:[^:>]+:)?(\w+)>")


def api_routes(app: Flask) -> Iterator[tuple[Rule, str]]:
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint in PUBLIC:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule, method


def url_for_rule(rule: Rule, ids: dict[str, int]) -> str:
    """Fill each path argument with the id of the resource named by the segment before it."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        before = rule.rule[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        return str(ids.get(name) or ids.get(before) or 1)

    return _ARG.sub(fill, rule.rule)


def test_the_surface_is_not_empty(app: Flask) -> None:
    rules = {rule.rule for rule, _ in api_routes(app)}
    assert {"/api/endpoints", "/api/tasks/<int:task_id>/accounts/import", "/api/auth/me"} <= rules


def test_every_api_route_requires_login(app: Flask, anon: FlaskClient) -> None:
    refused = []
    for rule, method in api_routes(app):
        response = anon.open(url_for_rule(rule, {}), method=method, json={})
        refused.append((method, rule.rule, response.status_code))
        assert response.status_code == 401, (method, rule.rule, response.status_code)
        assert response.json["error"]["code"] == "unauthorized"
    assert len(refused) >= 15


def test_every_state_change_requires_csrf(api: ApiClient) -> None:
    task = make_task(api)
    ids = {"task_id": task["id"], "tasks": task["id"]}
    checked = 0
    for rule, method in api_routes(api.client.application):
        if method not in STATE_CHANGING:
            continue
        response = api.client.open(url_for_rule(rule, ids), method=method, json={})
        assert response.status_code == 403, (method, rule.rule, response.status_code)
        checked += 1
    assert checked >= 10
    assert api.get(f"/api/tasks/{task['id']}").json["task"] == task  # nothing changed


@pytest.fixture
def seeded(
    api: ApiClient, app: Flask, caplog: pytest.LogCaptureFixture
) -> tuple[dict[str, int], list[bytes]]:
    """One of everything, with distinctive passwords; returns ids and the bodies of the writes."""
    caplog.set_level(logging.DEBUG)
    endpoint = make_endpoint(api)
    oauth = make_endpoint(
        api,
        auth_mode="oauth2",
        oauth2_grant="refresh_token",
        oauth2_token_url="https://idp.example/token",
        oauth2_authorize_url="https://idp.example/authorize",
        oauth2_client_id="app",
        oauth2_client_secret=SECRETS[4],
        oauth2_private_key=SECRETS[5],
    )
    task = make_task(api, src_endpoint_id=endpoint["id"], dst_endpoint_id=oauth["id"])
    account = make_account(
        api, task["id"], src_password=SECRETS[0], dst_password=SECRETS[1], dst_refresh_token=SECRETS[6]
    )
    bodies = [
        api.post(
            f"/api/tasks/{task['id']}/accounts/import",
            data=f"csv@old.example,{SECRETS[2]},csv@new.example,{SECRETS[2]}\n",
            content_type="text/csv",
        ).data,
        api.patch(f"/api/accounts/{account['id']}", json={"dst_password": SECRETS[3]}).data,
        api.patch(f"/api/accounts/{account['id']}", json={"dst_refresh_token": SECRETS[7]}).data,
        api.patch(f"/api/endpoints/{oauth['id']}", json={"oauth2_client_secret": SECRETS[4] + "x"}).data,
    ]
    with session_of(app) as session:
        factories.mark_tested(session, accounts.account_ids(session, task["id"]))
        run = factories.finished_run(
            session, task["id"], started=utcnow(), took=SECOND, counters=Counters(copied=1)
        )
        session.commit()
    run_id = run.run_id
    ids = {
        "endpoints": endpoint["id"],
        "tasks": task["id"],
        "accounts": account["id"],
        "runs": run_id,
        "endpoint_id": endpoint["id"],
        "task_id": task["id"],
        "account_id": account["id"],
        "run_id": run_id,
    }
    return ids, bodies


def test_passwords_never_appear_in_responses_or_logs(
    api: ApiClient, seeded: tuple[dict[str, int], list[bytes]], caplog: pytest.LogCaptureFixture
) -> None:
    ids, bodies = seeded
    resources = api.client.application.extensions["imapcopier"]
    # No worker runs here: GET /plan answers 504 at once instead of waiting for one.
    resources.settings = resources.settings.model_copy(update={"plan_timeout_seconds": 0.2})
    for rule, method in api_routes(api.client.application):
        if method != "GET" or rule.websocket:
            continue
        response = api.get(url_for_rule(rule, ids))
        assert response.status_code != 500, (rule.rule, response.status_code)
        bodies.append(response.data)
    everything = b"\n".join(bodies)
    assert b"csv@old.example" in everything  # the account data was really served
    logs = "\n".join(
        f"{record.getMessage()} {record.args}"
        for phase in ("setup", "call")
        for record in caplog.get_records(phase)
    )
    assert "account.created" in logs and "account.imported" in logs  # the logs were really captured
    for secret in SECRETS:
        assert secret.encode() not in everything
        assert secret not in logs
