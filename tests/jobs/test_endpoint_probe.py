"""POST /api/endpoints/test and /api/endpoints/{id}/test: a worker probes the server, the API waits."""

from __future__ import annotations

import pytest

from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.support.factories import make_endpoint
from tests.support.processes import WorkerPool

pytestmark = [pytest.mark.celery, pytest.mark.imap]


def test_the_unsaved_form_and_a_saved_server(
    api: ApiClient, one_worker: WorkerPool, src_server: ImapServer, imap_user: str
) -> None:
    form = {"name": "old", "host": src_server.host, "port": src_server.port_plain, "tls_mode": "plain"}
    signed_in = api.post(
        "/api/endpoints/test", json={**form, "username": imap_user, "password": src_server.password}
    )
    assert signed_in.status_code == 200, signed_in.json
    answer = signed_in.json
    assert set(answer) == {
        "tls",
        "certificate",
        "capabilities",
        "separator",
        "namespace_prefix",
        "login",
        "error",
    }
    assert (answer["login"], answer["error"], answer["tls"]) == ("ok", None, None)
    assert "IMAP4REV1" in answer["capabilities"] and answer["separator"] in (".", "/")
    refused = api.post("/api/endpoints/test", json={**form, "username": imap_user, "password": "wrong"}).json
    assert refused["login"] == "fail" and refused["error"] == f"login refused for {imap_user}"
    assert "wrong" not in str(refused)
    saved = make_endpoint(api, host=src_server.host, port=src_server.port_plain)
    anonymous = api.post(f"/api/endpoints/{saved['id']}/test")
    assert anonymous.status_code == 200 and anonymous.json["login"] == "skipped"
    closed = api.post("/api/endpoints/test", json={**form, "port": 1}).json
    assert closed["error"] == f"connection refused by {src_server.host}:1"


def test_refusals(api: ApiClient) -> None:
    assert api.post("/api/endpoints/999/test").status_code == 404
    assert api.post("/api/endpoints/test", json={"host": "bad host", "port": 143}).status_code == 422
    assert api.post("/api/endpoints/test", json={"host": "h", "port": 0}).status_code == 422
    assert api.post("/api/endpoints/test", json={"host": "h", "port": 143, "extra": 1}).status_code == 422
