"""Error items as the API shows them: side and kind, also for items stored before they had them."""

from __future__ import annotations

import pytest

from app.schemas.runs import ErrorItem


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("auth_failed", "login"),
        ("tls_failed", "tls"),
        ("connect_failed", "connection"),
        ("folder_unavailable", "folder"),
        ("message_refused", "message"),
        ("time_limit", "timeout"),
        ("credentials_key", "protocol"),
    ],
)
def test_an_old_item_gets_its_kind_from_its_code(code: str, kind: str) -> None:
    item = ErrorItem.model_validate({"code": code, "reason": "r", "folder": None, "uid": None})
    assert (item.kind, item.side) == (kind, None)


def test_a_new_item_keeps_what_the_engine_said() -> None:
    item = ErrorItem.model_validate({"code": "message_refused", "reason": "r", "kind": "size", "side": "dst"})
    assert (item.kind, item.side) == ("size", "dst")
