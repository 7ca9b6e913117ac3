"""Liveness, readiness, and the OpenAPI document."""

from __future__ import annotations

import time
from typing import Any

import redis
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app import dispatch
from app.api.openapi import build_document
from app.api.spec import PUBLIC_ENDPOINTS
from app.extensions import db, resources

bp = Blueprint("health", __name__)
BEAT_STALE_INTERVALS = 3
BEAT_FIRST_CHECK_KEY = "imapcopier:beat:first_check"


@bp.get("/healthz")
def healthz() -> Any:
    """The process is up."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Any:
    """The database and Redis are reachable and the scheduler is ticking."""
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
    ok, detail = beat_ready()
    checks["scheduler"] = "ok" if ok else detail
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "unavailable", checks=checks), 200 if ready else 503


def beat_ready() -> tuple[bool, str]:
    """Stale when the scan has not ticked for a few intervals (or never, a few intervals after the
    first readiness check: a fresh install is not "stale" before beat had a chance to tick)."""
    client, interval = resources().redis, resources().settings.scan_interval_seconds
    now, limit = time.time(), BEAT_STALE_INTERVALS * interval
    try:
        last = client.get(dispatch.BEAT_TICK_KEY)
        if last is None:
            client.set(BEAT_FIRST_CHECK_KEY, str(now), nx=True)
            first = float(client.get(BEAT_FIRST_CHECK_KEY) or now)
            return (now - first <= limit, "stale: the scheduler (celery beat) has not ticked yet")
    except redis.RedisError as exc:
        return (False, f"error: {type(exc).__name__}")
    age = now - float(last)
    return (age <= limit, f"stale: last scheduler tick {age:.0f} s ago")


@bp.get("/api/openapi.json")
def openapi() -> Any:
    """The OpenAPI document of this API."""
    prefixes = {name: bp.url_prefix or "" for name, bp in current_app.blueprints.items()}
    return jsonify(build_document(prefixes))


PUBLIC_ENDPOINTS.update({"health.healthz", "health.readyz"})
