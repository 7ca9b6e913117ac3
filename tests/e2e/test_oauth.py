"""OAuth2 in the browser: a Microsoft 365 server from its profile, and the Connect flow of a consent-per-
mailbox server against the test identity provider (consent stored; a wrong client secret shows the
provider's error)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_log import BrowserLog
from tests.e2e.pages import Api, go_to, login
from tests.oauth_fixtures import APP_ID, APP_SECRET, IdpHandle

pytestmark = [pytest.mark.e2e]
SECRET = "Cs3-e2e-client-secret-never-shown"


def test_microsoft365_server_from_its_profile(
    page: tuple[Page, BrowserLog], stack: str, admin: tuple[str, str]
) -> None:
    browser, _ = page
    browser.goto("/")
    login(browser, *admin)
    go_to(browser, "Servers")
    browser.get_by_test_id("add-endpoint-button").click()
    form = browser.get_by_test_id("endpoint-form")
    form.get_by_label("Provider").select_option("microsoft365")
    expect(form.get_by_label("Host")).to_have_value("outlook.office365.com")
    expect(form.get_by_label("Scope")).to_have_value("https://outlook.office365.com/.default")
    form.get_by_label("Name").fill("Contoso 365")
    form.get_by_label("Token URL").fill("https://login.microsoftonline.com/contoso.example/oauth2/v2.0/token")
    form.get_by_label("Client id").fill("11111111-2222-3333-4444-555555555555")
    form.get_by_label("Client secret").fill(SECRET)
    form.get_by_test_id("endpoint-submit").click()
    expect(form).to_be_hidden()
    expect(browser.get_by_test_id("endpoint-row").filter(has_text="Contoso 365")).to_be_visible()
    api = Api(stack, *admin)
    stored = api.session.get(f"{stack}/api/endpoints").json()[0]
    assert (stored["provider"], stored["auth_mode"], stored["oauth2_grant"]) == (
        "microsoft365", "oauth2", "client_credentials",
    )  # fmt: skip
    assert stored["oauth2_client_secret_set"] is True and SECRET not in str(stored)


def _consent_task(api: Api, idp: IdpHandle, secret: str) -> tuple[int, int]:
    src = api.post("/api/endpoints", {"name": "Old", "host": "127.0.0.1", "port": 1, "tls_mode": "plain"})
    dst = api.post(
        "/api/endpoints",
        {
            "name": "Consent server",
            "host": "127.0.0.1",
            "port": 1,
            "tls_mode": "plain",
            "auth_mode": "oauth2",
            "oauth2_grant": "refresh_token",
            "oauth2_token_url": idp.idp.token_url,
            "oauth2_authorize_url": idp.idp.authorize_url,
            "oauth2_client_id": APP_ID,
            "oauth2_client_secret": secret,
        },
    )
    task = api.post(
        "/api/tasks", {"name": "Consent", "src_endpoint_id": src["id"], "dst_endpoint_id": dst["id"]}
    )
    account = api.post(
        f"/api/tasks/{task['id']}/accounts",
        {"src_username": "jane@old.example", "src_password": "pw", "dst_username": "jane@example.test"},
    )
    return task["id"], account["id"]


@pytest.mark.parametrize("secret", [APP_SECRET, "Wr0ng-e2e-secret"])
def test_connect_flow(
    new_page: Callable[..., tuple[Page, BrowserLog]],
    stack: str,
    admin: tuple[str, str],
    test_idp: IdpHandle,
    secret: str,
) -> None:
    api = Api(stack, *admin)
    task_id, account_id = _consent_task(api, test_idp, secret)
    test_idp.state.authorize_as = "jane@example.test"
    browser, _ = new_page()
    browser.goto("/")
    login(browser, *admin)
    browser.goto(f"/tasks/{task_id}")
    browser.get_by_test_id("account-connect-dst").click()
    if secret == APP_SECRET:
        browser.wait_for_url("**/tasks/**")
        assert "oauth=connected" in browser.url, browser.url
        expect(browser.get_by_test_id("oauth-connected")).to_be_visible()
        account = api.session.get(f"{stack}/api/tasks/{task_id}/accounts").json()[0]
        assert account["id"] == account_id and account["dst_refresh_token_set"] is True
        assert [e["grant_type"] for e in test_idp.state.issued()] == ["authorization_code"]
    else:
        expect(browser.get_by_test_id("oauth-error")).to_contain_text("invalid_client")
        assert secret not in browser.content()
