"""Blueprints and the one place errors are rendered."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from app.errors import AppError

logger = logging.getLogger(__name__)

# Blueprint module -> URL prefix. Each module defines `bp`.
BLUEPRINTS: dict[str, str] = {
    "auth": "/api/auth",
    "endpoints": "/api",
    "tasks": "/api",
    "accounts": "/api",
    "runs": "/api",
    "events": "/api",
    "health": "",
    "metrics": "",
    "spa": "",
}


def register_blueprints(app: Flask) -> None:
    import importlib

    from app.api.auth import guard

    for module_name, prefix in BLUEPRINTS.items():
        try:
            module = importlib.import_module(f"app.api.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"app.api.{module_name}":
                continue  # not built yet
            raise
        app.register_blueprint(module.bp, url_prefix=prefix or None)
    app.before_request(guard)
    register_error_handlers(app)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AppError)
    def app_error(exc: AppError) -> tuple[Response, int]:
        return jsonify(exc.to_dict()), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int]:
        status = exc.code or 500
        code = (exc.name or "error").lower().replace(" ", "_")
        body = {"error": {"code": code, "message": exc.description or exc.name, "fields": {}}}
        return jsonify(body), status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Response, int]:
        logger.exception("api.unhandled_error")
        body = {"error": {"code": "internal", "message": "internal error; see the server log", "fields": {}}}
        return jsonify(body), 500
