"""A run watched live over a slow link: the run's time left and its pace (messages and bytes per
second) show while it copies, and a page reloaded mid-run lists the running account's folders at
once, from the progress the job saved (docs/console.md, "Run ETA", "Per-folder live view").

The destination sits behind the test bed's proxy, capped at RATE bytes per second, so the big
mailbox (about 40 MB) takes long enough to read an ETA."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from testbed.dovecot import ImapServer
from testbed.faultproxy import FaultProxy
from tests.e2e.browser_log import BrowserLog
from tests.e2e.conftest import Source
from tests.e2e.pages import Api, add_servers, login, screenshot, task_with_accounts, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.imap, pytest.mark.celery]
RATE = 2_000_000  # bytes per second towards the destination: the copy takes about 20 s
DURATION = re.compile(r"^(about )?\d+ (s|min \d{2} s|h \d{2} min)$")
PACE = re.compile(r"^[\d.,]+ msg/s · [\d.,]+ (B|kB|MB)/s$")


def test_eta_shown_during_a_run(
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
    with FaultProxy(dst_server.port_plain, rate=RATE) as slow:
        servers = add_servers(api, (src_server.host, src_server.port_plain), (dst_server.host, slow.port))
        task_id, _ = task_with_accounts(
            api, "Slow link", servers, [(sources["big"].username, dst_user("e2edst"), "secret")]
        )
        login(browser_page, *admin)
        browser_page.goto(f"/tasks/{task_id}")
        browser_page.get_by_test_id("run-button").click()
        live = browser_page.get_by_test_id("live-progress")
        expect(live).to_have_attribute("data-status", "running")
        run_id = int(live.get_attribute("data-run-id") or 0)

        eta = browser_page.get_by_test_id("run-total-eta")
        expect(eta).to_have_text(DURATION, timeout=30_000)
        expect(browser_page.get_by_test_id("run-total-rate")).to_have_text(PACE)
        account = browser_page.get_by_test_id("account-progress").first
        expect(account.get_by_test_id("account-counts")).to_contain_text(" left")
        screenshot(browser_page, "33-run-eta")

        # Reloaded mid-run: the folders of the running account are listed from the saved progress,
        # every folder of its plan, those done before the reload too (no event tells of them again).
        wait_for("a folder done", lambda: any(f["state"] == "done" for f in _saved_folders(api, run_id)))
        done_before = next(f["folder"] for f in _saved_folders(api, run_id) if f["state"] == "done")
        browser_page.reload()
        expect(live).to_have_attribute("data-status", "running")
        folders = browser_page.get_by_test_id("live-folder")
        expect(folders.and_(browser_page.locator(f"[data-folder='{done_before}']"))).to_have_attribute(
            "data-state", "done"
        )
        saved = _saved_folders(api, run_id)
        assert len(saved) >= 10
        expect(folders).to_have_count(len(saved))
        expect(browser_page.get_by_test_id("live-folders")).to_contain_text(f"of {len(saved)} folders done")
        expect(eta).to_have_text(DURATION, timeout=30_000)  # the pace comes back with the next progress

        api.post(f"/api/tasks/{task_id}/cancel", {})
        expect(live).to_have_attribute("data-status", "cancelled", timeout=60_000)
        expect(eta).to_have_count(0)
        # The job stops after its batch: let it finish that at full speed, and close the proxy only
        # once it has, or the next tests would find a worker busy reconnecting to it.
        slow.rate = None
        wait_for("the job to stop", lambda: api.get(f"/api/runs/{run_id}")["run"]["finished_at"] is not None)


def _saved_folders(api: Api, run_id: int) -> list[dict[str, object]]:
    accounts = api.get(f"/api/runs/{run_id}")["accounts"]
    return list(accounts[0]["live_folders"]) if accounts else []
