"""/api/openapi.json describes exactly the registered /api routes and is a valid OpenAPI 3.1 document."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from tests.conftest import ApiClient

# Not operations of the JSON API: the document itself, and the websocket (an upgrade, not a request).
UNDOCUMENTED = {"/api/openapi.json"}


def registered(app: Flask) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule in UNDOCUMENTED or rule.websocket:
            continue
        path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
        routes |= {(path, method.lower()) for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    return routes


def test_document_matches_the_routes(api: ApiClient) -> None:
    document = api.get("/api/openapi.json").json
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented == registered(api.client.application)
    assert ("/api/tasks/{task_id}/accounts/import", "post") in documented


def test_document_is_valid_openapi_3_1(api: ApiClient) -> None:
    document = api.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_validator_rejects_a_broken_document(api: ApiClient) -> None:
    document = api.get("/api/openapi.json").json
    document["paths"]["/api/endpoints"]["get"]["responses"] = "nope"
    try:
        validate(document)
    except OpenAPIValidationError:
        return
    raise AssertionError("a broken document passed validation")


def _body_schema(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    schema: dict[str, Any] = document["paths"][path][method]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    return schema


def test_schemas_carry_the_contract_fields(api: ApiClient) -> None:
    document = api.get("/api/openapi.json").json
    account_out = document["components"]["schemas"]["AccountOut"]["properties"]
    assert "src_password_set" in account_out and "src_password" not in account_out
    task_patch = _body_schema(document, "/api/tasks/{task_id}", "patch")
    assert set(task_patch["properties"]) == {
        "name", "src_endpoint_id", "dst_endpoint_id", "folder_mapping", "exclude_folders", "schedule_window",
        "notify_emails", "folder_include", "folder_exclude",
    }  # fmt: skip
    assert _body_schema(document, "/api/endpoints", "post")["additionalProperties"] is False
    create = document["paths"]["/api/tasks/{task_id}/accounts/import"]["post"]
    assert "text/csv" in create["requestBody"]["content"]
    assert "409" in document["paths"]["/api/endpoints/{endpoint_id}"]["delete"]["responses"]
