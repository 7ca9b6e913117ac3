"""GET /api/audit: the audit log, newest first, filtered and paged (X-Next-Cursor)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from app.api.spec import operation
from app.extensions import db
from app.models import Role
from app.schemas.audit import AuditOut, AuditQuery
from app.services import audit as service

bp = Blueprint("audit", __name__)
NEXT_CURSOR_HEADER = "X-Next-Cursor"


@operation(bp, "/audit", "GET", query=AuditQuery, response=list[AuditOut], role=Role.OPERATOR)
def list_audit(query: AuditQuery) -> Response:
    """Who changed what, newest first; filter by task_id, user, action; page with limit and cursor."""
    rows = service.list_entries(
        db(),
        limit=query.limit,
        task_id=query.task_id,
        actor=query.user,
        action=query.action,
        before_id=query.cursor,
    )
    response = jsonify([AuditOut.model_validate(row).model_dump(mode="json") for row in rows])
    if len(rows) == query.limit:
        response.headers[NEXT_CURSOR_HEADER] = str(rows[-1].id)
    return response
