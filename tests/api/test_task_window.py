"""A task's schedule window and extra recipients through PATCH /api/tasks/{id}."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask

from app.models import Task
from tests.conftest import ApiClient
from tests.support.factories import make_task, session_of, set_task

NIGHT = {"start": "22:00", "end": "06:00", "tz": "Europe/Berlin"}


def test_window_moves_next_run_and_keeps_broken(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    anchor = datetime(2026, 1, 10, 11, 0, tzinfo=UTC)  # due 12:00 UTC = 13:00 in Berlin, outside
    set_task(app, task["id"], schedule_interval_seconds=3600, schedule_anchor=anchor)
    response = api.patch(
        f"/api/tasks/{task['id']}", json={"schedule_window": NIGHT, "notify_emails": ["a@x.test"]}
    )
    assert response.status_code == 200, response.json
    assert response.json["schedule_window"] == NIGHT and response.json["notify_emails"] == ["a@x.test"]
    assert response.json["next_run_at"] == "2026-01-10T21:00:00Z"  # 22:00 in Berlin
    with session_of(app) as session:
        row = session.get(Task, task["id"])
        assert row is not None
        assert row.next_due_at == datetime(2026, 1, 10, 21, 0, tzinfo=UTC)
        assert row.due_window_closes_at == datetime(2026, 1, 11, 5, 0, tzinfo=UTC)
    set_task(app, task["id"], broken=True)
    assert api.patch(f"/api/tasks/{task['id']}", json={"schedule_window": None}).status_code == 200
    after = api.get(f"/api/tasks/{task['id']}").json["task"]
    assert after["broken"] is True and after["schedule_window"] is None and after["next_run_at"] is None


@pytest.mark.parametrize(
    ("window", "field"),
    [
        ({"start": "24:00", "end": "06:00", "tz": "UTC"}, "schedule_window.start"),
        ({"start": "22:00", "end": "6:00", "tz": "UTC"}, "schedule_window.end"),
        ({"start": "22:00", "end": "06:00", "tz": "Mars/Olympus"}, "schedule_window.tz"),
        ({"start": "22:00", "end": "06:00"}, "schedule_window.tz"),
    ],
)
def test_window_is_validated(api: ApiClient, window: dict[str, str], field: str) -> None:
    task = make_task(api)
    response = api.patch(f"/api/tasks/{task['id']}", json={"schedule_window": window})
    assert response.status_code == 422 and field in response.json["error"]["fields"]


def test_bad_recipient_is_refused(api: ApiClient) -> None:
    task = make_task(api)
    response = api.patch(f"/api/tasks/{task['id']}", json={"notify_emails": ["not an address"]})
    assert response.status_code == 422 and "notify_emails.0" in response.json["error"]["fields"]
