"""The API fuzzed from its own OpenAPI document (schemathesis): no 5xx, and every response that has a
declared schema conforms to it. Valid and invalid inputs both, a bounded number per operation.

Requests carry a bearer token (no CSRF on tokens), against a database seeded with one endpoint, task
and account (id 1 each), so that generated paths also hit rows that exist.

Not schemathesis' pytest plugin: its lazy `from_fixture` loader reads `Item._nodeid`, which pytest 9
removed; so operations are looped here and the failures of all of them reported at once.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from app.models import User
from app.services.auth import create_token

# Per operation and mode: about 25 s per mode for the ~27 operations, identical on every run.
MAX_EXAMPLES = 25


@pytest.fixture()
def fuzz_token(app: Flask) -> str:
    """A bearer token of the admin, and one endpoint, task and account to aim at."""
    with app.extensions["imapcopier"].sessions.begin() as session:
        user = session.scalars(select(User)).one()
        token = create_token(session, user, "fuzz")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for url, body in (
        ("/api/endpoints", {"name": "old", "host": "127.0.0.1", "port": 1, "tls_mode": "plain"}),
        ("/api/endpoints", {"name": "new", "host": "127.0.0.1", "port": 2, "tls_mode": "ssl"}),
        ("/api/tasks", {"name": "fuzzed", "src_endpoint_id": 1, "dst_endpoint_id": 2}),
        (
            "/api/tasks/1/accounts",
            {"src_username": "a", "src_password": "p", "dst_username": "b", "dst_password": "q"},
        ),
    ):
        response = client.post(url, json=body, headers=headers)
        assert response.status_code == 201, (url, response.json)
    return token


def server_error_undeclared(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """not_a_server_error, except for a 5xx the operation declares (GET /plan: 504 when no worker answers)."""
    declared = case.operation.definition.raw.get("responses", {})
    if response.status_code >= 500 and str(response.status_code) in declared:
        return True
    return not_a_server_error(ctx, response, case)


def _fuzz(operation: schemathesis.APIOperation, mode: schemathesis.GenerationMode, token: str) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples on every run: a failure here is never a fluke
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing request is reported
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[server_error_undeclared, response_schema_conformance],
        )

    run()


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode))
def test_api_fuzz(app: Flask, fuzz_token: str, mode: schemathesis.GenerationMode) -> None:
    """Every operation of the document; all failures are collected and reported together."""
    schema = schemathesis.openapi.from_wsgi(
        "/api/openapi.json", app, headers={"Authorization": f"Bearer {fuzz_token}"}
    )
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz(operation, mode, fuzz_token)
        except (AssertionError, BaseExceptionGroup) as exc:  # a failed check: note it, fuzz the rest
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 10, "the OpenAPI document lost its operations"
    assert not failures, "\n\n".join(failures)
