"""A scheduled run that ends with errors breaks the task: the account's logins test OK, but
its destination (a `small...` user, 1 MiB limit) refuses the corpus's ~3 MB message. The real beat
starts the run once its due time is moved into the past; the open page learns of the break from the
websocket and shows the broken badge, the schedule back to Off, and the run's errors. Then the tasks
list, and the task detail in a narrow window."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from testbed.dovecot import ImapServer
from tests.e2e.browser_log import BrowserLog
from tests.e2e.conftest import Source
from tests.e2e.pages import (
    Api,
    account_row,
    add_account,
    expect_tested,
    go_to,
    login,
    make_schedule_due,
    screenshot,
)

pytestmark = [pytest.mark.e2e, pytest.mark.imap, pytest.mark.celery]
BREAK_TIMEOUT = 60_000


def _task_via_api(base_url: str, admin: tuple[str, str], src: ImapServer, dst: ImapServer) -> int:
    """Servers and task through the API: the other test creates them in the UI."""
    api = Api(base_url, *admin)
    ids = []
    for name, server in (("Old provider", src), ("Small mailboxes", dst)):
        body = {"name": name, "host": server.host, "port": server.port_plain, "tls_mode": "plain"}
        ids.append(api.post("/api/endpoints", body)["id"])
    task = api.post(
        "/api/tasks", {"name": "Nightly delta", "src_endpoint_id": ids[0], "dst_endpoint_id": ids[1]}
    )
    return int(task["id"])


def _schedule_hourly(page: Page) -> None:
    select = page.get_by_test_id("schedule-select")
    select.select_option("3600")
    expect(select).to_have_attribute("data-server-value", "3600")
    expect(page.get_by_test_id("schedule-control").get_by_test_id("next-run")).to_contain_text("Next run: ")


def _expect_broken_detail(page: Page, source: Source) -> None:
    detail = page.get_by_test_id("task-detail")
    expect(detail.get_by_test_id("broken-badge")).to_be_visible(timeout=BREAK_TIMEOUT)
    expect(detail.get_by_test_id("broken-badge")).to_have_count(1)
    select = page.get_by_test_id("schedule-select")
    expect(select).to_have_value("0")
    expect(select).to_have_attribute("data-server-value", "0")
    expect(page.get_by_test_id("schedule-control").get_by_test_id("next-run")).to_have_text(
        "Schedule stopped: a scheduled run ended with errors"
    )
    live = page.get_by_test_id("live-progress")
    expect(live).to_contain_text("scheduled")
    expect(page.get_by_test_id("run-total-errors")).to_have_text(str(source.oversized))
    expect(page.get_by_test_id("run-total-copied")).to_have_text(f"{source.messages - source.oversized:,}")
    # The page never reloaded and does not poll while its websocket is up: the events brought this.
    expect(page.get_by_test_id("socket-status")).to_have_attribute("data-status", "open")
    screenshot(page, "11-broken-detail")


def _expect_run_log_errors(page: Page, source: Source) -> None:
    page.get_by_test_id("run-log-button").click()
    modal = page.get_by_test_id("run-log-modal")
    row = modal.get_by_test_id("run-row")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-trigger", "scheduled")
    expect(row.get_by_role("cell").nth(6)).to_have_text(str(source.oversized))  # the Errors column
    row.get_by_test_id("run-row-toggle").click()
    details = modal.get_by_test_id("run-details")
    errors = f"{source.oversized} error{'' if source.oversized == 1 else 's'}"
    expect(details.get_by_test_id("run-account-row")).to_contain_text(
        f"{source.messages - source.oversized:,} copied · 0 skipped · {errors} ·"
    )
    details.locator("details summary").click()
    expect(details.get_by_test_id("run-error")).to_have_count(source.oversized)
    screenshot(page, "12-run-log-errors", full_page=False)
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()


def _expect_breaker_audited(page: Page, task_id: int) -> None:
    """The Audit page, filtered to the scheduler's acts, shows the trip (written by the worker)."""
    go_to(page, "Audit")
    page.get_by_test_id("audit-filter-user").fill("scheduler")
    page.get_by_test_id("audit-filter-task_id").fill(str(task_id))
    page.get_by_role("button", name="Filter").click()
    entry = page.get_by_test_id("audit-row")
    expect(entry).to_have_count(1)
    expect(entry).to_have_attribute("data-action", "task_broken")
    expect(entry).to_contain_text("schedule_interval_seconds: 3600 → 0")


def test_scheduled_run_with_errors_breaks_the_task(
    new_page: Callable[..., tuple[Page, BrowserLog]],
    admin: tuple[str, str],
    stack: str,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    sources: dict[str, Source],
    dst_user: Callable[[str], str],
) -> None:
    source = sources["corpus"]
    assert source.oversized > 0
    task_id = _task_via_api(stack, admin, src_server, dst_server)
    page, _ = new_page()
    login(page, *admin)
    page.goto(f"/tasks/{task_id}")
    add_account(page, source.username, "secret", dst_user("small"), "secret")
    page.get_by_test_id("test-all-button").click()
    expect_tested(account_row(page, source.username), "ok", "ok")
    _schedule_hourly(page)
    expect(page.get_by_test_id("socket-status")).to_have_attribute("data-status", "open")

    make_schedule_due(clean_db, task_id)  # the beat scans every second
    _expect_broken_detail(page, source)
    _expect_run_log_errors(page, source)
    _expect_breaker_audited(page, task_id)

    go_to(page, "Tasks")
    row = page.locator(f"[data-testid=task-row][data-task-id='{task_id}']")
    expect(row.get_by_test_id("broken-badge")).to_be_visible()
    expect(row.get_by_test_id("task-schedule")).to_have_text("Off")
    expect(row.get_by_test_id("next-run")).to_have_text("Schedule stopped: a scheduled run ended with errors")
    expect(row.get_by_test_id("last-run")).to_contain_text("scheduled")
    screenshot(page, "13-broken-list")

    narrow, _ = new_page(width=420, height=900)
    login(narrow, *admin)
    narrow.goto(f"/tasks/{task_id}")
    expect(narrow.get_by_test_id("task-detail").get_by_test_id("broken-badge")).to_be_visible()
    expect(narrow.get_by_test_id("account-row")).to_have_count(1)
    overflow = narrow.evaluate(
        "() => [document.documentElement.scrollWidth - document.documentElement.clientWidth,"
        " document.body.scrollWidth - document.body.clientWidth]"
    )
    assert overflow == [0, 0], f"horizontal overflow in a 420 px window: {overflow}"
    screenshot(narrow, "14-narrow-task-detail")
