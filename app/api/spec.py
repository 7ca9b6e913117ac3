"""One decorator per API operation: parse + validate the request, serialize the response, and record
the operation for the OpenAPI document. Views stay thin: parse -> service -> commit -> serialize."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.errors import BadRequest, Invalid, NotFound
from app.models.enums import Role
from app.schemas.fields import MAX_ID


@dataclass(frozen=True)
class Operation:
    rule: str
    method: str
    name: str
    summary: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    public: bool
    tag: str
    content_type: str = "application/json"
    errors: tuple[int, ...] = field(default=())
    role: Role = Role.VIEWER
    body_optional: bool = False


OPERATIONS: list[Operation] = []
PUBLIC_ENDPOINTS: set[str] = set()
# The least role each operation needs (docs/security.md); the login guard enforces it.
ROLES: dict[str, Role] = {}


# Blueprint-relative prefixes of admin-only areas (users, installation settings).
ADMIN_AREAS = ("/users", "/settings/")


def default_role(rule: str, method: str) -> Role:
    """Admin areas need an admin; elsewhere reading needs a viewer and changing an operator."""
    if rule.startswith(ADMIN_AREAS):
        return Role.ADMIN
    return Role.VIEWER if method == "GET" else Role.OPERATOR


def validation_error(exc: ValidationError) -> Invalid:
    """Turn pydantic's error list into our 422 with one message per field."""
    fields: dict[str, str] = {}
    for err in exc.errors():
        name = ".".join(str(part) for part in err["loc"]) or "body"
        fields.setdefault(name, err["msg"].removeprefix("Value error, "))
    first = next(iter(fields.items()))
    return Invalid(f"invalid {first[0]}: {first[1]}", fields)


def parse(model: type[BaseModel], data: Any) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from exc


def _json_body() -> Any:
    if not request.is_json:
        raise BadRequest("expected a JSON body (Content-Type: application/json)", {"body": "not JSON"})
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest("the request body is not valid JSON", {"body": "malformed JSON"})
    return data


def serialize(response: Any, result: Any) -> Any:
    if response is None:
        return result
    return TypeAdapter(response).dump_python(result, mode="json")


def operation(
    bp: Blueprint,
    rule: str,
    method: str = "GET",
    *,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: Any = None,
    status: int = 200,
    public: bool = False,
    content_type: str = "application/json",
    errors: tuple[int, ...] = (),
    role: Role | None = None,
    body_optional: bool = False,
    read_only: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn` as `method rule` on `bp`. `fn` gets path args, plus `body`/`query` when declared
    (`body` is None for an empty request when `body_optional`). `role` is the least role allowed to
    call it (default: default_role); every successful call of a method other than GET writes an
    audit row (app/api/audit_trail.py), except a `read_only` one: a POST that only computes an
    answer from its body (a preview) and changes nothing."""
    from app.api import audit_trail

    needed = role or default_role(rule, method)

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def view(**path: Any) -> Any:
            if any(isinstance(value, int) and value > MAX_ID for value in path.values()):
                raise NotFound("not found")  # no row has it, and the driver would overflow on it
            kwargs = dict(path)
            if body is not None and body_optional and not request.get_data():
                kwargs["body"] = None
            elif body is not None:
                kwargs["body"] = parse(body, _json_body())
            if query is not None:
                kwargs["query"] = parse(query, request.args.to_dict())
            change = audit_trail.before(fn.__name__, path) if method != "GET" and not read_only else None
            with audit_trail.recording(change):
                result = fn(**kwargs)
            if change is not None:
                audit_trail.after(change, result)
            if isinstance(result, Response):
                return result
            if status == 204:
                return Response(status=204)
            return jsonify(serialize(response, result)), status

        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=[method])
        name = f"{bp.name}.{fn.__name__}"
        if public:
            PUBLIC_ENDPOINTS.add(name)
        ROLES[name] = needed
        summary = (fn.__doc__ or fn.__name__).strip().splitlines()[0]
        OPERATIONS.append(
            Operation(
                rule,
                method,
                name,
                summary,
                body,
                query,
                response,
                status,
                public,
                bp.name,
                content_type,
                errors,
                needed,
                body_optional,
            )
        )
        return view

    return decorate
