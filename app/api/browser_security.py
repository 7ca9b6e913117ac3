"""Browser hardening: security headers on every response, and the websocket's Origin check."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Response, request

from app.errors import Forbidden
from app.extensions import resources

# Browser's view of a host: what may safely go into a header value.
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
HSTS = "max-age=31536000; includeSubDomains"


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _websocket_sources() -> list[str]:
    hosts = {urlsplit(resources().settings.public_base_url).netloc}
    if _HOST.match(request.host):
        hosts.add(request.host)
    return [f"{scheme}://{host}" for host in sorted(h for h in hosts if h) for scheme in ("ws", "wss")]


def content_security_policy() -> str:
    """Scripts, styles and everything else from this origin only; no framing; websocket to itself."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src " + " ".join(["'self'", *_websocket_sources()]),
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_headers(response: Response) -> Response:
    """after_request: the security headers, on every response (errors and static files included)."""
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy()
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if resources().settings.session_cookie_secure:
        headers["Strict-Transport-Security"] = HSTS
    return response


def allowed_origins() -> set[str]:
    """The console's own origin (PUBLIC_BASE_URL and the Host the request came to) and WS_ALLOWED_ORIGINS."""
    settings = resources().settings
    found = {_origin(settings.public_base_url), *(_origin(o) for o in settings.ws_allowed_origins.split(","))}
    if _HOST.match(request.host):
        found.add(f"{request.scheme}://{request.host}".lower())
    return found - {""}


def check_websocket_origin() -> None:
    """Refuse a cross-site websocket handshake (a page elsewhere riding the user's cookie).

    Clients that are not browsers send no Origin; they need a session or token like any other.

    Raises:
        Forbidden: the Origin is not one of allowed_origins().
    """
    origin = request.headers.get("Origin")
    if origin is not None and origin.lower() not in allowed_origins():
        raise Forbidden("websocket connections from this origin are not allowed")
