"""Small builders for API tests: create rows through the API (or the DB where no route exists)."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.models import Run, Task
from app.models.enums import RunStatus, TaskStatus, Trigger
from tests.conftest import ApiClient

_seq = itertools.count(1)


def make_endpoint(api: ApiClient, **overrides: Any) -> dict[str, Any]:
    body = {"name": f"server {next(_seq)}", "host": "127.0.0.1", "port": 1, "tls_mode": "plain"}
    body.update(overrides)
    response = api.post("/api/endpoints", json=body)
    assert response.status_code == 201, response.json
    result: dict[str, Any] = response.json
    return result


def make_task(api: ApiClient, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": f"migration {next(_seq)}"}
    body.update(overrides)
    body.setdefault("src_endpoint_id", make_endpoint(api)["id"])
    body.setdefault("dst_endpoint_id", make_endpoint(api)["id"])
    response = api.post("/api/tasks", json=body)
    assert response.status_code == 201, response.json
    result: dict[str, Any] = response.json
    return result


def make_account(api: ApiClient, task_id: int, **overrides: Any) -> dict[str, Any]:
    n = next(_seq)
    body = {
        "src_username": f"user{n}@old.example",
        "src_password": f"src-pw-{n}",
        "dst_username": f"user{n}@new.example",
        "dst_password": f"dst-pw-{n}",
    }
    body.update(overrides)
    response = api.post(f"/api/tasks/{task_id}/accounts", json=body)
    assert response.status_code == 201, response.json
    result: dict[str, Any] = response.json
    return result


def session_of(app: Flask) -> Session:
    """A session on the app's database (the caller commits)."""
    session: Session = app.extensions["imapcopier"].sessions()
    return session


def set_task(app: Flask, task_id: int, **values: Any) -> None:
    with app.extensions["imapcopier"].sessions.begin() as session:
        session.execute(update(Task).where(Task.id == task_id).values(**values))


def set_running(app: Flask, task_id: int) -> None:
    set_task(app, task_id, status=TaskStatus.RUNNING)


def add_run(
    app: Flask,
    task_id: int,
    *,
    started_at: datetime | None = None,
    finished_at: datetime | None = None,
    status: RunStatus = RunStatus.DONE,
    trigger: Trigger = Trigger.MANUAL,
    **totals: int,
) -> int:
    with app.extensions["imapcopier"].sessions.begin() as session:
        run = Run(
            task_id=task_id,
            trigger=trigger,
            status=status,
            started_at=started_at or utcnow(),
            finished_at=finished_at,
            **totals,
        )
        session.add(run)
        session.flush()
        return run.id
