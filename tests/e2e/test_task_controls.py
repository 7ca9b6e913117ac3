"""The task page's controls as a keyboard and mouse user meets them: the schedule select is off, with
its reason naming the failing account, until that account is paused; Run now and Test all logins keep
the focus while they work; Delete task comes after Run in the tab order."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from testbed.dovecot import ImapServer
from tests.e2e.browser_log import BrowserLog
from tests.e2e.conftest import Source
from tests.e2e.pages import Api, add_servers, login, screenshot, tab_to, task_with_accounts

pytestmark = [pytest.mark.e2e, pytest.mark.imap, pytest.mark.celery]
RUN_TIMEOUT = 90_000
# Records on the button whether `attribute` ever turned "true" while the button had the focus, and
# the text its aria-describedby pointed at then (a MutationObserver sees every change, however short).
WATCH_FOCUS = """(button, attribute) => {
  button.__offWhileFocused = false;
  new MutationObserver(() => {
    if (button.getAttribute(attribute) === 'true' && document.activeElement === button) {
      button.__offWhileFocused = true;
      const reason = document.getElementById(button.getAttribute('aria-describedby') || '');
      if (reason) button.__reason = reason.textContent;
    }
  }).observe(button, { attributes: true });
}"""


def test_schedule_select_disabled_with_the_reason_enabled_after_pausing_the_failing_account(
    page: tuple[Page, BrowserLog],
    admin: tuple[str, str],
    stack: str,
    src_server: ImapServer,
    dst_server: ImapServer,
    sources: dict[str, Source],
    dst_user: Callable[[str], str],
) -> None:
    browser_page, _ = page
    api = Api(stack, *admin)
    servers = add_servers(
        api, (src_server.host, src_server.port_plain), (dst_server.host, dst_server.port_plain)
    )
    good, bad = sources["corpus"].username, sources["big"].username
    task_id, _ = task_with_accounts(
        api,
        "Schedule gate",
        servers,
        [(good, dst_user("e2edst"), "secret"), (bad, dst_user("e2edst"), "wrong")],
    )
    login(browser_page, *admin)
    browser_page.goto(f"/tasks/{task_id}")

    select = browser_page.get_by_test_id("schedule-select")
    reason = browser_page.get_by_test_id("schedule-reason")
    expect(select).to_be_disabled()
    expect(reason).to_have_text(
        "Scheduling is off until every enabled account passes the login test: 1 account failed the login "
        f"test ({bad}): fix and test it, or pause it, before turning the schedule on."
    )
    assert reason.get_attribute("id") in (select.get_attribute("aria-describedby") or "").split()
    screenshot(browser_page, "32-schedule-disabled")

    # The reason leads to the account: the list is filtered to the failing one.
    browser_page.get_by_test_id("schedule-show-failed").click()
    expect(browser_page.get_by_test_id("accounts-filter-test")).to_have_value("fail")
    rows = browser_page.get_by_test_id("account-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(bad)
    expect(browser_page.get_by_role("heading", name="Accounts")).to_be_focused()

    rows.first.get_by_test_id("account-pause-button").click()
    expect(rows.first).to_have_attribute("data-enabled", "false")
    expect(reason).to_be_hidden()
    expect(select).to_be_enabled()
    select.select_option("3600")
    expect(select).to_have_attribute("data-server-value", "3600")
    assert api.get(f"/api/tasks/{task_id}")["task"]["schedule_interval_seconds"] == 3600

    # Resumed, the account blocks again, but a schedule that is on can always be turned off.
    rows.first.get_by_test_id("account-pause-button").click()  # still filtered to the failing one
    expect(reason).to_contain_text("Only Off can be chosen now: 1 account failed the login test")
    expect(select).to_be_enabled()
    expect(select.locator("option[value='10800']")).to_be_disabled()
    select.select_option("0")
    expect(select).to_have_attribute("data-server-value", "0")
    expect(select).to_be_disabled()


def test_focus_stays_on_run_now_after_clicking_it(
    page: tuple[Page, BrowserLog],
    admin: tuple[str, str],
    stack: str,
    src_server: ImapServer,
    dst_server: ImapServer,
    sources: dict[str, Source],
    dst_user: Callable[[str], str],
) -> None:
    browser_page, _ = page
    api = Api(stack, *admin)
    servers = add_servers(
        api, (src_server.host, src_server.port_plain), (dst_server.host, dst_server.port_plain)
    )
    # The big mailbox: its first copy lasts seconds, long enough to look at the button meanwhile.
    task_id, _ = task_with_accounts(
        api, "Focus", servers, [(sources["big"].username, dst_user("e2edst"), "secret")]
    )
    login(browser_page, *admin)
    browser_page.goto(f"/tasks/{task_id}")
    expect(browser_page.get_by_test_id("account-row")).to_have_count(1)

    # Test all logins: busy for as long as the test takes, focused all along.
    test_all = browser_page.get_by_test_id("test-all-button")
    test_all.evaluate(WATCH_FOCUS, "aria-busy")
    test_all.click()
    expect(test_all).to_be_focused()
    expect(test_all).not_to_have_attribute("aria-busy", "true", timeout=30_000)
    assert test_all.evaluate("(el) => el.__offWhileFocused") is True, "Test all never showed busy"
    expect(test_all).to_be_focused()

    run_now = browser_page.get_by_test_id("run-button")
    run_now.evaluate(WATCH_FOCUS, "aria-disabled")
    run_now.click()
    live = browser_page.get_by_test_id("live-progress")
    expect(live).to_have_attribute("data-status", "running")
    # Off while the run it started is in progress, yet still focused and saying why.
    expect(run_now).to_be_focused()
    expect(live).to_have_attribute("data-status", "done", timeout=RUN_TIMEOUT)
    assert run_now.evaluate("(el) => el.__offWhileFocused") is True, "Run now was never off while focused"
    assert run_now.evaluate("(el) => el.__reason") == "A run is already in progress."
    expect(run_now).to_be_enabled()
    expect(run_now).to_be_focused()
    # Enter on the focused button starts the next run: the keyboard user never lost their place.
    first_run = live.get_attribute("data-run-id") or ""
    browser_page.keyboard.press("Enter")
    expect(live).not_to_have_attribute("data-run-id", first_run)
    expect(live).to_have_attribute("data-status", "done", timeout=RUN_TIMEOUT)
    expect(run_now).to_be_focused()

    # Delete task is a danger button after Run in the tab order.
    delete = browser_page.get_by_test_id("delete-task-button")
    expect(delete).to_have_class("btn btn-danger")
    run_now.focus()
    tab_to(browser_page, delete)
    order = browser_page.evaluate(
        """() => [...document.querySelectorAll('button, a[href], select, input, textarea, [tabindex="0"]')]
            .map((el) => el.dataset.testid)"""
    )
    assert order.index("run-button") < order.index("delete-task-button")
    row = browser_page.get_by_test_id("account-row").first
    row_buttons = row.locator("button").evaluate_all("(els) => els.map((el) => el.dataset.testid)")
    assert row_buttons[-1] == "account-delete-button"
    expect(row.get_by_test_id("account-delete-button")).to_have_class("btn btn-danger btn-sm")
