"""Folder mapping that cannot promise the impossible, and the include/exclude regex rules: what
PUT /folder-mapping (and POST/PATCH of a task) refuses, what it keeps, and the rules' preview
(docs/console.md, "Folder rules")."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.models import AccountRun, AuditEntry, Role
from tests.api.user_builders import login, make_user
from tests.conftest import ApiClient
from tests.support.factories import add_run, make_account, make_task, session_of, set_running


def _put(api: ApiClient, task_id: int, **body: Any) -> Any:
    return api.put(f"/api/tasks/{task_id}/folder-mapping", json={"folder_mapping": {}, **body})


@pytest.mark.parametrize(
    ("destination", "words"),
    [
        ("   ", "Enter a folder name"),
        ("Archive/*", "LIST wildcards"),
        ("100%", "LIST wildcards"),
        ("Line\nbreak", "control characters"),
        ("Tab\there", "control characters"),
        ("Del\x7f", "control characters"),
    ],
)
def test_a_destination_no_server_can_hold_is_refused_naming_the_folder(
    api: ApiClient, destination: str, words: str
) -> None:
    task = make_task(api)
    response = _put(api, task["id"], folder_mapping={"Old Stuff": destination, "Sent Items": "Sent"})
    assert response.status_code == 422, response.json
    fields = response.json["error"]["fields"]
    assert list(fields) == ["folder_mapping.Old Stuff"]
    assert words in fields["folder_mapping.Old Stuff"]
    assert api.get(f"/api/tasks/{task['id']}").json["task"]["folder_mapping"] == {}


def test_two_folders_mapped_to_one_destination_are_refused_both_named(api: ApiClient) -> None:
    task = make_task(api)
    mapping = {"Sent Items": "Sent", "Gesendet": "Sent", "Old": "inbox", "Posteingang": "INBOX"}
    response = _put(api, task["id"], folder_mapping=mapping)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert set(fields) == {f"folder_mapping.{name}" for name in mapping}
    assert (
        fields["folder_mapping.Gesendet"]
        == '"Sent Items" also goes to "Sent": two folders cannot share a destination.'
    )
    assert '"Posteingang" also goes to "INBOX"' in fields["folder_mapping.Old"]


def test_creating_or_patching_a_task_checks_the_mapping_too(api: ApiClient) -> None:
    task = make_task(api)
    patched = api.patch(f"/api/tasks/{task['id']}", json={"folder_mapping": {"A": "x%", "B": "Fine"}})
    assert patched.status_code == 422
    assert list(patched.json["error"]["fields"]) == ["folder_mapping.A"]
    body = {k: task[k] for k in ("src_endpoint_id", "dst_endpoint_id")}
    created = api.post("/api/tasks", json={"name": "t", **body, "folder_mapping": {"A": "X", "B": "X"}})
    assert created.status_code == 422
    assert set(created.json["error"]["fields"]) == {"folder_mapping.A", "folder_mapping.B"}


def test_rules_are_saved_with_the_mapping_and_left_alone_when_not_sent(api: ApiClient) -> None:
    task = make_task(api)
    rules = {"folder_include": ["^INBOX", "(?i)^projects/"], "folder_exclude": [r"/20(1\d)$"]}
    body = {"folder_mapping": {"Sent Items": "Sent"}, "exclude_folders": ["Junk"], **rules}
    assert _put(api, task["id"], **body).status_code == 204
    saved = api.get(f"/api/tasks/{task['id']}").json["task"]
    assert {k: saved[k] for k in body} == body
    # The earlier body (mapping and exclusions only) still works and keeps the rules.
    assert _put(api, task["id"], folder_mapping={}, exclude_folders=[]).status_code == 204
    kept = api.get(f"/api/tasks/{task['id']}").json["task"]
    assert (kept["folder_include"], kept["folder_exclude"], kept["exclude_folders"]) == (
        rules["folder_include"],
        rules["folder_exclude"],
        [],
    )
    assert api.patch(f"/api/tasks/{task['id']}", json={"folder_include": []}).json["folder_include"] == []


@pytest.mark.parametrize(
    ("rules", "field", "words"),
    [
        ({"folder_exclude": ["fine", "(unclosed"]}, "folder_exclude.1", '"(unclosed" is not a valid regular'),
        ({"folder_include": ["[z-a]"]}, "folder_include.0", '"[z-a]" is not a valid regular'),
        ({"folder_include": [""]}, "folder_include.0", "at least 1 character"),
        ({"folder_include": ["x" * 501]}, "folder_include.0", "at most 500 characters"),
        ({"folder_exclude": [f"p{i}" for i in range(51)]}, "folder_exclude", "at most 50 items"),
    ],
)
def test_a_bad_pattern_is_refused_naming_it(
    api: ApiClient, rules: dict[str, list[str]], field: str, words: str
) -> None:
    task = make_task(api)
    response = _put(api, task["id"], **rules)
    assert response.status_code == 422
    assert words in response.json["error"]["fields"][field]
    patched = api.patch(f"/api/tasks/{task['id']}", json=rules)
    assert patched.status_code == 422 and field in patched.json["error"]["fields"]
    saved = api.get(f"/api/tasks/{task['id']}").json["task"]
    assert (saved["folder_include"], saved["folder_exclude"]) == ([], [])


def test_rules_wait_for_a_running_task(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    set_running(app, task["id"])
    response = _put(api, task["id"], folder_include=["^INBOX"])
    assert response.status_code == 409


FOLDERS = ["INBOX", "INBOX.Receipts", "Projects", "Projects.2019", "Projects.2024", "Junk", "projects-old"]


def _preview(client: ApiClient, task_id: int, **body: Any) -> Any:
    return client.post(f"/api/tasks/{task_id}/folder-rules/preview", json=body)


def test_the_preview_says_per_folder_which_rule_decided(api: ApiClient) -> None:
    task = make_task(api, exclude_folders=["Junk"])
    body = {
        "include": ["^INBOX$", "(?i)^projects"],
        "exclude": ["/2019$"],
        "folders": FOLDERS,
        "separator": ".",
    }
    answer = _preview(api, task["id"], **body).json
    decided = {f["name"]: (f["copied"], f["decided_by"]) for f in answer["folders"]}
    assert decided == {
        "INBOX": (True, "include rule ^INBOX$"),
        "INBOX.Receipts": (False, "include rules"),  # "INBOX/Receipts": ^INBOX$ does not match
        "Projects": (True, "include rule (?i)^projects"),
        "Projects.2019": (False, "exclude rule /2019$"),  # matched as "Projects/2019"
        "Projects.2024": (True, "include rule (?i)^projects"),
        "Junk": (False, "list"),
        "projects-old": (True, "include rule (?i)^projects"),
    }
    assert (answer["copied"], answer["excluded"]) == (4, 3)
    assert [f["name"] for f in answer["folders"]] == FOLDERS


def test_the_preview_is_case_sensitive_applies_to_inbox_and_takes_the_list_sent(api: ApiClient) -> None:
    task = make_task(api, exclude_folders=["Junk"])
    answer = _preview(
        api, task["id"], include=["^projects"], folders=FOLDERS, separator=".", exclude_folders=[]
    )
    decided = {f["name"]: f["decided_by"] for f in answer.json["folders"] if not f["copied"]}
    assert decided["INBOX"] == "include rules"
    assert decided["Junk"] == "include rules"  # the list sent (empty) replaces the saved one
    assert "Projects" in decided and "projects-old" not in decided
    no_rules = _preview(api, task["id"], folders=FOLDERS, exclude_folders=[]).json
    assert no_rules["excluded"] == 0 and {f["decided_by"] for f in no_rules["folders"]} == {None}


def test_without_folders_the_preview_uses_the_last_runs_folders(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    assert _preview(api, task["id"], include=["x"]).json == {"folders": [], "copied": 0, "excluded": 0}
    run_id = add_run(app, task["id"])
    with session_of(app) as session:
        folders = {name: {"folder": name} for name in ("Projects", "INBOX", "Archive")}
        session.add(AccountRun(run_id=run_id, account_id=account["id"], status="ok", folders=folders))
        session.commit()
    answer = _preview(api, task["id"], exclude=["^Arch"]).json
    assert [(f["name"], f["copied"]) for f in answer["folders"]] == [
        ("INBOX", True),
        ("Archive", False),
        ("Projects", True),
    ]


def test_a_bad_pattern_in_the_preview_is_named(api: ApiClient) -> None:
    task = make_task(api)
    response = _preview(api, task["id"], include=["ok", "a{2,1}"], folders=["INBOX"])
    assert response.status_code == 422
    assert '"a{2,1}" is not a valid regular expression' in response.json["error"]["fields"]["include.1"]
    assert _preview(api, 2147480000, folders=[]).status_code == 404


def test_a_preview_leaves_no_audit_row_and_is_not_a_viewers(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    make_user(app, "watcher", Role.VIEWER)
    viewer = login(app, "watcher")

    def audit_rows() -> int:
        with session_of(app) as session:
            return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)

    before = audit_rows()
    response = _preview(api, task["id"], include=["^INBOX$"], folders=["INBOX", "Sent"])
    assert response.status_code == 200
    assert response.json["copied"] == 1
    assert audit_rows() == before
    assert _preview(viewer, task["id"], include=["^INBOX$"], folders=["INBOX"]).status_code == 403
    assert _put(viewer, task["id"], folder_include=["^INBOX$"]).status_code == 403
