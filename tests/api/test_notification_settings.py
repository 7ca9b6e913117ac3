"""Notification channels: stored, secrets write-only (in no response), webhook payload in OpenAPI."""

from __future__ import annotations

import json

from flask import Flask

from app.models import NotificationSettings
from tests.conftest import ApiClient
from tests.support.factories import session_of

SMTP_PASSWORD = "smtp-pass-4c1d9e"
HOOK_SECRET = "hook-secret-77aa01"
BODY = {
    "smtp": {
        "host": "mail.example.test",
        "port": 587,
        "security": "starttls",
        "username": "notifier",
        "password": SMTP_PASSWORD,
        "from_address": "copier@example.test",
        "recipients": ["ops@example.test"],
    },
    "webhooks": [{"url": "https://hooks.example.test/imap", "secret": HOOK_SECRET}],
}


def test_put_get_and_secrets_are_write_only(api: ApiClient, app: Flask) -> None:
    assert api.get("/api/settings/notifications").json == {"smtp": None, "webhooks": []}
    response = api.put("/api/settings/notifications", json=BODY)
    assert response.status_code == 200, response.json
    assert response.json["smtp"]["password_set"] is True
    assert response.json["webhooks"] == [{"url": "https://hooks.example.test/imap", "secret_set": True}]
    # Omitted secrets are kept; nothing secret is ever sent back.
    again = json.loads(json.dumps(BODY))
    del again["smtp"]["password"], again["webhooks"][0]["secret"]
    again["smtp"]["recipients"] = ["ops@example.test", "cto@example.test"]
    assert api.put("/api/settings/notifications", json=again).status_code == 200
    got = api.get("/api/settings/notifications")
    assert got.json["smtp"]["recipients"] == ["ops@example.test", "cto@example.test"]
    assert got.json["smtp"]["password_set"] and got.json["webhooks"][0]["secret_set"]
    for text in (response.get_data(as_text=True), got.get_data(as_text=True)):
        assert SMTP_PASSWORD not in text and HOOK_SECRET not in text
    with session_of(app) as session:
        row = session.get(NotificationSettings, 1)
        assert (
            row is not None and row.smtp_password_enc and SMTP_PASSWORD.encode() not in row.smtp_password_enc
        )
        assert HOOK_SECRET not in json.dumps(row.webhooks)


def test_new_webhook_needs_a_secret_and_security_is_checked(api: ApiClient) -> None:
    body = {"webhooks": [{"url": "https://new.example.test/"}]}
    response = api.put("/api/settings/notifications", json=body)
    assert response.status_code == 422 and "webhooks.0.secret" in response.json["error"]["fields"]
    bad = json.loads(json.dumps(BODY))
    bad["smtp"]["security"] = "ssl"
    assert api.put("/api/settings/notifications", json=bad).status_code == 422
    assert (
        api.put(
            "/api/settings/notifications", json={"webhooks": [{"url": "ftp://x", "secret": "12345678"}]}
        ).status_code
        == 422
    )


def test_send_a_test_is_logged(api: ApiClient) -> None:
    assert api.post("/api/settings/notifications/test").status_code == 409  # nothing configured yet
    assert api.put("/api/settings/notifications", json=BODY).status_code == 200
    response = api.post("/api/settings/notifications/test")
    assert response.status_code == 202
    sent = response.json["notifications"]
    assert sorted(n["channel"] for n in sent) == ["email", "webhook"]
    assert all(
        n["kind"] == "test" and n["status"] in {"pending", "sending", "retrying", "failed", "sent"}
        for n in sent
    )
    listed = api.get("/api/notifications").json
    assert [n["id"] for n in listed] == sorted((n["id"] for n in sent), reverse=True)
    assert SMTP_PASSWORD not in json.dumps(listed) and HOOK_SECRET not in json.dumps(listed)


def test_webhook_payload_is_in_the_openapi_document(api: ApiClient) -> None:
    doc = api.get("/api/openapi.json").json
    schema = doc["webhooks"]["notification"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in schema:  # a named component
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert {"event", "task", "run", "failed_accounts", "errors", "reenable_url", "digest"} <= set(
        schema["properties"]
    )
    assert "/api/settings/notifications" in doc["paths"] and "/api/notifications" in doc["paths"]
