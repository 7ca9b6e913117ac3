"""Builds the OpenAPI 3.1 document from the operations recorded by `spec.operation`."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, has_app_context
from pydantic import BaseModel, TypeAdapter

from app.api.spec import OPERATIONS, Operation
from app.schemas.events import TaskEvent
from app.schemas.fields import MAX_ID
from app.schemas.notifications import WebhookPayload

REF = "#/components/schemas/{model}"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}


def _schema(tp: Any, components: dict[str, Any], mode: str) -> dict[str, Any]:
    schema = TypeAdapter(tp).json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
    components.update(schema.pop("$defs", {}))
    if mode == "serialization" and isinstance(tp, type) and issubclass(tp, BaseModel):
        # A response model is a named component too, so the UI's generated client names its type.
        if components.setdefault(tp.__name__, schema) != schema:
            raise ValueError(f"two different response models are named {tp.__name__}")
        return {"$ref": REF.format(model=tp.__name__)}
    return schema


def _parameters(op: Operation, path: str, components: dict[str, Any]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        }
        for name in re.findall(r"{(\w+)}", path)
    ]
    if op.query is not None:
        schema = _schema(op.query, components, "validation")
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    return params


def _operation(op: Operation, path: str, components: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "operationId": op.name.replace(".", "_"),
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": _parameters(op, path, components),
        "responses": {},
    }
    if op.public:
        doc["security"] = []
    else:
        doc["x-required-role"] = str(op.role)  # the least role allowed (docs/security.md)
    if op.body is not None:
        doc["requestBody"] = {
            "required": not op.body_optional,
            "content": {"application/json": {"schema": _schema(op.body, components, "validation")}},
        }
    elif op.content_type != "application/json":
        doc["requestBody"] = {"required": True, "content": {op.content_type: {"schema": {"type": "string"}}}}
    if op.status == 204:
        doc["responses"]["204"] = {"description": "No content"}
    else:
        content = {"schema": _schema(op.response, components, "serialization")} if op.response else {}
        doc["responses"][str(op.status)] = {
            "description": "OK",
            "content": {"application/json": content} if content else {"application/json": {}},
        }
    for status in sorted({400, 401, 403, 404, 422, *op.errors} - ({401, 403} if op.public else set())):
        doc["responses"][str(status)] = {
            "description": "Error",
            "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
        }
    return doc


def build_document(prefixes: dict[str, str]) -> dict[str, Any]:
    """prefixes: blueprint name -> URL prefix, used only outside an app context.

    Inside one, each operation's path is its rule as registered in the app's URL map: a prefix given
    to `register_blueprint(url_prefix=...)` never shows on `Blueprint.url_prefix`, so reading it
    there documented "/tasks" for "/api/tasks".
    """
    registered = {r.endpoint: r.rule for r in current_app.url_map.iter_rules()} if has_app_context() else {}
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        rule = registered.get(op.name) or prefixes.get(op.tag, "") + op.rule
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op, path, components)
    # The websocket's messages (/api/ws): no path describes them, so they are published as components.
    components["TaskEvent"] = _schema(TaskEvent, components, "serialization")
    # What this product POSTs to a configured webhook (OpenAPI 3.1 `webhooks`).
    payload = _schema(WebhookPayload, components, "serialization")
    webhooks = {
        "notification": {
            "post": {
                "summary": "A notification (task_broken, run_failed, digest, test), signed in "
                "X-ImapCopier-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, '<t>.<body>')>",
                "requestBody": {"required": True, "content": {"application/json": {"schema": payload}}},
                "responses": {"200": {"description": "Any 2xx acknowledges; anything else is retried"}},
            }
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "IMAP Copier API", "version": "1.0.0"},
        "paths": paths,
        "webhooks": webhooks,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "imapcopier_session"},
                "token": {"type": "http", "scheme": "bearer"},
            },
        },
        "security": [{"session": []}, {"token": []}],
    }
