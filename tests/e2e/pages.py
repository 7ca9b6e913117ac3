"""Page helpers for the end-to-end tests: what an admin does on each screen, by label and test id."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.config import REPO_ROOT

if TYPE_CHECKING:
    from testbed.dovecot import ImapServer

ARTIFACTS = REPO_ROOT / "test-artifacts" / "e2e"
MAX_TABS = 80


# Toasts fade by themselves after 4 s; in a screenshot they only hide what is under them. Hidden
# through the DOM: Playwright's `style=` option injects a <style> element, which the console's CSP
# refuses (and the browser log would report as a violation).
TOGGLE_TOASTS = """(hidden) => document.querySelectorAll('.toasts').forEach((el) => hidden
  ? el.style.setProperty('visibility', 'hidden', 'important')
  : el.style.removeProperty('visibility'))"""


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """test-artifacts/e2e/<name>.png, with fonts loaded and animations stopped. A modal's backdrop
    covers the viewport only, so screenshots of a modal take the viewport (full_page=False)."""
    page.evaluate("document.fonts.ready")
    page.evaluate(TOGGLE_TOASTS, True)
    try:
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=full_page, animations="disabled")
    finally:
        page.evaluate(TOGGLE_TOASTS, False)


def tab_to(page: Page, target: Locator) -> int:
    """Press Tab until `target` has the focus, the way a keyboard user reaches it; returns the presses.

    Raises AssertionError when MAX_TABS presses never reach it (it is not in the tab order)."""
    handle = target.element_handle()
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return presses
    raise AssertionError(f"{MAX_TABS} Tab presses never reached {target}")


def press_enter_on(page: Page, target: Locator) -> None:
    """Reach `target` by Tab and operate it with Enter."""
    tab_to(page, target)
    page.keyboard.press("Enter")


def login(page: Page, username: str, password: str) -> None:
    """Sign in with the mouse."""
    page.goto("/login")
    form = page.get_by_test_id("login-form")
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-user")).to_contain_text(username)


def login_with_keyboard(page: Page, username: str, password: str) -> None:
    """Sign in using only the keyboard: Tab into each field, type, Enter on the button."""
    form = page.get_by_test_id("login-form")
    expect(form).to_be_visible()
    tab_to(page, form.get_by_label("Username"))
    page.keyboard.type(username)
    tab_to(page, form.get_by_label("Password"))
    page.keyboard.type(password)
    press_enter_on(page, page.get_by_test_id("login-submit"))
    expect(page.get_by_test_id("current-user")).to_contain_text(username)


def go_to(page: Page, section: str) -> None:
    """Follow a link of the main navigation ("Tasks", "Servers")."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()


def add_server(page: Page, name: str, host: str, port: int, tls_mode: str, *, verify: bool = True) -> None:
    """Servers page: add one through the form (TLS mode first: it resets an untouched port)."""
    page.get_by_test_id("add-endpoint-button").click()
    form = page.get_by_test_id("endpoint-form")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Host").fill(host)
    form.get_by_label("TLS mode").select_option(tls_mode)
    form.get_by_label("Port").fill(str(port))
    form.get_by_label("Verify the server certificate").set_checked(verify)
    form.get_by_test_id("endpoint-submit").click()
    expect(form).to_be_hidden()
    expect(page.get_by_test_id("endpoint-row").filter(has_text=name)).to_be_visible()


def create_task(page: Page, name: str, src_name: str, dst_name: str) -> int:
    """Tasks page: create one; the UI opens its detail page. Returns the task id."""
    page.get_by_test_id("add-task-button").first.click()
    form = page.get_by_test_id("task-form")
    form.get_by_label("Task name").fill(name)
    for label, server in (("Source server", src_name), ("Destination server", dst_name)):
        select = form.get_by_label(label)
        select.select_option(select.locator("option", has_text=f"{server} (").get_attribute("value"))
    form.get_by_test_id("task-submit").click()
    detail = page.get_by_test_id("task-detail")
    expect(detail).to_be_visible()
    return int(detail.get_attribute("data-task-id") or 0)


def import_csv(page: Page, csv_text: str, count: int) -> None:
    """Task detail: paste a CSV into the import dialog, check the preview, import."""
    page.get_by_test_id("import-csv-button").click()
    dialog = page.get_by_test_id("csv-import")
    dialog.get_by_test_id("csv-text").fill(csv_text)
    expect(dialog.get_by_test_id("csv-preview")).to_contain_text(f"{count} accounts ready to import")
    expect(dialog.get_by_test_id("csv-line-error")).to_have_count(0)
    dialog.get_by_test_id("csv-import-button").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("account-row")).to_have_count(count)


def add_account(page: Page, src_user: str, src_password: str, dst_user: str, dst_password: str) -> None:
    """Task detail: add one account through the form."""
    page.get_by_test_id("add-account-button").click()
    form = page.get_by_test_id("account-form")
    form.get_by_label("Source username").fill(src_user)
    form.get_by_label("Source password").fill(src_password)
    form.get_by_label("Destination username").fill(dst_user)
    form.get_by_label("Destination password").fill(dst_password)
    form.get_by_test_id("account-submit").click()
    expect(form).to_be_hidden()


