"""A task with 500 accounts in the browser: the page shows one server page of them, searches and
filters on the server, and runs the 50 selected accounts. Prints the time to the first rendered row
(a figure, never asserted)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models import Account
from testbed.dovecot import ImapServer
from tests.e2e.browser_log import BrowserLog
from tests.e2e.pages import Api, login, screenshot
from tests.imap_fixtures import new_username
from tests.support.factories import mark_tested
from tests.support.rows import account_runs, runs_of, wait_finished

pytestmark = [pytest.mark.e2e, pytest.mark.imap, pytest.mark.celery]
ACCOUNTS = 500
SELECTED = 50
DASH = "\N{EN DASH}"  # the range reads "1 to 50 of 500" with an en dash


def _task_with_accounts(base_url: str, admin: tuple[str, str], src: ImapServer, dst: ImapServer) -> int:
    api = Api(base_url, *admin)
    ids = []
    for name, server in (("Old", src), ("New", dst)):
        body = {"name": name, "host": server.host, "port": server.port_plain, "tls_mode": "plain"}
        ids.append(api.post("/api/endpoints", body)["id"])
    task_id = int(
        api.post("/api/tasks", {"name": "Big company", "src_endpoint_id": ids[0], "dst_endpoint_id": ids[1]})[
            "id"
        ]
    )
    prefix = new_username("big")
    lines = [f"{prefix}-{n:03d},{src.password},{prefix}-{n:03d},{dst.password}" for n in range(ACCOUNTS)]
    response = api.session.post(
        f"{base_url}/api/tasks/{task_id}/accounts/import",
        data="\n".join(lines),
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 201, response.text
    return task_id


def test_five_hundred_accounts_search_filter_select_and_run(
    new_page: Callable[..., tuple[Page, BrowserLog]],
    admin: tuple[str, str],
    stack: str,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
) -> None:
    task_id = _task_with_accounts(stack, admin, src_server, dst_server)
    with Session(clean_db) as session, session.begin():
        ids = list(
            session.scalars(Account.__table__.select().with_only_columns(Account.id).order_by(Account.id))
        )
        mark_tested(session, ids)
        failing = ids[-1]  # on the last page: the first page's accounts are all ready
        session.execute(update(Account).where(Account.id == failing).values(test_src_status="fail"))
    page, _ = new_page()
    login(page, *admin)

    started = time.monotonic()
    page.goto(f"/tasks/{task_id}")
    rows = page.get_by_test_id("account-row")
    expect(rows.first).to_be_visible()
    first_render_ms = (time.monotonic() - started) * 1000
    print(f"\n500 accounts: first account row rendered {first_render_ms:.0f} ms after navigation")
    expect(rows).to_have_count(SELECTED)
    expect(page.get_by_test_id("accounts-range")).to_have_text(f"1{DASH}{SELECTED} of {ACCOUNTS}")
    screenshot(page, "20-many-accounts")

    search = page.get_by_test_id("accounts-search")
    search.fill("-042")
    expect(rows).to_have_count(1)
    expect(page.get_by_test_id("accounts-range")).to_have_text(f"1{DASH}1 of 1")
    search.fill("")
    expect(page.get_by_test_id("accounts-range")).to_have_text(f"1{DASH}{SELECTED} of {ACCOUNTS}")
    page.get_by_test_id("accounts-filter-test").select_option("fail")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-account-id", str(failing))
    page.get_by_test_id("accounts-filter-test").select_option("")
    page.get_by_test_id("accounts-next").click()
    expect(page.get_by_test_id("accounts-range")).to_have_text(
        f"{SELECTED + 1}{DASH}{2 * SELECTED} of {ACCOUNTS}"
    )
    page.get_by_test_id("accounts-previous").click()
    expect(page.get_by_test_id("accounts-range")).to_have_text(f"1{DASH}{SELECTED} of {ACCOUNTS}")

    page.get_by_test_id("select-page").check()
    expect(page.get_by_test_id("selected-count")).to_have_text(f"{SELECTED} selected")
    page.get_by_test_id("bulk-run").click()
    expect(page.get_by_test_id("toast").filter(has_text="Run started")).to_be_visible()
    [run] = runs_of(clean_db, task_id)
    finished = wait_finished(clean_db, run.id, timeout=180)
    assert sorted(row.account_id for row in account_runs(clean_db, run.id)) == ids[:SELECTED]
    assert finished.total_errors == 0
    live = page.get_by_test_id("live-progress")
    expect(live).to_have_attribute("data-status", "done")
    expect(live.get_by_test_id("account-progress")).to_have_count(20)  # the rest are counted, not listed
    expect(live.get_by_test_id("live-collapsed")).to_contain_text(f"and {SELECTED - 20} done")
    page.get_by_test_id("accounts-filter-outcome").select_option("done")
    expect(page.get_by_test_id("accounts-range")).to_have_text(f"1{DASH}{SELECTED} of {SELECTED}")

    # The one failing account keeps the schedule off until it is paused.
    select = page.get_by_test_id("schedule-select")
    expect(page.get_by_test_id("schedule-reason")).to_contain_text("1 account failed the login test")
    expect(select).to_be_disabled()
    page.get_by_test_id("accounts-filter-outcome").select_option("")
    page.get_by_test_id("accounts-filter-test").select_option("fail")
    page.get_by_test_id("account-pause-button").click()
    expect(rows.first).to_have_attribute("data-enabled", "false")
    expect(page.get_by_test_id("accounts-readiness")).to_contain_text("; 1 paused")
    expect(page.get_by_test_id("schedule-reason")).to_be_hidden()
    expect(select).to_be_enabled()
    select.select_option("3600")
    expect(select).to_have_attribute("data-server-value", "3600")
