"""CSV update mode (`?mode=upsert`): matched on src_user, new passwords, still all-or-nothing."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.models import Account
from tests.api.test_account_list import set_account
from tests.conftest import ApiClient
from tests.support.factories import make_account, make_task, session_of, set_running


def _upsert(api: ApiClient, task_id: int, text: str, mode: str = "upsert") -> Any:
    url = f"/api/tasks/{task_id}/accounts/import?mode={mode}"
    return api.post(url, data=text, content_type="text/csv")


def _passwords(app: Flask, task_id: int) -> dict[str, tuple[str, str, str]]:
    box = app.extensions["imapcopier"].box
    with session_of(app) as session:
        rows = session.query(Account).filter(Account.task_id == task_id)
        return {
            row.src_username: (
                box.decrypt(row.src_password_enc),
                row.dst_username,
                box.decrypt(row.dst_password_enc),
            )
            for row in rows
        }


def test_upsert_updates_existing_accounts_and_adds_new_ones(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    kept = make_account(
        api, task["id"], src_username="alice", src_password="old", dst_username="a", dst_password="d"
    )
    set_account(app, kept["id"], test_src_status="ok", test_dst_status="ok")
    response = _upsert(
        api, task["id"], "src_user,src_password,dst_user,dst_password\nalice,new,a,d\nbob,p,b,q\n"
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["imported"], body["created"], body["updated"]) == (2, 1, 1)
    assert [a["src_username"] for a in body["accounts"]] == ["bob", "alice"]
    updated = body["accounts"][1]
    assert updated["id"] == kept["id"]
    assert (updated["test_src_status"], updated["test_dst_status"]) == ("untested", "ok")  # only src changed
    assert _passwords(app, task["id"]) == {"alice": ("new", "a", "d"), "bob": ("p", "b", "q")}


def test_upsert_is_all_or_nothing_and_create_mode_still_refuses(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    make_account(
        api, task["id"], src_username="alice", src_password="old", dst_username="a", dst_password="d"
    )
    before = _passwords(app, task["id"])
    bad = _upsert(api, task["id"], "alice,new,a,d\ncarol,,c,x\n")
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) == {"line 2"}
    twice = _upsert(api, task["id"], "alice,new,a,d\nalice,newer,a,d\n")
    assert twice.status_code == 422 and "duplicate src_user alice" in twice.json["error"]["fields"]["line 2"]
    create = _upsert(api, task["id"], "alice,new,a,d\n", mode="create")
    assert create.status_code == 422 and "already in this task" in create.json["error"]["fields"]["line 1"]
    assert _upsert(api, task["id"], "alice,new,a,d\n", mode="merge").status_code == 422
    assert _passwords(app, task["id"]) == before


def test_upsert_refuses_updates_while_the_task_runs(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    make_account(api, task["id"], src_username="alice")
    set_running(app, task["id"])
    assert _upsert(api, task["id"], "alice,new,a,d\n").status_code == 409
    assert _upsert(api, task["id"], "dave,p,d,q\n").status_code == 201  # adding still works, as before
