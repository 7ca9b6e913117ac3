"""Pointing an account at another mailbox forgets its sync state, so the next run copies everything
to the new mailbox (dedup prevents duplicates) instead of a delta pass that would copy nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.models import FolderState, MessageMap
from tests.conftest import ApiClient
from tests.support.factories import make_account, make_endpoint, make_task, session_of


def _add_state(app: Flask, account_id: int) -> None:
    with app.extensions["imapcopier"].sessions.begin() as session:
        state = FolderState(
            account_id=account_id, state_key=f"account:{account_id}", folder="INBOX", dst_folder="INBOX",
            uidvalidity=7, last_uid=42,
        )  # fmt: skip
        session.add(state)
        session.flush()
        session.add(MessageMap(folder_state_id=state.id, src_uid=42, dst_uid=9, flags="\\Seen"))


def _state_rows(app: Flask) -> tuple[int, int]:
    with session_of(app) as session:
        folders = session.scalar(select(func.count()).select_from(FolderState)) or 0
        messages = session.scalar(select(func.count()).select_from(MessageMap)) or 0
    return folders, messages


Change = Callable[[ApiClient, dict[str, Any], dict[str, Any]], Any]
FORGETS: dict[str, Change] = {
    "dst username": lambda api, task, acc: api.patch(
        f"/api/accounts/{acc['id']}", json={"dst_username": "x@y"}
    ),
    "src username": lambda api, task, acc: api.patch(
        f"/api/accounts/{acc['id']}", json={"src_username": "x@y"}
    ),
    "task endpoint": lambda api, task, acc: api.patch(
        f"/api/tasks/{task['id']}", json={"dst_endpoint_id": make_endpoint(api)["id"]}
    ),
    "endpoint host": lambda api, task, acc: api.patch(
        f"/api/endpoints/{task['dst_endpoint_id']}", json={"host": "imap.other.example"}
    ),
    "endpoint port": lambda api, task, acc: api.patch(
        f"/api/endpoints/{task['src_endpoint_id']}", json={"port": 2}
    ),
}
KEEPS: dict[str, Change] = {
    "password": lambda api, task, acc: api.patch(
        f"/api/accounts/{acc['id']}", json={"dst_password": "new-pw"}
    ),
    "same username": lambda api, task, acc: api.patch(
        f"/api/accounts/{acc['id']}", json={"dst_username": acc["dst_username"]}
    ),
    "endpoint tls": lambda api, task, acc: api.patch(
        f"/api/endpoints/{task['dst_endpoint_id']}", json={"tls_mode": "starttls"}
    ),
    "task name": lambda api, task, acc: api.patch(f"/api/tasks/{task['id']}", json={"name": "renamed"}),
}


@pytest.mark.parametrize("change", FORGETS.values(), ids=FORGETS.keys())
def test_another_mailbox_forgets_the_state(api: ApiClient, app: Flask, change: Change) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    _add_state(app, account["id"])
    assert _state_rows(app) == (1, 1)
    assert change(api, task, account).status_code == 200
    assert _state_rows(app) == (0, 0)


@pytest.mark.parametrize("change", KEEPS.values(), ids=KEEPS.keys())
def test_same_mailbox_keeps_the_state(api: ApiClient, app: Flask, change: Change) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    _add_state(app, account["id"])
    assert change(api, task, account).status_code == 200
    assert _state_rows(app) == (1, 1)


def test_only_the_changed_account_forgets(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    first, second = make_account(api, task["id"]), make_account(api, task["id"])
    _add_state(app, first["id"])
    _add_state(app, second["id"])
    assert api.patch(f"/api/accounts/{first['id']}", json={"dst_username": "moved@y"}).status_code == 200
    with session_of(app) as session:
        assert session.scalars(select(FolderState.account_id)).all() == [second["id"]]
