"""The paged, filtered accounts list and the task list's per-task counts."""

from __future__ import annotations

from flask import Flask

from app.db import utcnow
from app.models import Account
from app.models.enums import AccountRunStatus
from app.services import runs
from app.services.runs import account_runs
from tests.conftest import ApiClient
from tests.support.factories import make_account, make_task, mark_tested, session_of


def _usernames(rows: list[dict[str, object]]) -> list[object]:
    return [row["src_username"] for row in rows]


def set_account(app: Flask, account_id: int, **values: object) -> None:
    with session_of(app) as session:
        row = session.get(Account, account_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        session.commit()


def run_with(app: Flask, task_id: int, statuses: dict[int, AccountRunStatus]) -> int:
    """A finished manual run in which each account ended with the given status."""
    with session_of(app) as session:
        mark_tested(session, list(statuses))
        claimed = runs.claim_manual_run(session, task_id, utcnow())
        for account_id in claimed.account_ids:
            job = account_runs.load_job(session, claimed.run_id, account_id)
            assert job is not None
            account_runs.start(session, job.account_run_id, None, utcnow())
            outcome = account_runs.AccountOutcome(statuses[account_id], account_runs.Counters())
            account_runs.record(session, job.account_run_id, outcome, utcnow())
        assert runs.finalize_run(session, claimed.run_id, utcnow()) is not None
        session.commit()
        return claimed.run_id


def test_pages_follow_the_cursor_and_count_the_filtered_list(api: ApiClient) -> None:
    task = make_task(api)
    for n in range(7):
        make_account(api, task["id"], src_username=f"u{n}@old.example", dst_username=f"U{n}@New.example")
    url = f"/api/tasks/{task['id']}/accounts"
    first = api.get(f"{url}?limit=3")
    assert first.status_code == 200 and first.headers["X-Total-Count"] == "7"
    assert _usernames(first.json) == ["u0@old.example", "u1@old.example", "u2@old.example"]
    second = api.get(f"{url}?limit=3&cursor={first.headers['X-Next-Cursor']}")
    assert _usernames(second.json) == ["u3@old.example", "u4@old.example", "u5@old.example"]
    last = api.get(f"{url}?limit=3&cursor={second.headers['X-Next-Cursor']}")
    assert _usernames(last.json) == ["u6@old.example"] and "X-Next-Cursor" not in last.headers
    exact = api.get(f"{url}?limit=7")
    assert len(exact.json) == 7 and "X-Next-Cursor" not in exact.headers
    unpaged = api.get(url)
    assert len(unpaged.json) == 7 and "X-Total-Count" not in unpaged.headers
    found = api.get(f"{url}?limit=2&q=NEW.EXAMPLE")  # the destination name, any case
    assert found.headers["X-Total-Count"] == "7" and len(found.json) == 2
    assert _usernames(api.get(f"{url}?q=u4@OLD").json) == ["u4@old.example"]
    assert api.get(f"{url}?q=%25").json == []  # % is a literal character, not a wildcard


def test_bad_parameters_are_422(api: ApiClient) -> None:
    task = make_task(api)
    url = f"/api/tasks/{task['id']}/accounts"
    for query, field in (
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=x", "limit"),
        ("cursor=abc", "cursor"),
        ("test_status=maybe", "test_status"),
        ("last_outcome=ok", "last_outcome"),
        ("sort=id", "sort"),
    ):
        response = api.get(f"{url}?{query}")
        assert response.status_code == 422, query
        assert field in response.json["error"]["fields"], query
    assert api.get("/api/tasks/999/accounts?limit=5").status_code == 404


def test_filters_by_test_status_and_last_outcome(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    names = ("ok", "partial", "failed", "new")
    ids = [make_account(api, task["id"], src_username=name)["id"] for name in names]
    run_id = run_with(
        app,
        task["id"],
        {ids[0]: AccountRunStatus.OK, ids[1]: AccountRunStatus.PARTIAL, ids[2]: AccountRunStatus.FAILED}
        | {ids[3]: AccountRunStatus.CANCELLED},  # a cancel is no outcome: still "never"
    )
    assert run_id
    set_account(app, ids[2], test_src_status="fail", test_src_error="AUTHENTICATIONFAILED")
    set_account(app, ids[3], test_src_status="untested", test_dst_status="ok")
    url = f"/api/tasks/{task['id']}/accounts"
    expected = {"done": ["ok"], "done_with_errors": ["partial"], "failed": ["failed"], "never": ["new"]}
    for outcome, names in expected.items():
        assert _usernames(api.get(f"{url}?last_outcome={outcome}").json) == names, outcome
    outcomes = [row["last_outcome"] for row in api.get(url).json]
    assert outcomes == ["done", "done_with_errors", "failed", "never"]
    assert _usernames(api.get(f"{url}?test_status=ok").json) == ["ok", "partial"]
    assert _usernames(api.get(f"{url}?test_status=fail").json) == ["failed"]
    assert _usernames(api.get(f"{url}?test_status=untested").json) == ["new"]
    both = api.get(f"{url}?limit=1&test_status=ok&last_outcome=done_with_errors")
    assert _usernames(both.json) == ["partial"] and both.headers["X-Total-Count"] == "1"
    set_account(app, ids[2], enabled=False)
    [listed] = [t for t in api.get("/api/tasks").json if t["id"] == task["id"]]
    assert (listed["account_count"], listed["failing_count"], listed["paused_count"]) == (4, 0, 1)
    set_account(app, ids[2], enabled=True)
    [listed] = [t for t in api.get("/api/tasks").json if t["id"] == task["id"]]
    assert (listed["failing_count"], listed["paused_count"]) == (1, 0)
