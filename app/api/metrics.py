"""GET /metrics in the Prometheus text format (behind login like the rest of the product, or a token)."""

from __future__ import annotations

from flask import Blueprint, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from app.extensions import resources
from app.services.metrics import ProductCollector

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def metrics() -> Response:
    """Runs, messages, bytes, errors, job durations, schedule lag and queue lengths."""
    res = resources()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ProductCollector(res.sessions, res.redis))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
