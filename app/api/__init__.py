"""Blueprints and the one place errors are rendered."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from app.errors import AppError

logger = logging.getLogger(__name__)


def register_blueprints(app: Flask) -> None:
    """Every blueprint, by name, with its URL prefix; then the login guard, the security headers and
    the error handlers."""
    from app.api import (
        accounts,
        audit,
        auth,
        endpoints,
        events,
        health,
        metrics,
        notifications,
        oauth,
        runs,
        spa,
        tasks,
        tokens,
        users,
    )
    from app.api.browser_security import add_headers

    app.register_blueprint(auth.bp, url_prefix="/api/auth")
    for module in (endpoints, tasks, accounts, runs, events, users, audit, tokens, oauth, notifications):
        app.register_blueprint(module.bp, url_prefix="/api")
    for module in (health, metrics, spa):
        app.register_blueprint(module.bp)
    app.before_request(auth.guard)
    app.after_request(add_headers)
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
