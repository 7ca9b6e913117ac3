"""axe-core on every screen of the console (tests/e2e/a11y.py): sign-in, tasks, a task with a
finished run and its folder mapping loaded (its run log dialog too), the run log page (both also
at 390 px), servers, audit, users, notifications and the account page; and on the dialogs as they
stand open: delete a task, cancel a run, import a CSV, test a server.
No serious or critical WCAG 2.1 A/AA violation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from testbed.dovecot import ImapServer
from testbed.faultproxy import FaultProxy
from tests.e2e.a11y import assert_accessible
from tests.e2e.browser_log import BrowserLog
from tests.e2e.conftest import Source
from tests.e2e.pages import Api, add_servers, finished_run, go_to, login, task_with_accounts, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.imap, pytest.mark.celery]

# Screens reached by address once signed in: (name, path, what shows that the page is loaded).
SCREENS = [
    ("servers", "/endpoints", "endpoint-row"),
    ("audit", "/audit", "audit-row"),
    ("users", "/users", "user-row"),
]


def test_every_screen_passes_axe(
    new_page: Callable[..., tuple[Page, BrowserLog]],
    admin: tuple[str, str],
    stack: str,
    src_server: ImapServer,
    dst_server: ImapServer,
    sources: dict[str, Source],
    dst_user: Callable[[str], str],
) -> None:
    source = sources["corpus"]
    task_id, run_id = finished_run(
        Api(stack, *admin), src_server, dst_server, source.username, dst_user("small")
    )
    page, _ = new_page()
    page.goto("/login")
    expect(page.get_by_label("Username")).to_be_visible()
    assert_accessible(page, "login")
    login(page, *admin)

    expect(page.get_by_test_id("task-row")).to_have_count(1)
    assert_accessible(page, "tasks")

    page.goto(f"/tasks/{task_id}")
    expect(page.get_by_test_id("live-progress")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("account-row")).to_have_count(1)
    page.get_by_test_id("load-plan-button").click()
    expect(page.get_by_test_id("folder-row").first).to_be_visible()
    assert_accessible(page, "task-detail")
    page.get_by_test_id("run-log-button").click()
    expect(page.get_by_test_id("run-row")).to_have_count(1)
    assert_accessible(page, "run-log-dialog")
    page.keyboard.press("Escape")

    page.goto(f"/runs/{run_id}")
    expect(page.get_by_test_id("run-log-account")).to_have_count(1)
    page.get_by_test_id("run-log-account").locator("summary").first.click()
    assert_accessible(page, "run-page")

    for name, path, ready in SCREENS:
        page.goto(path)
        expect(page.get_by_test_id(ready).first).to_be_visible()
        assert_accessible(page, name)
    for name, path, heading in (
        ("notifications", "/settings/notifications", "Notifications"),
        ("account", "/account", "Your account"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page, name)

    phone, _ = new_page(width=390, height=844)
    login(phone, *admin)
    phone.goto(f"/runs/{run_id}")
    expect(phone.get_by_test_id("run-log-account")).to_have_count(1)
    assert_accessible(phone, "run-page-phone")
    phone.goto(f"/tasks/{task_id}")
    phone.get_by_test_id("load-plan-button").click()
    expect(phone.get_by_test_id("folder-row").first).to_be_visible()
    assert_accessible(phone, "task-detail-phone")


def test_open_dialogs_pass_axe(
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
    # A slow destination, so that the run is still going when its Cancel dialog is checked.
    with FaultProxy(dst_server.port_plain, rate=1_000_000) as slow:
        servers = add_servers(api, (src_server.host, src_server.port_plain), (dst_server.host, slow.port))
        task_id, _ = task_with_accounts(
            api, "Dialogs", servers, [(sources["big"].username, dst_user("e2edst"), "secret")]
        )
        login(browser_page, *admin)
        browser_page.goto(f"/tasks/{task_id}")
        dialog = browser_page.locator("[data-testid=confirm-dialog][open]")

        browser_page.get_by_test_id("delete-task-button").click()
        expect(dialog).to_contain_text("Delete the task")
        assert_accessible(browser_page, "dialog-delete-task")
        dialog.get_by_test_id("confirm-dismiss").click()
        expect(dialog).to_be_hidden()

        browser_page.get_by_test_id("import-csv-button").click()
        csv = browser_page.get_by_test_id("csv-import")
        csv.get_by_test_id("csv-text").fill(
            "src_user,src_password,dst_user,dst_password\nann,pw,ann@new,pw\nbob,pw\n"
        )
        expect(csv.get_by_test_id("csv-line-error")).to_have_count(1)  # the preview with a refused line
        assert_accessible(browser_page, "dialog-csv-import")
        browser_page.keyboard.press("Escape")
        expect(csv).to_be_hidden()

        browser_page.get_by_test_id("run-button").click()
        expect(browser_page.get_by_test_id("live-progress")).to_have_attribute("data-status", "running")
        browser_page.get_by_test_id("cancel-button").click()
        expect(dialog).to_contain_text("Cancel the run?")
        assert_accessible(browser_page, "dialog-cancel-run")
        dialog.get_by_test_id("confirm-button").click()
        live = browser_page.get_by_test_id("live-progress")
        expect(live).to_have_attribute("data-status", "cancelled", timeout=60_000)
        # The job stops after its batch: let it finish that at full speed, and close the proxy only
        # once it has, or the next tests would find a worker busy reconnecting to it.
        slow.rate = None
        run_id = live.get_attribute("data-run-id")
        wait_for("the job to stop", lambda: api.get(f"/api/runs/{run_id}")["run"]["finished_at"] is not None)

    go_to(browser_page, "Servers")
    browser_page.get_by_test_id("add-endpoint-button").click()
    form = browser_page.get_by_test_id("endpoint-form")
    form.get_by_label("Host").fill(src_server.host)
    form.get_by_label("TLS mode").select_option("plain")
    form.get_by_label("Port").fill(str(src_server.port_plain))
    form.get_by_label("Test user (optional)").fill("probe-user")
    form.get_by_label("Its password").fill(src_server.password)
    form.get_by_test_id("endpoint-test-button").click()
    expect(form.get_by_test_id("endpoint-test-result")).to_have_attribute("data-login", "ok", timeout=30_000)
    assert_accessible(browser_page, "dialog-endpoint-test")
    browser_page.keyboard.press("Escape")
    expect(form).to_be_hidden()
