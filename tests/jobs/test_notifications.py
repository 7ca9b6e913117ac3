"""Notifications on the real stack: beat, a worker, Dovecot, an SMTP sink process (aiosmtpd) and a
webhook receiver that checks signatures, all on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine

from app.config import Settings
from app.db import utcnow
from app.dispatch import SEND_DIGEST, make_client
from app.models import Task
from app.models.enums import RunStatus
from testbed.dovecot import ImapServer
from testbed.smtp_sink import SmtpSink
from testbed.webhook_receiver import WebhookReceiver
from tests.conftest import ApiClient
from tests.jobs.notify_helpers import (
    HOOK_SECRET,
    SMTP_PASSWORD,
    add_finished_run,
    all_settled,
    configure,
    notifications,
)
from tests.support.factories import Mailbox, dovecot_task
from tests.support.processes import WorkerPool
from tests.support.rows import runs_of, wait_finished, wait_for

pytestmark = [pytest.mark.celery, pytest.mark.imap]


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[SmtpSink]:
    server = SmtpSink(tmp_path / "smtp")
    server.start()
    yield server
    server.stop()


def test_breaker_trip_sends_one_mail_and_one_signed_webhook(
    api: ApiClient,
    one_worker: WorkerPool,
    beat_process: None,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    loaded_source: object,
    imap_user: str,
    dst_users: list[str],
    sink: SmtpSink,
) -> None:
    with WebhookReceiver(HOOK_SECRET) as receiver:
        configure(api, sink.port, ["ops@example.test"], hook_url=receiver.url)
        wrong = Mailbox(imap_user, dst_users[0], dst_password="wrong-password")
        built = dovecot_task(
            clean_db,
            src_server,
            dst_server,
            [wrong],
            interval=3600,
            anchor=utcnow() - timedelta(hours=1, seconds=5),
        )
        patch = api.patch(f"/api/tasks/{built.task_id}", json={"notify_emails": ["owner@example.test"]})
        assert patch.status_code == 200
        [run] = wait_for(lambda: runs_of(clean_db, built.task_id), 20, "beat to start the run")
        run = wait_finished(clean_db, run.id)
        assert run.status == RunStatus.FAILED
        rows = wait_for(lambda: all_settled(clean_db), 30, "the notifications to be delivered")
        assert [(r.kind, r.channel, r.status) for r in rows] == [
            ("task_broken", "email", "sent"),
            ("task_broken", "webhook", "sent"),
        ]
        [mail] = sink.messages()
        [hook] = receiver.deliveries
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    task_name = api.get(f"/api/tasks/{built.task_id}").json["task"]["name"]
    assert task_name in mail["Subject"] and f"scheduled run {run.id}" in mail["Subject"]
    assert f"Run: {run.id} (scheduled)" in text and f"{imap_user} -> {dst_users[0]}" in text
    assert "login refused" in text
    assert f"http://127.0.0.1:5000/tasks/{built.task_id}" in text
    assert mail["X-Envelope-To"] == "ops@example.test, owner@example.test"
    assert mail["X-Sink-Login"] == "notifier"
    assert hook.signature_ok and hook.headers["x-imapcopier-event"] == "task_broken"
    payload = json.loads(hook.body)
    assert payload["task"]["id"] == built.task_id and payload["run"]["id"] == run.id
    assert payload["failed_accounts"][0]["src_username"] == imap_user
    assert payload["reenable_url"] == f"http://127.0.0.1:5000/tasks/{built.task_id}"
    # Secrets: in no API response, no notification row, no worker log line.
    listed = api.get("/api/notifications")
    settings = api.get("/api/settings/notifications")
    logs = "".join(proc.log() for proc in one_worker.workers.values())
    for text in (listed.get_data(as_text=True), settings.get_data(as_text=True), logs, mail.as_string()):
        assert SMTP_PASSWORD not in text and HOOK_SECRET not in text


def test_smtp_down_then_up_is_retried_and_arrives_once(
    api: ApiClient, one_worker: WorkerPool, clean_db: Engine, tmp_path: Path
) -> None:
    sink = SmtpSink(tmp_path / "smtp")  # not started: nothing listens on its port yet
    configure(api, sink.port, ["ops@example.test"])
    assert api.post("/api/settings/notifications/test").status_code == 202
    wait_for(lambda: [r for r in notifications(clean_db) if r.status == "retrying"], 20, "a failed attempt")
    sink.start()
    try:
        [row] = wait_for(lambda: all_settled(clean_db), 30, "the retried delivery")
        assert row.status == "sent" and len(row.attempts) >= 2
        assert not row.attempts[0]["ok"] and "SMTP 127.0.0.1" in row.attempts[0]["error"]
        assert row.attempts[-1]["ok"]
        assert len(sink.messages()) == 1
        listed = api.get("/api/notifications").json
        assert listed[0]["status"] == "sent" and len(listed[0]["attempts"]) == len(row.attempts)
    finally:
        sink.stop()


def test_daily_digest_per_recipient(
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    settings: Settings,
    src_server: ImapServer,
    dst_server: ImapServer,
    sink: SmtpSink,
) -> None:
    configure(api, sink.port, ["ops@example.test", "cto@example.test"])
    failing = dovecot_task(clean_db, src_server, dst_server, [Mailbox("carol", "carol2")])
    healthy = dovecot_task(clean_db, src_server, dst_server, [Mailbox("dave", "dave2")])
    now = utcnow()
    for hours in (30, 20, 10):  # three failed passes in a row, two of them in the last day
        at = now - timedelta(hours=hours)
        add_finished_run(
            clean_db,
            failing.task_id,
            failing.account_ids,
            trigger="scheduled",
            finished_at=at,
            error="login refused",
        )
    add_finished_run(
        clean_db, healthy.task_id, healthy.account_ids, trigger="scheduled", finished_at=now, error=None
    )
    with clean_db.begin() as conn:
        conn.execute(update(Task).where(Task.id == failing.task_id).values(broken=True))
    make_client(settings).send_task(SEND_DIGEST)
    wait_for(lambda: len(sink.messages()) == 2, 30, "two digest mails")
    mails = {mail["X-Envelope-To"]: mail for mail in sink.messages()}
    assert set(mails) == {"ops@example.test", "cto@example.test"}
    body = mails["ops@example.test"].get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Daily digest: 3 run(s), 5 copied, 2 error(s), 1 broken task(s)" in text
    assert f"(id {failing.task_id}): 2 run(s), 0 copied, 2 error(s) [broken]" in text
    assert f"carol (task {failing.task_id}): 3 passes in a row" in text and "dave (task" not in text
    make_client(settings).send_task(SEND_DIGEST)  # a second tick the same day adds nothing
    rows = wait_for(lambda: all_settled(clean_db), 20, "the digest rows")
    assert [r.kind for r in rows] == ["digest", "digest"]


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_mail_over_starttls_and_implicit_tls(
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    tmp_path: Path,
    smtp_tls_dir: Path,
    security: str,
) -> None:
    sink = SmtpSink(tmp_path / "smtp", security=security, tls_dir=smtp_tls_dir)
    sink.start()
    try:
        configure(api, sink.port, ["ops@example.test"])
        body = api.get("/api/settings/notifications").json
        body["smtp"].update(security=security)
        del body["smtp"]["password_set"]
        body["webhooks"] = []
        assert api.put("/api/settings/notifications", json=body).status_code == 200
        assert api.post("/api/settings/notifications/test").status_code == 202
        [row] = wait_for(lambda: all_settled(clean_db), 30, "the test mail")
        assert row.status == "sent", row.attempts
        [mail] = sink.messages()
        assert mail["X-Sink-Login"] == "notifier" and "Test notification" in mail["Subject"]
    finally:
        sink.stop()
