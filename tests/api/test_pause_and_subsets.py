"""Paused accounts and the gate, runs over a subset and retry-failed: the refusals (no workers)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.db import utcnow
from app.models import Account
from app.models.enums import AccountRunStatus
from app.services import runs, schedules
from tests.api.test_account_list import run_with, set_account
from tests.conftest import ApiClient
from tests.support.factories import add_run, make_account, make_task, offline_task, session_of, set_running


def _tested(app: Flask, account_id: int, status: str = "ok") -> None:
    set_account(app, account_id, test_src_status=status, test_dst_status="ok")


def test_pausing_keeps_the_tests_and_is_allowed_while_running(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    account = make_account(api, task["id"])
    _tested(app, account["id"])
    set_running(app, task["id"])
    paused = api.patch(f"/api/accounts/{account['id']}", json={"enabled": False})
    assert paused.status_code == 200, paused.json
    assert paused.json["enabled"] is False and paused.json["test_src_status"] == "ok"
    both = {"enabled": True, "src_password": "x"}
    assert api.patch(f"/api/accounts/{account['id']}", json=both).status_code == 409
    with session_of(app) as session:
        row = session.get(Account, account["id"])
        assert row is not None and row.enabled is False
    for bad in ({"enabled": None}, {"enabled": "no"}):
        assert api.patch(f"/api/accounts/{account['id']}", json=bad).status_code == 422


def test_the_schedule_gate_ignores_paused_accounts_and_names_the_task(api: ApiClient, app: Flask) -> None:
    task = make_task(api, name="Acme move")
    good, bad = make_account(api, task["id"]), make_account(api, task["id"])
    _tested(app, good["id"])
    _tested(app, bad["id"], "fail")
    url = f"/api/tasks/{task['id']}/schedule"
    refused = api.put(url, json={"interval_seconds": 3600})
    assert refused.status_code == 409
    message = refused.json["error"]["message"]
    assert '"Acme move"' in message and "1 of 2 enabled accounts" in message
    api.patch(f"/api/accounts/{bad['id']}", json={"enabled": False})
    assert api.put(url, json={"interval_seconds": 3600}).status_code == 204
    api.patch(f"/api/accounts/{good['id']}", json={"enabled": False})
    all_paused = api.put(url, json={"interval_seconds": 86400})
    assert all_paused.status_code == 409 and "no enabled accounts" in all_paused.json["error"]["message"]
    detail = api.get(f"/api/tasks/{task['id']}").json["task"]
    assert detail["schedule_waiting_reason"] == "scheduled runs wait: every account is paused"
    assert api.post(f"/api/tasks/{task['id']}/run").status_code == 409  # nothing enabled to run


def test_run_selected_refuses_paused_foreign_and_untested_accounts(api: ApiClient, app: Flask) -> None:
    task, other = make_task(api, name="Selected"), make_task(api)
    ready, paused, untested = (make_account(api, task["id"]) for _ in range(3))
    foreign = make_account(api, other["id"])
    _tested(app, ready["id"])
    _tested(app, paused["id"])
    api.patch(f"/api/accounts/{paused['id']}", json={"enabled": False})
    url = f"/api/tasks/{task['id']}/run"
    refused = api.post(url, json={"account_ids": [ready["id"], paused["id"], foreign["id"], 999]})
    assert refused.status_code == 422
    text = refused.json["error"]["fields"]["account_ids"]
    assert f"not accounts of this task: {foreign['id']}, 999" in text
    assert f"paused accounts: {paused['id']}" in text
    gate = api.post(url, json={"account_ids": [ready["id"], untested["id"]]})
    assert gate.status_code == 409 and '"Selected"' in gate.json["error"]["message"]
    for body in ({"account_ids": []}, {"account_ids": ["x"]}, {"account_ids": [0]}, {"other": 1}):
        assert api.post(url, json=body).status_code == 422, body
    assert api.post("/api/tasks/999/run", json={"account_ids": [1]}).status_code == 404
    assert api.get(f"/api/tasks/{task['id']}/runs").json == []  # nothing was claimed


def test_retry_failed_refusals(api: ApiClient, app: Flask) -> None:
    task = make_task(api)
    ok, failed = make_account(api, task["id"]), make_account(api, task["id"])
    assert api.post("/api/runs/999/retry-failed").status_code == 404
    clean = run_with(app, task["id"], {ok["id"]: AccountRunStatus.OK, failed["id"]: AccountRunStatus.OK})
    nothing = api.post(f"/api/runs/{clean}/retry-failed")
    assert nothing.status_code == 409 and "no failed enabled accounts" in nothing.json["error"]["message"]
    ended = {ok["id"]: AccountRunStatus.OK, failed["id"]: AccountRunStatus.FAILED}
    broken = run_with(app, task["id"], ended)
    api.patch(f"/api/accounts/{failed['id']}", json={"enabled": False})
    assert api.post(f"/api/runs/{broken}/retry-failed").status_code == 409  # the failed one is paused
    api.patch(f"/api/accounts/{failed['id']}", json={"enabled": True})
    _tested(app, failed["id"], "fail")
    gate = api.post(f"/api/runs/{broken}/retry-failed")
    assert gate.status_code == 409 and "not passed the connection test" in gate.json["error"]["message"]
    open_run = add_run(app, task["id"])
    assert api.post(f"/api/runs/{open_run}/retry-failed").status_code == 409


def test_the_scan_claims_a_task_whose_untested_account_is_paused(app: Flask) -> None:
    with session_of(app) as session:
        built = offline_task(session, accounts=2)
        ready, paused = built.account_ids
        row = session.get(Account, paused)
        assert row is not None
        row.enabled, row.test_src_status = False, "untested"
        start = utcnow()
        schedules.set_schedule(session, built.task_id, 3600, start)  # the gate ignores the paused one
        [claimed] = runs.claim_due_runs(session, start + timedelta(hours=2))
        assert claimed.account_ids == (ready,)  # and the run leaves it out
        session.rollback()
