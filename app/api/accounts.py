"""Accounts of a task: list, add, import a CSV, change, delete. Passwords are write-only."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from app.api.spec import operation, serialize
from app.errors import BadRequest
from app.extensions import db, resources
from app.schemas.accounts import (
    AccountIn,
    AccountListQuery,
    AccountOut,
    AccountPatch,
    AccountRow,
    ImportOut,
    ImportQuery,
)
from app.services import account_list
from app.services import accounts as service

bp = Blueprint("accounts", __name__)
CSV_TYPES = frozenset({"text/csv", "text/plain"})


@operation(bp, "/tasks/<int:task_id>/accounts", "GET", query=AccountListQuery, response=list[AccountRow])
def list_accounts(task_id: int, query: AccountListQuery) -> Response:
    """The accounts of a task, by id, filtered; with `limit`, one page (X-Total-Count, X-Next-Cursor)."""
    page = account_list.list_page(db(), task_id, query)
    rows = [AccountRow(**AccountOut.of(a).model_dump(), last_outcome=outcome) for a, outcome in page.rows]
    answer = jsonify(serialize(list[AccountRow], rows))
    if page.total is not None:
        answer.headers["X-Total-Count"] = str(page.total)
    if page.next_cursor is not None:
        answer.headers["X-Next-Cursor"] = page.next_cursor
    return answer


@operation(
    bp,
    "/tasks/<int:task_id>/accounts",
    "POST",
    body=AccountIn,
    response=AccountOut,
    status=201,
    errors=(409,),
)
def create_account(task_id: int, body: AccountIn) -> AccountOut:
    """Add an account (409 when its source user is already in the task)."""
    account = service.create_account(db(), resources().box, task_id, body)
    db().commit()
    return AccountOut.of(account)


@operation(
    bp,
    "/tasks/<int:task_id>/accounts/import",
    "POST",
    query=ImportQuery,
    response=ImportOut,
    status=201,
    content_type="text/csv",
    errors=(409, 413),
)
def import_accounts(task_id: int, query: ImportQuery) -> ImportOut:
    """Import `src_user,src_password,dst_user,dst_password` lines (CSV, optional header): all or none;
    `mode=upsert` updates the accounts whose source user is already in the task."""
    if request.mimetype not in CSV_TYPES:
        raise BadRequest("expected a text/csv body", {"body": "Content-Type must be text/csv"})
    try:
        text = request.get_data().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest("the CSV is not UTF-8 text", {"body": "not UTF-8"}) from exc
    created, updated = service.import_csv(db(), resources().box, task_id, text, upsert=query.mode == "upsert")
    db().commit()
    return ImportOut(
        imported=len(created) + len(updated),
        created=len(created),
        updated=len(updated),
        accounts=[AccountOut.of(account) for account in [*created, *updated]],
    )


@operation(bp, "/accounts/<int:account_id>", "PATCH", body=AccountPatch, response=AccountOut, errors=(409,))
def update_account(account_id: int, body: AccountPatch) -> AccountOut:
    """Change an account's logins; a changed side goes back to untested. 409 while the task runs."""
    account = service.update_account(db(), resources().box, account_id, body)
    db().commit()
    return AccountOut.of(account)


@operation(bp, "/accounts/<int:account_id>", "DELETE", status=204, errors=(409,))
def delete_account(account_id: int) -> None:
    """Delete an account with its results and sync state; 409 while the task runs."""
    service.delete_account(db(), account_id)
    db().commit()