def account_row(page: Page, src_user: str) -> Locator:
    return page.get_by_test_id("account-row").filter(has=page.get_by_text(src_user, exact=True))


def expect_tested(row: Locator, src: str, dst: str, timeout: float = 20_000) -> None:
    expect(row.get_by_test_id("account-src-status")).to_have_attribute("data-status", src, timeout=timeout)
    expect(row.get_by_test_id("account-dst-status")).to_have_attribute("data-status", dst, timeout=timeout)


def local_time_text(iso: str, zone: str) -> str:
    """How en-US Intl (dateStyle medium, timeStyle short) writes the instant in `zone`, computed
    independently of the browser: "Nov 28, 2025, 5:42 AM"."""
    when = datetime.fromisoformat(iso).astimezone(ZoneInfo(zone))
    hour = when.hour % 12 or 12
    return f"{when:%b} {when.day}, {when.year}, {hour}:{when:%M} {'AM' if when.hour < 12 else 'PM'}"


def gmt_offset_text(iso: str, zone: str) -> str:
    """The zone's offset at that instant as Intl's shortOffset writes it: "GMT+1", "GMT+5:30", "GMT"."""
    offset = datetime.fromisoformat(iso).astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "GMT"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02}" if rest else "")


def normalized(text: str) -> str:
    """Intl separates the time from AM/PM with a narrow no-break space."""
    return re.sub(r"[\u202f\u00a0]", " ", text)


def make_schedule_due(engine: Engine, task_id: int) -> None:
    """Move the task's schedule one interval (and a second) into the past, as if the admin had
    enabled it then: the anchor, and next_due_at (what the scan reads, app/services/schedules.py)."""
    with engine.begin() as conn:
        moved = conn.execute(
            text(
                "UPDATE tasks SET next_due_at = now() - interval '1 second',"
                " schedule_anchor = now() - make_interval(secs => schedule_interval_seconds + 1)"
                " WHERE id = :id AND schedule_interval_seconds > 0"
            ),
            {"id": task_id},
        )
        assert moved.rowcount == 1


class Api:
    """A logged-in HTTP client for setting up what a test does not exercise through the UI."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        response = self.session.post(
            f"{base_url}/api/auth/login", json={"username": username, "password": password}
        )
        response.raise_for_status()
        self.session.headers["X-CSRF-Token"] = response.json()["csrf_token"]

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.session.post(f"{self.base_url}{path}", json=body)
        assert response.ok, response.text
        result: dict[str, Any] = response.json()
        return result

    def get(self, path: str) -> Any:
        response = self.session.get(f"{self.base_url}{path}")
        assert response.ok, response.text
        return response.json()


API_WAIT_SECONDS = 60


def wait_for(what: str, check: Callable[[], bool]) -> None:
    """Polls `check` until it holds, for API_WAIT_SECONDS at most."""
    deadline = time.monotonic() + API_WAIT_SECONDS
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def add_servers(api: Api, src: tuple[str, int], dst: tuple[str, int]) -> tuple[int, int]:
    """Two plain-IMAP servers, "Old provider" and "New provider", at (host, port); their ids."""
    ids = []
    for name, (host, port) in (("Old provider", src), ("New provider", dst)):
        ids.append(
            api.post("/api/endpoints", {"name": name, "host": host, "port": port, "tls_mode": "plain"})["id"]
        )
    return ids[0], ids[1]


def task_with_accounts(
    api: Api, name: str, servers: tuple[int, int], accounts: list[tuple[str, str, str]]
) -> tuple[int, list[int]]:
    """A task with (src user, dst user, dst password) accounts (source password "secret"), their
    logins tested (each ends ok or fail); (task id, account ids)."""
    task_id = int(
        api.post("/api/tasks", {"name": name, "src_endpoint_id": servers[0], "dst_endpoint_id": servers[1]})[
            "id"
        ]
    )
    ids = []
    for src_user, dst_user, dst_password in accounts:
        body = {
            "src_username": src_user,
            "src_password": "secret",
            "dst_username": dst_user,
            "dst_password": dst_password,
        }
        ids.append(int(api.post(f"/api/tasks/{task_id}/accounts", body)["id"]))
    api.post(f"/api/tasks/{task_id}/test", {})

    def tested() -> bool:
        rows = api.get(f"/api/tasks/{task_id}/accounts")
        return all("untested" not in (r["test_src_status"], r["test_dst_status"]) for r in rows)

    wait_for("the login tests", tested)
    return task_id, ids


def finished_run(api: Api, src: ImapServer, dst: ImapServer, src_user: str, dst_user: str) -> tuple[int, int]:
    """A task with one account whose destination refuses a message, run once; (task id, run id)."""
    servers = add_servers(api, (src.host, src.port_plain), (dst.host, dst.port_plain))
    task_id, _ = task_with_accounts(api, "Run check", servers, [(src_user, dst_user, "secret")])
    run_id = int(api.post(f"/api/tasks/{task_id}/run", {})["run_id"])
    wait_for("the run", lambda: api.get(f"/api/runs/{run_id}")["run"]["finished_at"] is not None)
    return task_id, run_id
