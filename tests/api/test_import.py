"""CSV import: header, quoting, blank lines, per-line errors, all-or-nothing, limits."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.models import Account
from tests.conftest import ApiClient
from tests.support.factories import make_account, make_task


def _import(api: ApiClient, task_id: int, text: str | bytes, mimetype: str = "text/csv") -> Any:
    return api.post(f"/api/tasks/{task_id}/accounts/import", data=text, content_type=mimetype)


def _usernames(api: ApiClient, task_id: int) -> list[str]:
    return [account["src_username"] for account in api.get(f"/api/tasks/{task_id}/accounts").json]


def test_import_with_header_quotes_and_blank_lines(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    text = (
        "\ufeffsrc_user,src_password,dst_user,dst_password\r\n"
        "\r\n"
        'alice@old.example,"pw,with,commas",alice@new.example,"say ""hi"""\r\n'
        "bob@old.example, spaced-after-comma,bob@new.example,p2\r\n"
        "   \r\n"
    )
    response = _import(api, task["id"], text.encode("utf-8"))
    assert response.status_code == 201, response.json
    assert response.json["imported"] == 2
    accounts = response.json["accounts"]
    assert [a["src_username"] for a in accounts] == ["alice@old.example", "bob@old.example"]
    assert all(a["src_password_set"] and a["test_src_status"] == "untested" for a in accounts)
    box = app.extensions["imapcopier"].box
    with app.extensions["imapcopier"].sessions() as session:
        rows = {row.src_username: row for row in session.query(Account)}
        assert box.decrypt(rows["alice@old.example"].src_password_enc) == "pw,with,commas"
        assert box.decrypt(rows["alice@old.example"].dst_password_enc) == 'say "hi"'
        assert box.decrypt(rows["bob@old.example"].src_password_enc) == "spaced-after-comma"
    assert api.get(f"/api/tasks/{task['id']}").json["task"]["account_count"] == 2


def test_import_without_header_as_text_plain(api: ApiClient) -> None:
    task = make_task(api)
    response = _import(api, task["id"], "a,1,b,2\nc,3,d,4", "text/plain; charset=utf-8")
    assert response.status_code == 201 and response.json["imported"] == 2
    assert _usernames(api, task["id"]) == ["a", "c"]


def test_every_bad_line_is_reported_and_nothing_is_imported(api: ApiClient) -> None:
    task = make_task(api)
    make_account(api, task["id"], src_username="taken@old.example")
    text = "\n".join(
        [
            "src_user,src_password,dst_user,dst_password",  # line 1
            "ok1,p,d1,p",  # 2
            "too,few,columns",  # 3
            ",p,d,p",  # 4: empty src_user
            "x,,d,p",  # 5: empty src_password
            "ok1,p,d9,p",  # 6: duplicate of line 2
            "taken@old.example,p,d,p",  # 7: already in the task
            "",  # 8
            "five,p,d,p,extra",  # 9
            "y,p,d,",  # 10: empty dst_password
            "ok2,p,d2,p",  # 11
            "nul\x00user,p,d,p",  # 12: PostgreSQL cannot store it
        ]
    )
    response = _import(api, task["id"], text)
    assert response.status_code == 422, response.json
    fields = response.json["error"]["fields"]
    assert set(fields) == {"line 3", "line 4", "line 5", "line 6", "line 7", "line 9", "line 10", "line 12"}
    assert "columns" in fields["line 3"] and "columns" in fields["line 9"]
    assert "src_user" in fields["line 4"] and "src_password" in fields["line 5"]
    assert "line 2" in fields["line 6"] and "already" in fields["line 7"]
    assert "dst_password" in fields["line 10"]
    assert _usernames(api, task["id"]) == ["taken@old.example"]


def test_line_numbers_follow_multiline_quoted_fields(api: ApiClient) -> None:
    task = make_task(api)
    response = _import(api, task["id"], 'a,"multi\nline",b,c\nbad line\n')
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"line 3"}


def test_empty_and_header_only_files_are_422(api: ApiClient) -> None:
    task = make_task(api)
    for text in ("", "\n\n", "src_user,src_password,dst_user,dst_password\n"):
        response = _import(api, task["id"], text)
        assert response.status_code == 422 and "body" in response.json["error"]["fields"]


def test_too_many_lines_is_422(api: ApiClient) -> None:
    task = make_task(api)
    text = "".join(f"u{i},p,d{i},p\n" for i in range(5001))
    response = _import(api, task["id"], text)
    assert response.status_code == 422 and "body" in response.json["error"]["fields"]
    assert _usernames(api, task["id"]) == []


def test_five_thousand_lines_import(api: ApiClient) -> None:
    task = make_task(api)
    text = "".join(f"user{i}@old.example,pw{i},user{i}@new.example,pw{i}\n" for i in range(5000))
    response = _import(api, task["id"], text)
    assert response.status_code == 201 and response.json["imported"] == 5000


def test_wrong_content_type_encoding_size_and_task(api: ApiClient) -> None:
    task = make_task(api)
    assert api.post(f"/api/tasks/{task['id']}/accounts/import", json={"a": 1}).status_code == 400
    assert _import(api, task["id"], b"a,\xff\xfe,b,c").status_code == 400
    assert _import(api, 999, "a,b,c,d").status_code == 404
    huge = "a,b,c,d\n" + "x" * (9 * 1024 * 1024)
    assert _import(api, task["id"], huge).status_code == 413
    assert _usernames(api, task["id"]) == []
