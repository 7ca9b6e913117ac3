"""The audit log: rows for a scripted sequence of changes and for a breaker trip, GET /api/audit
filters and paging, and the table refusing UPDATE and DELETE."""

from __future__ import annotations

import pytest
import sqlalchemy.exc
from flask import Flask
from sqlalchemy import text, update
from sqlalchemy.engine import Engine

from app import create_app
from app.config import Settings
from app.db import utcnow
from app.models import Account, AccountRun, Role, enums
from app.models.enums import RunStatus, TaskStatus, Trigger
from app.services import auth as auth_service
from app.services import runs
from tests.api.user_builders import login, make_user
from tests.conftest import ADMIN_PASSWORD, ADMIN_USERNAME, ApiClient
from tests.support.factories import add_run, make_account, make_endpoint, make_task, set_task

SECRET = "Aud1t-never-stored-7QX"


def _audit(api: ApiClient, query: str = "") -> list[dict[str, object]]:
    response = api.get(f"/api/audit{query}")
    assert response.status_code == 200, response.json
    rows: list[dict[str, object]] = response.json
    return rows


def test_a_scripted_sequence_is_recorded_newest_first(api: ApiClient, app: Flask) -> None:
    endpoint = make_endpoint(api)
    task = make_task(api, src_endpoint_id=endpoint["id"])
    account = make_account(api, task["id"], src_password=SECRET)
    assert api.patch(f"/api/accounts/{account['id']}", json={"dst_password": SECRET}).status_code == 200
    with app.extensions["imapcopier"].sessions.begin() as session:
        session.execute(
            update(Account).values(test_src_status=enums.TestStatus.OK, test_dst_status=enums.TestStatus.OK)
        )
    assert api.put(f"/api/tasks/{task['id']}/schedule", json={"interval_seconds": 3600}).status_code == 204
    assert api.put(f"/api/tasks/{task['id']}/schedule", json={"interval_seconds": 0}).status_code == 204
    assert api.delete(f"/api/accounts/{account['id']}").status_code == 204
    assert api.delete(f"/api/tasks/{task['id']}").status_code == 204
    rows = _audit(api)
    assert [row["action"] for row in rows][:8] == [
        "delete_task",
        "delete_account",
        "set_schedule",
        "set_schedule",
        "update_account",
        "create_account",
        "create_task",
        "create_endpoint",
    ]
    assert rows[-1]["action"] == "login"
    assert {row["actor"] for row in rows} == {"admin"}
    assert {row["address"] for row in rows} == {"127.0.0.1"}
    off, on = rows[2], rows[3]
    assert on["before"]["schedule_interval_seconds"] == 0 and on["after"]["schedule_interval_seconds"] == 3600
    assert off["after"]["schedule_interval_seconds"] == 0 and off["task_id"] == task["id"]
    created = rows[5]
    assert (created["target_type"], created["target_id"], created["task_id"]) == (
        "account",
        account["id"],
        task["id"],
    )
    assert created["before"] is None and created["after"]["src_password_set"] is True
    deleted = rows[0]
    assert deleted["before"]["name"] == task["name"] and deleted["after"] is None
    assert SECRET not in str(rows)
    with app.extensions["imapcopier"].engine.connect() as conn:
        stored = conn.scalar(text("SELECT string_agg(before::text || after::text, ' ') FROM audit_log"))
    assert SECRET not in (stored or "")
    # Filters and paging.
    assert {row["action"] for row in _audit(api, f"?task_id={task['id']}")} >= {"set_schedule", "delete_task"}
    assert [row["action"] for row in _audit(api, "?action=set_schedule")] == ["set_schedule"] * 2
    assert _audit(api, "?user=nobody") == []
    first = api.get("/api/audit?limit=3")
    second = api.get(f"/api/audit?limit=3&cursor={first.headers['X-Next-Cursor']}")
    assert [r["id"] for r in first.json + second.json] == [r["id"] for r in rows[:6]]


def test_the_actor_is_the_user_who_acted(api: ApiClient, app: Flask) -> None:
    make_user(app, "opal", Role.OPERATOR)
    opal = login(app, "opal")
    endpoint = opal.post("/api/endpoints", json={"name": "s", "host": "h.example", "port": 993}).json
    row = _audit(api, "?action=create_endpoint")[0]
    assert (row["actor"], row["target_type"], row["target_id"]) == ("opal", "endpoint", endpoint["id"])
    assert [r["actor"] for r in _audit(api, "?user=opal")] == ["opal", "opal"]  # create, login


def test_a_breaker_trip_is_recorded_as_the_scheduler(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    set_task(app, task["id"], schedule_interval_seconds=3600, status=TaskStatus.RUNNING)
    run_id = add_run(app, task["id"], trigger=Trigger.SCHEDULED, status=RunStatus.RUNNING)
    with app.extensions["imapcopier"].sessions.begin() as session:
        session.add(AccountRun(run_id=run_id, account_id=account["id"], status="partial", errors=2))
        session.flush()
        outcome = runs.finalize_run(session, run_id, utcnow())
    assert outcome is not None and outcome.broke
    row = _audit(api, f"?task_id={task['id']}&user=scheduler")[0]
    assert row["action"] == "task_broken" and row["target_id"] == task["id"]
    assert row["before"] == {"broken": False, "schedule_interval_seconds": 3600}
    assert row["after"] == {"broken": True, "schedule_interval_seconds": 0}


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"]
)
def test_the_audit_table_refuses_update_and_delete(api: ApiClient, clean_db: Engine, statement: str) -> None:
    make_endpoint(api)
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"), clean_db.begin() as conn:
        conn.execute(text(statement))
    with clean_db.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM audit_log WHERE actor = 'admin'")) == 2


def test_viewers_cannot_read_the_audit_log(app: Flask) -> None:
    make_user(app, "vic", Role.VIEWER)
    assert login(app, "vic").get("/api/audit").status_code == 403


def test_a_change_is_not_kept_without_its_audit_row(
    api: ApiClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("audit storage down")

    monkeypatch.setattr("app.api.audit_trail.audit.record", broken)
    response = api.post("/api/endpoints", json={"name": "unrecorded", "host": "h.example", "port": 993})
    assert response.status_code == 500
    monkeypatch.undo()
    assert api.get("/api/endpoints").json == []


@pytest.mark.parametrize("trusted", [0, 1])
def test_the_address_is_the_clients_behind_a_trusted_proxy_and_cannot_be_spoofed_otherwise(
    settings: Settings, clean_db: Engine, trusted: int
) -> None:
    flask_app = create_app(settings.model_copy(update={"trusted_proxies": trusted}))
    resources = flask_app.extensions["imapcopier"]
    with resources.sessions.begin() as session:
        auth_service.set_admin(session, ADMIN_USERNAME, ADMIN_PASSWORD)
    client = flask_app.test_client()
    # What a client sends itself, then what the proxy in front of the app appends.
    forwarded = {"X-Forwarded-For": "198.51.100.66, 203.0.113.7"}
    body = {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
    assert client.post("/api/auth/login", json=body, headers=forwarded).status_code == 200
    rows = client.get("/api/audit").json
    resources.engine.dispose()
    assert [row["address"] for row in rows if row["action"] == "login"] == [
        "203.0.113.7" if trusted else "127.0.0.1"
    ]
