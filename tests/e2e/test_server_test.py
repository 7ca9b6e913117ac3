"""The server form's "Test connection": a worker probes the server as typed, before it is saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from testbed.dovecot import ImapServer
from tests.e2e.browser_log import BrowserLog
from tests.e2e.pages import go_to, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.imap, pytest.mark.celery]


def test_connection_test_in_the_server_form(
    page: tuple[Page, BrowserLog], admin: tuple[str, str], stack: str, src_server: ImapServer
) -> None:
    browser_page, _ = page
    login(browser_page, *admin)
    go_to(browser_page, "Servers")
    browser_page.get_by_test_id("add-endpoint-button").click()
    form = browser_page.get_by_test_id("endpoint-form")
    form.get_by_label("Host").fill(src_server.host)
    form.get_by_label("TLS mode").select_option("plain")
    form.get_by_label("Port").fill(str(src_server.port_plain))
    form.get_by_label("Test user (optional)").fill("probe-user")
    form.get_by_label("Its password").fill(src_server.password)
    button = form.get_by_test_id("endpoint-test-button")
    button.click()
    result = form.get_by_test_id("endpoint-test-result")
    expect(result).to_have_attribute("data-login", "ok", timeout=30_000)
    expect(result).to_contain_text("IMAP4REV1")
    expect(result).to_contain_text("none (plain connection)")
    expect(button).to_be_focused()  # focus stays on the button after the test
    screenshot(browser_page, "21-server-test", full_page=False)
    form.get_by_label("Its password").fill("wrong")
    button.click()
    expect(result).to_have_attribute("data-login", "fail", timeout=30_000)
    expect(form.get_by_test_id("endpoint-test-error")).to_have_text("login refused for probe-user")
