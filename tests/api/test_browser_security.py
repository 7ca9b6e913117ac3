"""Security headers on every route (pages, assets, API answers, errors) and the websocket Origin check
against a real server (werkzeug) with a real websocket client."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import websocket
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.config import Settings
from tests.conftest import ADMIN_PASSWORD, ADMIN_USERNAME, ApiClient

SAMPLE_ID = "1"


def assert_hardened(headers: dict[str, str] | object, what: str) -> None:
    get = headers.get  # type: ignore[attr-defined]
    csp = get("Content-Security-Policy") or ""
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ") if part}
    assert directives.get("script-src") == ["'self'"], (what, csp)
    assert directives.get("style-src") == ["'self'"], (what, csp)
    assert directives.get("frame-ancestors") == ["'none'"], (what, csp)
    assert "'self'" in directives.get("connect-src", []), (what, csp)
    assert not any("unsafe" in value for values in directives.values() for value in values), (what, csp)
    assert get("X-Content-Type-Options") == "nosniff", what
    assert get("Referrer-Policy") == "no-referrer", what
    assert get("X-Frame-Options") == "DENY", what


def test_headers_on_every_route(api: ApiClient, app: Flask) -> None:
    client = api.client
    urls = ["/", "/tasks/1", "/no-such-page", "/api/no-such-route", "/metrics"]
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or set()) and not rule.websocket:
            urls.append(re.sub(r"<(?:[^:>]+:)?\w+>", SAMPLE_ID, rule.rule))
    dist = app.extensions["imapcopier"].settings.frontend_dist
    urls += [f"/{path.relative_to(dist)}" for path in sorted(Path(dist).glob("assets/*"))[:3]]
    urls = [url for url in urls if not url.endswith("/plan")]  # waits for a worker
    statuses = set()
    for url in urls:
        response = client.get(url)
        statuses.add(response.status_code)
        assert_hardened(response.headers, url)
        assert "Strict-Transport-Security" not in response.headers
    for url in ("/api/tasks", "/api/auth/logout"):
        assert_hardened(app.test_client().post(url, json={}).headers, f"anonymous POST {url}")
    assert {200, 404} <= statuses


def test_hsts_when_cookies_are_secure(settings: Settings, clean_db: object) -> None:
    secure = create_app(settings.model_copy(update={"session_cookie_secure": True}))
    response = secure.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app on a real HTTP server on loopback (websockets need one)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _cookie(host: str) -> str:
    session = requests.Session()
    response = session.post(
        f"http://{host}/api/auth/login",
        json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD},
        timeout=10,
    )
    assert response.status_code == 200
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def test_a_cross_origin_websocket_is_refused(served: str) -> None:
    cookie = _cookie(served)
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(
            f"ws://{served}/api/ws", cookie=cookie, origin="https://evil.example", timeout=5
        )
    assert refused.value.status_code == 403
    ws = websocket.create_connection(
        f"ws://{served}/api/ws", cookie=cookie, origin=f"http://{served}", timeout=5
    )
    try:
        ws.send(json.dumps({"subscribe": 7}))
        assert json.loads(ws.recv()) == {"type": "subscribed", "task_id": 7}
    finally:
        ws.close()


def test_the_configured_origins_are_accepted(app: Flask, served: str) -> None:
    resources = app.extensions["imapcopier"]
    resources.settings = resources.settings.model_copy(
        update={"public_base_url": "https://console.example", "ws_allowed_origins": "http://localhost:5173"}
    )
    cookie = _cookie(served)
    for origin in ("https://console.example", "http://localhost:5173"):
        ws = websocket.create_connection(f"ws://{served}/api/ws", cookie=cookie, origin=origin, timeout=5)
        ws.close()
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(
            f"ws://{served}/api/ws", cookie=cookie, origin="http://localhost:8080", timeout=5
        )
