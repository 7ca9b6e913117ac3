"""The Flask side: create_app() wires settings, resources, blueprints and the one error handler.

Everything is imported inside create_app, not at module level: the workers import app.models,
app.services and app.dispatch and never load the web stack, and `imapcopier copy` imports
app.profiles (plain data) without loading settings or the database layer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from app.config import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the web application; tests pass their own Settings."""
    from flask import Flask

    from app.api import register_blueprints
    from app.config import get_settings
    from app.extensions import close_db
    from app.logging_setup import configure_logging
    from app.resources import Resources

    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    app = Flask(__name__, static_folder=None)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_NAME="imapcopier_session",
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    if settings.trusted_proxies:
        # The client's address as the proxies saw it: only the last `trusted_proxies` hops of
        # X-Forwarded-For are believed, so a client cannot spoof its own (docs/security.md).
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.extensions["imapcopier"] = Resources.from_settings(settings)
    app.teardown_appcontext(close_db)
    register_blueprints(app)
    logging.getLogger(__name__).debug("app.created")
    return app
