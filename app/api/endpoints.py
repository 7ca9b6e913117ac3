"""Endpoints CRUD: parse -> service -> commit -> serialize."""

from __future__ import annotations

from flask import Blueprint

from app.api.spec import operation
from app.extensions import db, resources
from app.schemas.endpoints import EndpointIn, EndpointOut, EndpointPatch
from app.services import endpoints as service

bp = Blueprint("endpoints", __name__)


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
