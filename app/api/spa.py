"""Serves the built front end (frontend/dist) at /, with index.html for client-side routes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, send_from_directory

from app.extensions import resources

bp = Blueprint("spa", __name__)


@bp.get("/")
@bp.get("/<path:path>")
def index(path: str = "") -> Any:
    if path.startswith("api/"):
        abort(404)
    dist = resources().settings.frontend_dist
    if not (dist / "index.html").is_file():
        return "The web UI is not built: run `make run` (or `cd frontend && npm ci && npm run build`).", 503
    if path and (dist / path).is_file():
        response = send_from_directory(dist, path, max_age=31536000 if path.startswith("assets/") else 0)
    else:
        response = send_from_directory(dist, "index.html", max_age=0)
    return response
