"""The live-events websocket on a real HTTP server: a logged-in browser gets a run's events, an
anonymous one is refused at the upgrade."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import websocket
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from app.schemas.events import TASK_EVENT, FolderEvent, PlanEvent
from tests.conftest import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.support.factories import Mailbox, TaskOnPair
from tests.support.processes import WorkerPool

pytestmark = [pytest.mark.celery, pytest.mark.imap]


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The app served by werkzeug in a thread (threaded: the websocket holds its connection)."""
    httpd: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def _login(base: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"http://{base}/api/auth/login", json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 200
    session.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return session


def _receive(ws: websocket.WebSocket) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv())
    return message


def test_unauthenticated_upgrade_is_refused(server: str) -> None:
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(f"ws://{server}/api/ws", timeout=5)
    assert refused.value.status_code == 401
    forged = "imapcopier_session=not-a-session"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(f"ws://{server}/api/ws", cookie=forged, timeout=5)
    assert refused.value.status_code == 401


def test_a_logged_in_client_receives_the_progress_of_a_run(
    task_on_pair: TaskOnPair,
    server: str,
    one_worker: WorkerPool,
    loaded_source: object,
    imap_user: str,
) -> None:
    built = task_on_pair([Mailbox(imap_user, imap_user)])
    http = _login(server)
    cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
    ws = websocket.create_connection(f"ws://{server}/api/ws", cookie=cookie, timeout=30)
    try:
        ws.send("hello")
        assert _receive(ws)["type"] == "protocol_error"
        ws.send(json.dumps({"subscribe": built.task_id}))
        assert _receive(ws) == {"type": "subscribed", "task_id": built.task_id}
        run_id = http.post(f"http://{server}/api/tasks/{built.task_id}/run").json()["run_id"]
        events = [_receive(ws)]
        while events[-1]["type"] != "run_done":
            events.append(_receive(ws))
    finally:
        ws.close()
    types = [event["type"] for event in events]
    assert types[0] == "run_started" and types[-1] == "run_done"
    assert {"plan", "account_started", "folder", "progress", "account_done"} <= set(types)
    strays = [e for e in events if (e["task_id"], e["run_id"]) != (built.task_id, run_id)]
    assert not strays, strays
    assert set(events[-1]) == {"type", "task_id", "run_id", "account_id", "data", "ts"}
    assert events[-1]["data"]["status"] == "done" and events[-1]["data"]["total_copied"] > 0
    typed = [TASK_EVENT.validate_python(event) for event in events]  # every event matches its model
    plan = next(event for event in typed if isinstance(event, PlanEvent))
    assert plan.data.planned_messages > 0 and plan.data.planned_bytes
    done = next(event for event in typed if isinstance(event, FolderEvent) and event.data.state == "done")
    assert done.data.account is not None and done.data.account.copied > 0
