"""Tasks CRUD: fields, last run / next run summary, validation, 404/409."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import event

from app.models import Account, Task
from app.models.enums import RunStatus, TaskStatus, Trigger
from tests.conftest import ApiClient
from tests.support.factories import (
    add_run,
    make_account,
    make_endpoint,
    make_task,
    session_of,
    set_running,
    set_task,
)

TASK_FIELDS = {
    "id", "name", "src_endpoint_id", "dst_endpoint_id", "status", "folder_mapping", "exclude_folders",
    "schedule_interval_seconds", "broken", "next_run_at", "last_run", "account_count", "created_at",
    "updated_at", "schedule_waiting_reason", "schedule_window", "notify_emails", "failing_count",
    "paused_count", "folder_include", "folder_exclude",
}  # fmt: skip
RUN_FIELDS = {
    "id", "trigger", "status", "started_at", "finished_at", "total_copied", "total_skipped", "total_errors",
    "total_bytes",
}  # fmt: skip


def test_create_and_get(api: ApiClient) -> None:
    src, dst = make_endpoint(api), make_endpoint(api)
    body = {
        "name": " Acme move ",
        "src_endpoint_id": src["id"],
        "dst_endpoint_id": dst["id"],
        "folder_mapping": {"Sent Items": "Sent", "Ordner/Ü": "Archiv"},
        "exclude_folders": ["Junk"],
    }
    response = api.post("/api/tasks", json=body)
    assert response.status_code == 201, response.json
    task = response.json
    assert set(task) == TASK_FIELDS
    assert task["name"] == "Acme move" and task["status"] == "idle"
    assert task["folder_mapping"] == body["folder_mapping"] and task["exclude_folders"] == ["Junk"]
    assert (task["schedule_interval_seconds"], task["broken"], task["next_run_at"]) == (0, False, None)
    assert (task["last_run"], task["account_count"]) == (None, 0)
    detail = api.get(f"/api/tasks/{task['id']}").json
    assert detail == {"task": task, "accounts": []}


def test_same_endpoint_on_both_sides_is_allowed(api: ApiClient) -> None:
    endpoint = make_endpoint(api)
    task = make_task(api, src_endpoint_id=endpoint["id"], dst_endpoint_id=endpoint["id"])
    assert task["src_endpoint_id"] == task["dst_endpoint_id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"src_endpoint_id": "1"}, "src_endpoint_id"),
        ({"src_endpoint_id": 999}, "src_endpoint_id"),
        ({"dst_endpoint_id": 999}, "dst_endpoint_id"),
        ({"dst_endpoint_id": 0}, "dst_endpoint_id"),
        ({"folder_mapping": ["a"]}, "folder_mapping"),
        ({"folder_mapping": {"a": 1}}, "folder_mapping.a"),
        ({"exclude_folders": "Junk"}, "exclude_folders"),
        ({"exclude_folders": [""]}, "exclude_folders.0"),
        ({"folder_mapping": {"a": "b\u0000"}}, "folder_mapping.a"),
        ({"schedule_interval_seconds": 3600}, "schedule_interval_seconds"),
        ({"status": "running"}, "status"),
    ],
)
def test_create_rejects_bad_fields(api: ApiClient, change: dict[str, object], field: str) -> None:
    endpoint_id = make_endpoint(api)["id"]
    body = {"name": "t", "src_endpoint_id": endpoint_id, "dst_endpoint_id": endpoint_id}
    response = api.post("/api/tasks", json={**body, **change})
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert api.get("/api/tasks").json == []


def test_list_carries_summary(api: ApiClient, app: Flask) -> None:
    first, second = make_task(api), make_task(api)
    make_account(api, first["id"])
    make_account(api, first["id"])
    t0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    add_run(app, first["id"], started_at=t0, finished_at=t0 + timedelta(minutes=5), total_copied=7)
    newest = add_run(
        app,
        first["id"],
        started_at=t0 + timedelta(hours=1),
        finished_at=t0 + timedelta(hours=1, minutes=2),
        status=RunStatus.FAILED,
        trigger=Trigger.SCHEDULED,
        total_copied=3,
        total_errors=2,
        total_bytes=10_000_000_000,
    )
    listed = {task["id"]: task for task in api.get("/api/tasks").json}
    assert list(listed) == [first["id"], second["id"]]
    assert set(listed[first["id"]]) == TASK_FIELDS
    assert listed[first["id"]]["account_count"] == 2 and listed[second["id"]]["account_count"] == 0
    last = listed[first["id"]]["last_run"]
    assert set(last) == RUN_FIELDS
    assert last["id"] == newest and last["status"] == "failed" and last["trigger"] == "scheduled"
    assert (last["total_copied"], last["total_errors"], last["total_bytes"]) == (3, 2, 10_000_000_000)
    assert last["started_at"] == "2026-03-01T13:00:00Z"
    assert listed[second["id"]]["last_run"] is None
    assert api.get(f"/api/tasks/{first['id']}").json["task"] == listed[first["id"]]


def test_list_uses_a_fixed_number_of_queries(api: ApiClient, app: Flask) -> None:
    def count_list_queries() -> int:
        statements: list[str] = []
        engine = app.extensions["imapcopier"].engine

        def record(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert api.get("/api/tasks").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    task = make_task(api)
    add_run(app, task["id"], finished_at=datetime.now(UTC))
    one = count_list_queries()
    for _ in range(4):
        more = make_task(api)
        make_account(api, more["id"])
        add_run(app, more["id"], finished_at=datetime.now(UTC))
    assert count_list_queries() == one


def test_next_run_at_follows_the_schedule(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    anchor = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    set_task(app, task["id"], schedule_interval_seconds=3600, schedule_anchor=anchor)
    assert api.get(f"/api/tasks/{task['id']}").json["task"]["next_run_at"] == "2026-03-01T13:00:00Z"
    # later runs count from the last *finished* run, even when a newer one is still open
    add_run(app, task["id"], started_at=anchor + timedelta(hours=1), finished_at=anchor + timedelta(hours=2))
    add_run(app, task["id"], started_at=anchor + timedelta(hours=3), status=RunStatus.RUNNING)
    assert api.get("/api/tasks").json[0]["next_run_at"] == "2026-03-01T15:00:00Z"
    set_running(app, task["id"])
    assert api.get("/api/tasks").json[0]["next_run_at"] is None
    set_task(app, task["id"], status=TaskStatus.IDLE, broken=True)
    assert api.get("/api/tasks").json[0]["next_run_at"] is None


def test_patch(api: ApiClient) -> None:
    task = make_task(api)
    endpoint = make_endpoint(api)
    body = {"name": "renamed", "dst_endpoint_id": endpoint["id"], "exclude_folders": ["Trash", "Junk"]}
    response = api.patch(f"/api/tasks/{task['id']}", json=body)
    assert response.status_code == 200, response.json
    assert {key: response.json[key] for key in body} == body
    assert response.json["src_endpoint_id"] == task["src_endpoint_id"]
    assert api.get(f"/api/tasks/{task['id']}").json["task"]["name"] == "renamed"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"schedule_interval_seconds": 3600}, 422, "schedule_interval_seconds"),
        ({"broken": False}, 422, "broken"),
        ({"next_run_at": None}, 422, "next_run_at"),
        ({"name": None}, 422, "name"),
        ({"src_endpoint_id": 999}, 422, "src_endpoint_id"),
        ({"folder_mapping": None}, 422, "folder_mapping"),
    ],
)
def test_patch_rejects(api: ApiClient, body: dict[str, object], status: int, field: str) -> None:
    task = make_task(api)
    response = api.patch(f"/api/tasks/{task['id']}", json=body)
    assert response.status_code == status
    assert field in response.json["error"]["fields"]
    assert api.get(f"/api/tasks/{task['id']}").json["task"] == task


def test_changing_an_endpoint_resets_that_side_of_the_login_tests(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    with session_of(app) as session:
        row = session.get(Account, account["id"])
        assert row is not None
        row.test_src_status = row.test_dst_status = "ok"
        session.commit()
    api.patch(f"/api/tasks/{task['id']}", json={"src_endpoint_id": make_endpoint(api)["id"]})
    listed = api.get(f"/api/tasks/{task['id']}/accounts").json[0]
    assert (listed["test_src_status"], listed["test_dst_status"]) == ("untested", "ok")


def test_running_task_refuses_changes_and_delete(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    set_running(app, task["id"])
    assert api.patch(f"/api/tasks/{task['id']}", json={"exclude_folders": ["x"]}).status_code == 409
    assert api.patch(f"/api/tasks/{task['id']}", json={"name": "still fine"}).status_code == 200
    response = api.delete(f"/api/tasks/{task['id']}")
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"
    assert api.get(f"/api/tasks/{task['id']}").status_code == 200


def test_delete_cascades(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    make_account(api, task["id"])
    add_run(app, task["id"], finished_at=datetime.now(UTC))
    assert api.delete(f"/api/tasks/{task['id']}").status_code == 204
    assert api.get(f"/api/tasks/{task['id']}").status_code == 404
    with session_of(app) as session:
        assert session.query(Task).count() == 0 and session.query(Account).count() == 0


@pytest.mark.parametrize("task_id", [999, 2**31, 10**20])
def test_unknown_ids_are_404(api: ApiClient, task_id: int) -> None:
    assert api.get(f"/api/tasks/{task_id}").status_code == 404
    assert api.patch(f"/api/tasks/{task_id}", json={"name": "x"}).status_code == 404
    assert api.delete(f"/api/tasks/{task_id}").status_code == 404
    assert api.get(f"/api/tasks/{task_id}/accounts").status_code == 404
    assert (
        api.post(f"/api/tasks/{task_id}/accounts/import", data="a,b,c,d", content_type="text/csv").status_code
        == 404
    )


def test_a_scheduled_task_that_cannot_start_says_why(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    set_task(app, task["id"], schedule_interval_seconds=3600, schedule_anchor=datetime.now(UTC))
    detail = api.get(f"/api/tasks/{task['id']}").json["task"]
    assert detail["schedule_waiting_reason"] == "scheduled runs wait: the task has no accounts"
    accounts = [make_account(api, task["id"]) for _ in range(2)]
    with session_of(app) as session:
        row = session.get(Account, accounts[0]["id"])
        assert row is not None
        row.test_src_status = row.test_dst_status = "ok"
        session.commit()
    [listed] = [t for t in api.get("/api/tasks").json if t["id"] == task["id"]]
    assert listed["schedule_waiting_reason"] == (
        "scheduled runs wait: 1 of 2 enabled accounts are not tested OK on both sides"
    )
    with session_of(app) as session:
        row = session.get(Account, accounts[1]["id"])
        assert row is not None
        row.test_src_status = row.test_dst_status = "ok"
        session.commit()
    assert api.get(f"/api/tasks/{task['id']}").json["task"]["schedule_waiting_reason"] is None
    set_task(app, task["id"], schedule_interval_seconds=0)
    assert api.get("/api/tasks").json[0]["schedule_waiting_reason"] is None
