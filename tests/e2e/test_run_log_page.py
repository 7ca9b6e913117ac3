"""The run log page: opened from the task's run log on a phone-sized window (390 px), it drills
down from the account to the folder to the refused messages, each saying side and kind, exports
the results as CSV, and never scrolls sideways.
The folder mapping, at the same width, neither. The run is set up through the API: a `small...`
destination (1 MiB limit) refuses the corpus's ~3 MB message."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from testbed.dovecot import ImapServer
from tests.e2e.browser_log import BrowserLog
from tests.e2e.conftest import Source
from tests.e2e.pages import ARTIFACTS, Api, finished_run, login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.imap, pytest.mark.celery]
NO_SIDEWAYS_SCROLL = (
    "() => [document.documentElement.scrollWidth - document.documentElement.clientWidth,"
    " document.body.scrollWidth - document.body.clientWidth]"
)
# How far an element's content sticks out of its box sideways (a table in a scrolling wrapper).
OVERFLOW_OF = "(el) => el.scrollWidth - el.clientWidth"


def test_run_log_page_on_a_phone(
    new_page: Callable[..., tuple[Page, BrowserLog]],
    admin: tuple[str, str],
    stack: str,
    src_server: ImapServer,
    dst_server: ImapServer,
    sources: dict[str, Source],
    dst_user: Callable[[str], str],
) -> None:
    source = sources["corpus"]
    assert source.oversized > 0
    task_id, run_id = finished_run(
        Api(stack, *admin), src_server, dst_server, source.username, dst_user("small")
    )

    page, _ = new_page(width=390, height=844)
    login(page, *admin)
    page.goto(f"/tasks/{task_id}")
    page.get_by_test_id("run-log-button").click()
    page.get_by_test_id("run-log-modal").get_by_test_id("run-row-open").click()
    expect(page).to_have_url(f"{stack}/runs/{run_id}")
    expect(page.get_by_role("heading", name=f"Run #{run_id}")).to_be_visible()

    account = page.get_by_test_id("run-log-account")
    expect(account).to_have_count(1)
    account.locator("summary").first.click()
    folder = account.locator("[data-testid=run-log-folder][data-errors='1']")
    expect(folder).to_have_count(source.oversized)
    folder.first.locator("summary").click()
    error = folder.first.get_by_test_id("run-log-error")
    expect(error).to_have_attribute("data-side", "dst")
    expect(error.get_by_test_id("run-log-error-what")).to_have_text("Destination message too large")
    expect(error).to_contain_text("UID ")

    assert page.evaluate(NO_SIDEWAYS_SCROLL) == [0, 0], "the run log page scrolls sideways at 390 px"
    screenshot(page, "15-run-log-phone")

    with page.expect_download() as download:
        page.get_by_test_id("run-csv-export").click()
    assert download.value.suggested_filename == f"run-{run_id}-task-{task_id}.csv"
    path = download.value.path()
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [r["line"] for r in rows] == ["account", *["error"] * source.oversized]
    assert rows[0]["src_user"] == source.username
    assert int(rows[0]["copied"]) == source.messages - source.oversized
    assert {(r["side"], r["kind"]) for r in rows[1:]} == {("dst", "size")}

    page.goto(f"/tasks/{task_id}")
    mapping = page.get_by_test_id("folder-mapping")
    mapping.get_by_test_id("load-plan-button").click()
    expect(mapping.get_by_test_id("folder-row").first).to_be_visible()
    mapping.scroll_into_view_if_needed()
    assert page.evaluate(NO_SIDEWAYS_SCROLL) == [0, 0], "the task page scrolls sideways at 390 px"
    table = mapping.get_by_test_id("folder-mapping-table")
    assert table.evaluate("(el) => el.parentElement.scrollWidth - el.parentElement.clientWidth") == 0, (
        "the folder mapping scrolls sideways at 390 px"
    )
    screenshot(page, "16-folder-mapping-phone")
    mapping.screenshot(path=ARTIFACTS / "16-folder-mapping-phone-section.png")
