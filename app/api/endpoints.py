"""Endpoints CRUD: parse -> service -> commit -> serialize."""

from __future__ import annotations

from celery.exceptions import TaskRevokedError
from celery.exceptions import TimeoutError as CeleryTimeout
from flask import Blueprint

from app import dispatch
from app.api.spec import operation
from app.errors import JobTimeout
from app.extensions import celery_client, db, resources
from app.schemas.endpoints import (
    EndpointIn,
    EndpointLoginIn,
    EndpointOut,
    EndpointPatch,
    EndpointTestIn,
    EndpointTestOut,
)
from app.services import endpoints as service

bp = Blueprint("endpoints", __name__)
# The probe's own IMAP timeout: a share of IMAP_TIMEOUT_SECONDS, so its answer arrives within it.
PROBE_SHARE = 0.8


@operation(bp, "/endpoints", "GET", response=list[EndpointOut])
def list_endpoints() -> list[EndpointOut]:
    """List the IMAP servers (endpoints), by name."""
    return [EndpointOut.model_validate(endpoint) for endpoint in service.list_endpoints(db())]


@operation(bp, "/endpoints", "POST", body=EndpointIn, response=EndpointOut, status=201, errors=(422,))
def create_endpoint(body: EndpointIn) -> EndpointOut:
    """Add an IMAP server."""
    endpoint = service.create_endpoint(db(), resources().box, body)
    db().commit()
    return EndpointOut.model_validate(endpoint)


@operation(bp, "/endpoints/<int:endpoint_id>", "GET", response=EndpointOut)
def get_endpoint(endpoint_id: int) -> EndpointOut:
    """One endpoint."""
    return EndpointOut.model_validate(service.get_endpoint(db(), endpoint_id))


@operation(
    bp, "/endpoints/<int:endpoint_id>", "PATCH", body=EndpointPatch, response=EndpointOut, errors=(422,)
)
def update_endpoint(endpoint_id: int, body: EndpointPatch) -> EndpointOut:
    """Change an endpoint; changing how to connect resets the login tests that used it."""
    endpoint = service.update_endpoint(db(), resources().box, endpoint_id, body)
    db().commit()
    return EndpointOut.model_validate(endpoint)


@operation(bp, "/endpoints/<int:endpoint_id>", "DELETE", status=204, errors=(409,))
def delete_endpoint(endpoint_id: int) -> None:
    """Delete an endpoint that no task uses (409 otherwise)."""
    service.delete_endpoint(db(), endpoint_id)
    db().commit()


@operation(bp, "/endpoints/test", "POST", body=EndpointTestIn, response=EndpointTestOut, errors=(504,))
def test_unsaved_endpoint(body: EndpointTestIn) -> EndpointTestOut:
    """Test a server as the form describes it, before saving: TLS, certificate, capabilities, layout,
    and a login with the optional test user."""
    return _probe(body.host, body.port, body.tls_mode, body.verify_tls, body)


@operation(
    bp,
    "/endpoints/<int:endpoint_id>/test",
    "POST",
    body=EndpointLoginIn,
    body_optional=True,
    response=EndpointTestOut,
    errors=(504,),
)
def test_endpoint(endpoint_id: int, body: EndpointLoginIn | None) -> EndpointTestOut:
    """Test a saved server (optionally signing in with a test user)."""
    endpoint = service.get_endpoint(db(), endpoint_id)
    return _probe(endpoint.host, endpoint.port, endpoint.tls_mode, endpoint.verify_tls, body)


def _probe(
    host: str, port: int, tls_mode: str, verify_tls: bool, login: EndpointLoginIn | None
) -> EndpointTestOut:
    """Run the probe job on a worker and wait for it, within IMAP_TIMEOUT_SECONDS (docs/console.md)."""
    settings = resources().settings
    timeout = settings.imap_timeout_seconds
    password = login.password if login is not None else None
    spec = {
        "host": host,
        "port": port,
        "tls_mode": str(tls_mode),
        "verify_tls": verify_tls,
        "username": login.username if login is not None else None,
        "password_enc": resources().box.encrypt(password).decode("ascii") if password else None,
        "timeout": timeout * PROBE_SHARE,
    }
    db().close()  # no connection held while waiting for the worker
    try:
        answer = dispatch.probe_endpoint(celery_client(), spec, timeout)
    except (CeleryTimeout, TaskRevokedError) as exc:  # revoked: it expired before a worker took it
        raise JobTimeout(f"no worker tested the server within {timeout:.0f} s; are workers running?") from exc
    return EndpointTestOut.model_validate(answer)
