"""The console under its Content-Security-Policy: the page carries the headers, and a violation is
caught by the browser log that every e2e test checks (so the suite would fail on one)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_log import BrowserLog

pytestmark = [pytest.mark.e2e]


def test_the_ui_runs_under_the_csp_and_violations_are_caught(
    page: tuple[Page, BrowserLog], admin: tuple[str, str]
) -> None:
    tab, log = page
    response = tab.goto("/")
    assert response is not None
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
    expect(tab.get_by_label("Username")).to_be_visible()
    assert log.errors == []
    tab.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';"
        " document.body.appendChild(s); }"
    )
    for _ in range(100):  # the console event arrives asynchronously
        if log.csp_violations():
            break
        tab.wait_for_timeout(50)
    assert tab.evaluate("() => window.pwned") is None
    assert log.csp_violations(), log.errors
    log.errors.clear()


def test_another_page_cannot_frame_the_console(page: tuple[Page, BrowserLog], stack: str) -> None:
    tab, log = page
    tab.set_content(f'<iframe id="victim" src="{stack}/login" width="600" height="400"></iframe>')
    frame_element = tab.locator("#victim")
    expect(frame_element).to_be_attached()
    tab.wait_for_load_state("load")
    framed = frame_element.element_handle().content_frame()
    assert framed is not None
    # Chromium replaces a refused frame with its error page: no login form ever renders in it.
    assert framed.locator("[data-testid=login-form]").count() == 0
    assert not framed.url.startswith(stack), framed.url
    log.errors.clear()  # Chromium reports the refusal on the console
