"""Roles in the browser: a viewer sees the console read-only, with the reason on every disabled
change; an admin adds a user on the Users page and finds that change on the Audit page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models import Role
from app.services import auth as auth_service
from tests.e2e.browser_log import BrowserLog
from tests.e2e.pages import go_to, login

pytestmark = [pytest.mark.e2e]
VIEWER_PASSWORD = "viewer-password-1"


def test_a_viewer_sees_why_changes_are_disabled(
    new_page: Callable[..., tuple[Page, BrowserLog]], admin: tuple[str, str], clean_db: Engine
) -> None:
    with Session(clean_db) as session, session.begin():
        auth_service.set_user(session, "vera", VIEWER_PASSWORD, Role.VIEWER)
    page, _ = new_page()
    login(page, "vera", VIEWER_PASSWORD)
    expect(page.get_by_test_id("read-only-notice")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Users")).to_have_count(0)
    expect(nav.get_by_role("link", name="Audit")).to_have_count(0)
    go_to(page, "Servers")
    add = page.get_by_test_id("add-endpoint-button")
    expect(add).to_be_disabled()
    reason = "Your role (viewer) cannot do this: it needs operator. Ask an admin."
    expect(add).to_have_attribute("title", reason)
    # Any role changes its own password; the session that did it stays.
    page.get_by_test_id("current-user").click()
    form = page.get_by_test_id("password-form")
    form.get_by_label("Current password").fill(VIEWER_PASSWORD)
    form.get_by_label("New password").fill("viewer-password-2")
    form.get_by_label("Repeat it").fill("viewer-password-2")
    page.get_by_test_id("password-submit").click()
    expect(page.get_by_text("Password changed; your other sessions have ended")).to_be_visible()
    go_to(page, "Tasks")
    expect(page.get_by_test_id("read-only-notice")).to_be_visible()


def test_an_admin_adds_a_user_and_finds_it_in_the_audit_log(
    page: tuple[Page, BrowserLog], admin: tuple[str, str]
) -> None:
    tab, _ = page
    login(tab, *admin)
    go_to(tab, "Users")
    form = tab.get_by_test_id("new-user-form")
    form.get_by_label("Username").fill("otto")
    form.get_by_label("Password").fill("otto-password-1")
    form.get_by_label("Role").select_option("operator")
    tab.get_by_test_id("user-submit").click()
    row = tab.locator('[data-testid="user-row"][data-username="otto"]')
    expect(row.get_by_test_id("user-role-select")).to_have_value("operator")
    go_to(tab, "Audit")
    tab.get_by_test_id("audit-filter-action").fill("create_user")
    tab.get_by_role("button", name="Filter").click()
    entries = tab.get_by_test_id("audit-row")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text(admin[0])
    expect(entries.first).to_contain_text("user #")
