"""Audit rows for every state change made through the API, written by `spec.operation` around each
successful call of a method other than GET, in the transaction that commits the change: the actor,
their address, the action (the operation's name), the target, and its state before and after as the
API shows it (so secrets are already write-only), masked again by app/services/audit.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import g, request
from pydantic import BaseModel
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.extensions import db
from app.models import Account, ApiToken, Endpoint, Run, Task, User
from app.schemas.accounts import AccountOut
from app.schemas.endpoints import EndpointOut
from app.schemas.runs import RunOut
from app.schemas.tasks import TaskOut
from app.schemas.users import TokenOut, UserDetail, UserOut
from app.services import audit
from app.services import tasks as task_service

# Operations whose target is the acting user (they have no id in the path).
SELF_TARGETED = frozenset({"login", "logout", "change_password"})


def _task(session: Session, task_id: int) -> BaseModel | None:
    try:
        return task_service.describe(session, [task_service.get_task(session, task_id)])[0]
    except NotFound:
        return None


def _row(model: type[Any], out: Callable[[Any], BaseModel]) -> Callable[[Session, int], BaseModel | None]:
    def load(session: Session, row_id: int) -> BaseModel | None:
        row = session.get(model, row_id)
        return None if row is None else out(row)

    return load


SNAPSHOTS: dict[str, Callable[[Session, int], BaseModel | None]] = {
    "task": _task,
    "account": _row(Account, AccountOut.of),
    "endpoint": _row(Endpoint, EndpointOut.model_validate),
    "run": _row(Run, RunOut.model_validate),
    "user": _row(User, UserOut.model_validate),
    "token": _row(ApiToken, TokenOut.model_validate),
}
CREATED: dict[type[BaseModel], str] = {
    TaskOut: "task",
    AccountOut: "account",
    EndpointOut: "endpoint",
    UserDetail: "user",
}


# A view that adds one row of these types created that row: it becomes the audit row's target.
CREATED_ROWS: dict[type[Any], str] = {
    Task: "task",
    Account: "account",
    Endpoint: "endpoint",
    User: "user",
    ApiToken: "token",
}


@dataclass
class Change:
    action: str
    path: dict[str, Any]
    target_type: str | None
    target_id: int | None
    before: dict[str, Any] | None
    recorded: bool = False


def _snapshot(target_type: str | None, target_id: int | None) -> dict[str, Any] | None:
    loader = SNAPSHOTS.get(target_type or "")
    if loader is None or target_id is None:
        return None
    found = loader(db(), target_id)
    return None if found is None else found.model_dump(mode="json")


def before(action: str, path: dict[str, Any]) -> Change:
    """The target named by the last id in the path (`/tasks/<task_id>/accounts` -> the task), and its
    state before the change."""
    target_type, target_id = None, None
    for name, value in path.items():
        if name.endswith("_id") and isinstance(value, int):
            target_type, target_id = name.removesuffix("_id"), value
    return Change(action, path, target_type, target_id, _snapshot(target_type, target_id))


@contextmanager
def recording(change: Change | None) -> Iterator[None]:
    """While the view runs, its first commit also writes the audit row, in the same transaction:
    the change and its record are committed together or not at all."""
    if change is None:
        yield
        return
    session = db()
    created: list[Any] = []

    def on_insert(_session: Session, row: Any) -> None:
        if type(row) in CREATED_ROWS:
            created.append(row)

    def on_commit(committing: Session) -> None:
        if change.recorded:
            return
        change.recorded = True
        committing.flush()
        target = None
        if len(created) == 1 and CREATED_ROWS[type(created[0])] != change.target_type:
            target = (CREATED_ROWS[type(created[0])], created[0].id)
        _write(change, target)

    event.listen(session, "pending_to_persistent", on_insert)
    event.listen(session, "before_commit", on_commit)
    try:
        yield
    finally:
        event.remove(session, "before_commit", on_commit)
        event.remove(session, "pending_to_persistent", on_insert)


def after(change: Change, result: Any) -> None:
    """For a view that changed nothing in the database itself (login, a token's logout), write the
    audit row now, in a transaction of its own."""
    if change.recorded:
        return
    target = None
    if (
        isinstance(result, BaseModel)
        and type(result) in CREATED
        and CREATED[type(result)] != change.target_type
    ):
        target = (CREATED[type(result)], getattr(result, "id", None))
    _write(change, target)
    db().commit()


def _write(change: Change, created: tuple[str, int | None] | None) -> None:
    user: User | None = g.get("user")
    actor = (user.username, user.id) if user is not None else ("anonymous", None)
    target_type, target_id, before_state = change.target_type, change.target_id, change.before
    if created is not None:  # a new row: nothing before it
        target_type, target_id, before_state = created[0], created[1], None
    if target_type is None and change.action in SELF_TARGETED:
        target_type, target_id = "user", actor[1]
    db().expire_all()  # bulk UPDATEs in the service are not in the identity map
    after_state = _snapshot(target_type, target_id)
    task_id = change.path.get("task_id")
    if task_id is None and target_type == "task":
        task_id = target_id
    if task_id is None:
        task_id = next((s.get("task_id") for s in (after_state, before_state) if s and "task_id" in s), None)
    audit.record(
        db(),
        actor=actor[0],
        actor_id=actor[1],
        address=request.remote_addr,
        action=change.action,
        target_type=target_type,
        target_id=target_id,
        task_id=task_id,
        before=before_state,
        after=after_state,
    )
