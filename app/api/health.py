"""Liveness, readiness, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.api.openapi import build_document
from app.api.spec import PUBLIC_ENDPOINTS
from app.extensions import db, resources

bp = Blueprint("health", __name__)
# Set by the job system: a function returning (ok, detail) about the beat tick; absent until it exists.
READINESS_CHECKS: dict[str, Any] = {}


@bp.get("/healthz")
def healthz() -> Any:
    """The process is up."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Any:
    """The database and Redis are reachable (and the scheduler is ticking, once it exists)."""
    checks: dict[str, str] = {}
    try:
        db().execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready"; the detail is for the operator
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        resources().redis.ping()
        checks["redis"] = "ok"
    except Exception as exc:
        checks["redis"] = f"error: {type(exc).__name__}"
    for name, check in READINESS_CHECKS.items():
        ok, detail = check()
        checks[name] = "ok" if ok else detail
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "unavailable", checks=checks), 200 if ready else 503


@bp.get("/api/openapi.json")
def openapi() -> Any:
    """The OpenAPI document of this API."""
    prefixes = {name: bp.url_prefix or "" for name, bp in current_app.blueprints.items()}
    return jsonify(build_document(prefixes))


PUBLIC_ENDPOINTS.update({"health.healthz", "health.readyz"})
