"""Accounts: create/list/patch/delete, write-only encrypted passwords, duplicate and running rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from flask import Flask

from app.models import Account
from tests.conftest import ApiClient
from tests.support.factories import make_account, make_task, session_of, set_running

ACCOUNT_FIELDS = {
    "id", "task_id", "src_username", "src_password_set", "dst_username", "dst_password_set",
    "test_src_status", "test_src_error", "test_dst_status", "test_dst_error", "tested_at", "enabled",
    "test_dst_quota",
    "src_refresh_token_set", "dst_refresh_token_set",
}  # fmt: skip


def _mark_tested(app: Flask, account_id: int) -> None:
    with session_of(app) as session:
        row = session.get(Account, account_id)
        assert row is not None
        row.test_src_status, row.test_src_error = "fail", "AUTHENTICATIONFAILED"
        row.test_dst_status = "ok"
        row.tested_at = datetime.now(UTC)
        session.commit()


def _stored(app: Flask, account_id: int) -> Account:
    with session_of(app) as session:
        row = session.get(Account, account_id)
        assert row is not None
        return row


def test_create_and_list(api: ApiClient) -> None:
    task = make_task(api)
    body = {
        "src_username": " alice@old.example ",
        "src_password": " pw with spaces ",
        "dst_username": "alice@new.example",
        "dst_password": "x",
    }
    response = api.post(f"/api/tasks/{task['id']}/accounts", json=body)
    assert response.status_code == 201, response.json
    account = response.json
    assert set(account) == ACCOUNT_FIELDS
    assert account["src_username"] == "alice@old.example" and account["task_id"] == task["id"]
    assert account["src_password_set"] is account["dst_password_set"] is True
    assert (account["test_src_status"], account["test_dst_status"], account["tested_at"]) == (
        "untested", "untested", None,
    )  # fmt: skip
    assert api.get(f"/api/tasks/{task['id']}/accounts").json == [{**account, "last_outcome": "never"}]
    detail = api.get(f"/api/tasks/{task['id']}").json
    assert detail["accounts"] == [account] and detail["task"]["account_count"] == 1


def test_passwords_are_encrypted_at_rest(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"], src_password="Plain-Src-1", dst_password="Plain-Dst-2")
    row = _stored(app, account["id"])
    box = app.extensions["imapcopier"].box
    assert b"Plain-Src-1" not in row.src_password_enc and b"Plain-Dst-2" not in row.dst_password_enc
    assert box.decrypt(row.src_password_enc) == "Plain-Src-1"
    assert box.decrypt(row.dst_password_enc) == "Plain-Dst-2"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"src_username": ""}, "src_username"),
        ({"dst_username": "  "}, "dst_username"),
        ({"src_password": ""}, "src_password"),
        ({"dst_password": None}, "dst_password"),
        ({"src_username": 5}, "src_username"),
        ({"dst_username": "a\u0000"}, "dst_username"),
        ({"src_password_set": True}, "src_password_set"),
        ({"task_id": 3}, "task_id"),
    ],
)
def test_create_rejects_bad_fields(api: ApiClient, change: dict[str, object], field: str) -> None:
    task = make_task(api)
    body = {"src_username": "a", "src_password": "b", "dst_username": "c", "dst_password": "d"}
    response = api.post(f"/api/tasks/{task['id']}/accounts", json={**body, **change})
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert api.get(f"/api/tasks/{task['id']}/accounts").json == []


def test_duplicate_source_user_is_409(api: ApiClient) -> None:
    task, other = make_task(api), make_task(api)
    make_account(api, task["id"], src_username="bob@old.example")
    response = api.post(
        f"/api/tasks/{task['id']}/accounts",
        json={
            "src_username": "bob@old.example",
            "src_password": "p",
            "dst_username": "b",
            "dst_password": "q",
        },
    )
    assert response.status_code == 409
    assert "src_username" in response.json["error"]["fields"]
    make_account(api, other["id"], src_username="bob@old.example")  # another task may hold it
    assert len(api.get(f"/api/tasks/{task['id']}/accounts").json) == 1


def test_create_in_unknown_task_is_404(api: ApiClient) -> None:
    body = {"src_username": "a", "src_password": "b", "dst_username": "c", "dst_password": "d"}
    assert api.post("/api/tasks/999/accounts", json=body).status_code == 404


def test_patch_username_resets_that_side(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    _mark_tested(app, account["id"])
    response = api.patch(f"/api/accounts/{account['id']}", json={"dst_username": "new@new.example"})
    assert response.status_code == 200, response.json
    patched = response.json
    assert patched["dst_username"] == "new@new.example"
    assert (patched["test_src_status"], patched["test_src_error"]) == ("fail", "AUTHENTICATIONFAILED")
    assert (patched["test_dst_status"], patched["test_dst_error"]) == ("untested", None)
    assert patched["tested_at"] is not None


def test_patch_password_resets_only_when_it_changes(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"], src_password="same-old")
    _mark_tested(app, account["id"])
    same = api.patch(f"/api/accounts/{account['id']}", json={"src_password": "same-old"}).json
    assert same["test_src_status"] == "fail"
    changed = api.patch(f"/api/accounts/{account['id']}", json={"src_password": "brand-new"}).json
    assert (changed["test_src_status"], changed["test_dst_status"]) == ("untested", "ok")
    box = app.extensions["imapcopier"].box
    assert box.decrypt(_stored(app, account["id"]).src_password_enc) == "brand-new"
    both = api.patch(f"/api/accounts/{account['id']}", json={"dst_password": "other"}).json
    assert (both["test_dst_status"], both["tested_at"]) == ("untested", None)


def test_patch_rejects(api: ApiClient) -> None:
    task = make_task(api)
    first = make_account(api, task["id"], src_username="one")
    second = make_account(api, task["id"], src_username="two")
    clash = api.patch(f"/api/accounts/{second['id']}", json={"src_username": "one"})
    assert clash.status_code == 409 and "src_username" in clash.json["error"]["fields"]
    for body in ({"src_username": ""}, {"src_password": None}, {"test_src_status": "ok"}):
        response = api.patch(f"/api/accounts/{first['id']}", json=body)
        assert response.status_code == 422 and set(response.json["error"]["fields"]) == set(body)
    never = {"last_outcome": "never"}
    assert api.get(f"/api/tasks/{task['id']}/accounts").json == [{**first, **never}, {**second, **never}]
    assert api.patch("/api/accounts/999", json={"src_username": "x"}).status_code == 404


def test_running_task_refuses_account_changes(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    set_running(app, task["id"])
    assert api.patch(f"/api/accounts/{account['id']}", json={"src_password": "x"}).status_code == 409
    assert api.delete(f"/api/accounts/{account['id']}").status_code == 409
    assert api.get(f"/api/tasks/{task['id']}/accounts").json == [{**account, "last_outcome": "never"}]


def test_delete(api: ApiClient) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    assert api.delete(f"/api/accounts/{account['id']}").status_code == 204
    assert api.get(f"/api/tasks/{task['id']}/accounts").json == []
    assert api.delete(f"/api/accounts/{account['id']}").status_code == 404
    for account_id in (2**31, 10**20):
        assert api.delete(f"/api/accounts/{account_id}").status_code == 404
        assert api.patch(f"/api/accounts/{account_id}", json={}).status_code == 404


def test_patch_replaces_a_password_encrypted_under_another_key(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    _mark_tested(app, account["id"])
    with session_of(app) as session:
        row = session.get(Account, account["id"])
        assert row is not None
        row.dst_password_enc = Fernet(Fernet.generate_key()).encrypt(b"old")
        session.commit()
    response = api.patch(f"/api/accounts/{account['id']}", json={"dst_password": "old"})
    assert response.status_code == 200 and response.json["test_dst_status"] == "untested"
    assert app.extensions["imapcopier"].box.decrypt(_stored(app, account["id"]).dst_password_enc) == "old"
