"""The folder mapping cannot promise the impossible: a destination the destination server cannot hold
is refused as it is typed (the reason next to the field, Save off) and by the API; the include/exclude
regex rules preview what they match as they are typed, are saved with the mapping, and the next plan,
and a run, leave those folders out (docs/console.md, "Folder rules").

The destination test server separates levels with "." under the prefix "INBOX."; the source writes
"/" (tests/imap_fixtures.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from testbed.dovecot import ImapServer
from tests.e2e.browser_log import BrowserLog
from tests.e2e.conftest import Source
from tests.e2e.pages import Api, add_servers, login, screenshot, task_with_accounts, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.imap, pytest.mark.celery]
PLAN_TIMEOUT = 60_000


def _open_mapping(page: Page, task_id: int) -> None:
    page.goto(f"/tasks/{task_id}")
    page.get_by_test_id("load-plan-button").click()
    expect(page.get_by_test_id("folder-row").first).to_be_visible(timeout=PLAN_TIMEOUT)


def _row(page: Page, folder: str) -> Locator:
    return page.locator(f"[data-testid=folder-row][data-folder='{folder}']")


def _task(
    stack: str, admin: tuple[str, str], src: ImapServer, dst: ImapServer, src_user: str, dst_user: str
) -> int:
    api = Api(stack, *admin)
    servers = add_servers(api, (src.host, src.port_plain), (dst.host, dst.port_plain))
    task_id, _ = task_with_accounts(api, "Rules", servers, [(src_user, dst_user, "secret")])
    return task_id


def test_a_mapping_to_an_impossible_name_is_refused_before_saving(
    page: tuple[Page, BrowserLog],
    admin: tuple[str, str],
    stack: str,
    src_server: ImapServer,
    dst_server: ImapServer,
    sources: dict[str, Source],
    dst_user: Callable[[str], str],
) -> None:
    browser_page, _ = page
    task_id = _task(stack, admin, src_server, dst_server, sources["corpus"].username, dst_user("e2edst"))
    login(browser_page, *admin)
    _open_mapping(browser_page, task_id)
    save = browser_page.get_by_test_id("save-folder-mapping")
    destination = _row(browser_page, "Archive").get_by_test_id("folder-destination")

    cases = [
        ("Old*Stuff", 'A folder name cannot hold "*" or "%": IMAP reads them as LIST wildcards.'),
        ("Old Stuff", 'This server keeps folders under "INBOX.": write INBOX.Old Stuff.'),
        (
            "INBOX..Old",
            'A level of the name is empty: "." (this server\'s separator) at the start, at the end or '
            "twice in a row.",
        ),
        (
            "INBOX.Old/2019",
            'This server separates levels with ".", so "/" would be part of the name: for a subfolder write '
            "INBOX.Old.2019.",
        ),
        ("inbox", '"INBOX" also goes to "INBOX": two folders cannot share a destination.'),
    ]
    for typed, reason in cases:
        destination.fill(typed)
        error = _row(browser_page, "Archive").get_by_test_id("folder-destination-error")
        expect(error).to_have_text(reason)
        expect(destination).to_have_attribute("aria-invalid", "true")
        expect(destination).to_have_attribute("aria-describedby", error.get_attribute("id") or "")
        expect(save).to_be_disabled()
        expect(browser_page.get_by_test_id("save-folder-mapping-reason")).to_have_text(
            "1 destination name refused: fix it before saving."
        )
        if typed == "Old*Stuff":
            screenshot(browser_page, "30-mapping-refused")

    # The API refuses the name too (the rules that need no server), naming the folder.
    api = Api(stack, *admin)
    body = {"folder_mapping": {"Archive": "Old*Stuff"}, "exclude_folders": []}
    response = api.session.put(f"{stack}/api/tasks/{task_id}/folder-mapping", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "folder_mapping.Archive": 'A folder name cannot hold "*" or "%": IMAP reads them as LIST wildcards.'
    }
    assert api.get(f"/api/tasks/{task_id}")["task"]["folder_mapping"] == {}

    destination.fill("INBOX.Old Stuff")
    expect(_row(browser_page, "Archive").get_by_test_id("folder-destination-error")).to_have_count(0)
    expect(destination).not_to_have_attribute("aria-invalid", "true")
    expect(save).to_be_enabled()
    save.click()
    expect(browser_page.get_by_test_id("toast").filter(has_text="Folder mapping saved")).to_be_visible()
    assert api.get(f"/api/tasks/{task_id}")["task"]["folder_mapping"] == {"Archive": "INBOX.Old Stuff"}


def test_regex_rules_preview_then_save_and_the_plan_shows_the_folders_excluded_by_rule(
    page: tuple[Page, BrowserLog],
    admin: tuple[str, str],
    stack: str,
    src_server: ImapServer,
    dst_server: ImapServer,
    sources: dict[str, Source],
    dst_user: Callable[[str], str],
) -> None:
    browser_page, log = page
    log.expect(422, r"/api/tasks/\d+/folder-rules/preview$")  # the bad pattern typed on purpose
    task_id = _task(stack, admin, src_server, dst_server, sources["corpus"].username, dst_user("e2edst"))
    login(browser_page, *admin)
    _open_mapping(browser_page, task_id)
    rows = browser_page.get_by_test_id("folder-row")
    total = rows.count()
    assert total >= 12

    counts = browser_page.get_by_test_id("rules-preview-counts")
    expect(counts).to_have_attribute("data-copied", str(total))
    browser_page.get_by_test_id("rules-exclude").fill("^Projects/\n(?i)^archive$")
    # Projects/2024 and Projects/2024/Q1 by the first rule, Archive by the second (not Archive/2019).
    expect(counts).to_have_attribute("data-excluded", "3")
    expect(counts).to_contain_text(f"{total - 3} of {total} folders copied, 3 left out")
    preview = browser_page.get_by_test_id("rules-preview-folder")
    expect(preview.and_(browser_page.locator("[data-folder='Projects/2024/Q1']"))).to_have_attribute(
        "data-copied", "false"
    )
    expect(preview.and_(browser_page.locator("[data-folder='Projects/2024/Q1']"))).to_contain_text(
        "exclude rule ^Projects/"
    )
    expect(preview.and_(browser_page.locator("[data-folder='Archive/2019']"))).to_have_attribute(
        "data-copied", "true"
    )
    expect(_row(browser_page, "Archive").get_by_test_id("folder-left-out")).to_have_text(
        "left out: exclude rule (?i)^archive$"
    )
    expect(_row(browser_page, "Projects")).to_have_attribute("data-copied", "true")

    # An include rule that leaves INBOX out says so; a bad pattern is refused by line.
    include = browser_page.get_by_test_id("rules-include")
    include.fill("^Projects")
    expect(browser_page.get_by_test_id("rules-preview-inbox")).to_contain_text(
        "INBOX is left out (no include rule matches)"
    )
    include.fill("^(INBOX|Projects|Archive|Sent)\n[unclosed")
    expect(browser_page.get_by_test_id("rules-include-error")).to_contain_text(
        'Line 2: "[unclosed" is not a valid regular expression'
    )
    expect(include).to_have_attribute("aria-invalid", "true")
    expect(browser_page.get_by_test_id("save-folder-mapping")).to_be_disabled()
    include.fill("^(INBOX|Projects|Archive|Sent)")
    expect(browser_page.get_by_test_id("rules-include-error")).to_have_count(0)
    expect(browser_page.get_by_test_id("rules-preview-inbox")).to_have_count(0)
    expect(_row(browser_page, "Drafts").get_by_test_id("folder-left-out")).to_have_text(
        "left out: no include rule matches"
    )
    excluded_now = int(counts.get_attribute("data-excluded") or 0)
    screenshot(browser_page, "31-folder-rules-preview")

    browser_page.get_by_test_id("save-folder-mapping").click()
    expect(browser_page.get_by_test_id("toast").filter(has_text="Folder mapping saved")).to_be_visible()
    # The plan is read again from the servers: the rows it leaves out say which rule did.
    expect(_row(browser_page, "Projects/2024")).to_have_attribute(
        "data-plan-excluded-by", "exclude rule ^Projects/", timeout=PLAN_TIMEOUT
    )
    expect(_row(browser_page, "Archive")).to_have_attribute(
        "data-plan-excluded-by", "exclude rule (?i)^archive$"
    )
    expect(_row(browser_page, "Drafts")).to_have_attribute("data-plan-excluded-by", "include rules")
    expect(_row(browser_page, "INBOX")).not_to_have_attribute("data-plan-excluded-by", "include rules")
    expect(rows).to_have_count(total)  # excluded folders keep their rows, in their place
    expect(browser_page.get_by_test_id("rules-include")).to_have_value("^(INBOX|Projects|Archive|Sent)")

    api = Api(stack, *admin)
    task = api.get(f"/api/tasks/{task_id}")["task"]
    assert (task["folder_include"], task["folder_exclude"]) == (
        ["^(INBOX|Projects|Archive|Sent)"],
        ["^Projects/", "(?i)^archive$"],
    )
    plan = api.get(f"/api/tasks/{task_id}/plan")
    left_out = {f["source"] for f in plan["folders"] if f["excluded"]}
    assert len(left_out) == excluded_now
    assert {"Projects/2024", "Projects/2024/Q1", "Archive", "Drafts", "Entwürfe"} <= left_out

    # A run copies exactly what the plan said.
    run_id = int(api.post(f"/api/tasks/{task_id}/run", {})["run_id"])
    wait_for("the run", lambda: api.get(f"/api/runs/{run_id}")["run"]["finished_at"] is not None)
    [account] = api.get(f"/api/runs/{run_id}")["accounts"]
    copied = {folder["folder"] for folder in account["folders"]}
    assert copied == {f["source"] for f in plan["folders"] if not f["excluded"]}
    assert not copied & left_out


def test_the_preview_answers_a_viewer_and_refuses_bad_patterns(stack: str, admin: tuple[str, str]) -> None:
    """The preview is plain HTTP too: any signed-in user may ask, nothing is written."""
    api = Api(stack, *admin)
    task = api.post(
        "/api/tasks", {"name": "t", "src_endpoint_id": _endpoint(api), "dst_endpoint_id": _endpoint(api)}
    )
    url = f"{stack}/api/tasks/{task['id']}/folder-rules/preview"
    answer = api.session.post(url, json={"include": ["^a"], "folders": ["a", "b"]})
    assert answer.ok and answer.json()["copied"] == 1
    bad = api.session.post(url, json={"exclude": ["("], "folders": ["a"]})
    assert bad.status_code == 422 and "exclude.0" in bad.json()["error"]["fields"]
    assert requests.post(url, json={}, timeout=10).status_code == 401


def _endpoint(api: Api) -> int:
    name = f"server {len(api.get('/api/endpoints'))}"
    return int(
        api.post("/api/endpoints", {"name": name, "host": "127.0.0.1", "port": 1, "tls_mode": "plain"})["id"]
    )
