"""The notification screens in Chromium: the channels form with "send a test" delivered to a real
SMTP sink, the notification log, and a task's window and extra recipients in its schedule card."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from testbed.dovecot import ImapServer
from testbed.smtp_sink import SmtpSink
from tests.e2e.browser_log import BrowserLog
from tests.e2e.pages import Api, go_to, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.celery]


def test_notification_settings_test_message_log_and_task_window(
    stack: str,
    admin: tuple[str, str],
    new_page: Callable[..., tuple[Page, BrowserLog]],
    src_server: ImapServer,
    dst_server: ImapServer,
    tmp_path: Path,
) -> None:
    sink = SmtpSink(tmp_path / "smtp")
    sink.start()
    try:
        page, _ = new_page()
        login(page, *admin)
        go_to(page, "Notifications")
        form = page.get_by_test_id("notification-settings-form")
        form.get_by_test_id("smtp-enabled").check()
        form.get_by_test_id("smtp-host").fill("127.0.0.1")
        form.get_by_test_id("smtp-port").fill(str(sink.port))
        form.get_by_test_id("smtp-security").select_option("none")
        form.get_by_test_id("smtp-from").fill("copier@example.test")
        form.get_by_test_id("smtp-recipients").fill("ops@example.test")
        form.get_by_test_id("save-notifications-button").click()
        expect(page.get_by_text("Notification settings saved")).to_be_visible()
        page.get_by_test_id("send-test-button").click()
        row = page.get_by_test_id("notification-row")
        expect(row).to_have_count(1)
        expect(row).to_have_attribute("data-status", "sent", timeout=20_000)
        expect(row).to_contain_text("ops@example.test")
        assert [m["X-Envelope-To"] for m in sink.messages()] == ["ops@example.test"]
        screenshot(page, "30-notifications")
    finally:
        sink.stop()

    api = Api(stack, *admin)
    ids = [
        api.post("/api/endpoints", {"name": n, "host": s.host, "port": s.port_plain, "tls_mode": "plain"})[
            "id"
        ]
        for n, s in (("Old", src_server), ("New", dst_server))
    ]
    task = api.post("/api/tasks", {"name": "Windowed", "src_endpoint_id": ids[0], "dst_endpoint_id": ids[1]})
    page.goto(f"/tasks/{task['id']}")
    card = page.get_by_test_id("schedule-window-form")
    card.get_by_test_id("window-enabled").check()
    card.get_by_test_id("window-start").fill("22:00")
    card.get_by_test_id("window-end").fill("06:00")
    card.get_by_test_id("window-tz").fill("Europe/Berlin")
    card.get_by_test_id("notify-emails").fill("owner@example.test")
    card.get_by_test_id("save-window-button").click()
    expect(page.get_by_text("Window and recipients saved")).to_be_visible()
    saved = api.session.get(f"{stack}/api/tasks/{task['id']}").json()["task"]
    assert saved["schedule_window"] == {"start": "22:00", "end": "06:00", "tz": "Europe/Berlin"}
    assert saved["notify_emails"] == ["owner@example.test"]
    page.reload()
    expect(page.get_by_test_id("window-tz")).to_have_value("Europe/Berlin")
    screenshot(page, "31-task-window")
