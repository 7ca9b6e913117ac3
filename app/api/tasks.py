"""Tasks CRUD. Schedule, runs, tests and folder plans live in app/api/runs.py."""

from __future__ import annotations

from flask import Blueprint

from app.api.spec import operation
from app.extensions import db
from app.schemas.accounts import AccountOut
from app.schemas.tasks import TaskDetail, TaskIn, TaskOut, TaskPatch
from app.services import accounts as account_service
from app.services import tasks as service

bp = Blueprint("tasks", __name__)


def _out(task_id: int) -> TaskOut:
    return service.describe(db(), [service.get_task(db(), task_id)])[0]


@operation(bp, "/tasks", "GET", response=list[TaskOut])
def list_tasks() -> list[TaskOut]:
    """List tasks with their last run, next scheduled run and account count."""
    return service.list_tasks(db())


@operation(bp, "/tasks", "POST", body=TaskIn, response=TaskOut, status=201)
def create_task(body: TaskIn) -> TaskOut:
    """Create a task (schedule off; set it with PUT /api/tasks/{id}/schedule)."""
    task = service.create_task(db(), body)
    db().commit()
    return _out(task.id)


@operation(bp, "/tasks/<int:task_id>", "GET", response=TaskDetail)
def get_task(task_id: int) -> TaskDetail:
    """One task with its accounts."""
    accounts = account_service.list_accounts(db(), task_id)
    return TaskDetail(task=_out(task_id), accounts=[AccountOut.of(account) for account in accounts])


@operation(bp, "/tasks/<int:task_id>", "PATCH", body=TaskPatch, response=TaskOut, errors=(409,))
def update_task(task_id: int, body: TaskPatch) -> TaskOut:
    """Change a task's name, endpoints, folders, schedule window or recipients (not its interval); 409
    for a running task (except name, window and recipients)."""
    service.update_task(db(), task_id, body)
    db().commit()
    return _out(task_id)


@operation(bp, "/tasks/<int:task_id>", "DELETE", status=204, errors=(409,))
def delete_task(task_id: int) -> None:
    """Delete a task with its accounts, runs and sync state; 409 while it runs."""
    service.delete_task(db(), task_id)
    db().commit()
