"""Connection tests and folder plans as jobs, and the per-endpoint connection limit, with real workers."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import Account, enums
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.jobs.listen import EventLog
from tests.support.factories import Mailbox, TaskOnPair
from tests.support.processes import WorkerPool
from tests.support.rows import compare, wait_finished, wait_for

pytestmark = [pytest.mark.celery, pytest.mark.imap]


def _accounts(engine: Engine, ids: list[int]) -> list[Account]:
    with Session(engine, expire_on_commit=False) as session:
        return [session.get_one(Account, account_id) for account_id in ids]


def test_connection_tests_store_results_on_the_accounts_and_publish_them(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    settings: Settings,
    one_worker: WorkerPool,
    clean_db: Engine,
    imap_user: str,
) -> None:
    good = Mailbox(imap_user, imap_user)
    bad = Mailbox(f"{imap_user}-other", "someone-else", dst_password="not-the-password")
    built = task_on_pair([good, bad], tested=False)
    with EventLog(settings.redis_url, built.task_id) as events:
        response = api.post(f"/api/tasks/{built.task_id}/test")
        assert response.status_code == 202 and response.json == {"account_ids": built.account_ids}

        def all_tested() -> list[Account] | None:
            rows = _accounts(clean_db, built.account_ids)
            return rows if all(row.tested_at for row in rows) else None

        tested = wait_for(all_tested, 30, "both accounts to be tested")
        wait_for(lambda: len(events.of("account_test")) == 2, 10, "two account_test events")
    ok, failed = tested
    assert (ok.test_src_status, ok.test_dst_status, ok.test_dst_error) == (
        enums.TestStatus.OK,
        enums.TestStatus.OK,
        None,
    )
    assert failed.test_src_status == enums.TestStatus.OK and failed.test_dst_status == enums.TestStatus.FAIL
    assert "login refused for someone-else" in (failed.test_dst_error or "")
    assert "not-the-password" not in str(events.events)
    by_account = {event["account_id"]: event["data"] for event in events.of("account_test")}
    assert by_account[built.account_ids[1]]["test_dst_status"] == "fail"
    # The task can now be scheduled only once every account passes.
    assert api.put(f"/api/tasks/{built.task_id}/schedule", json={"interval_seconds": 3600}).status_code == 409
    with EventLog(settings.redis_url, built.task_id) as again:
        assert api.post(f"/api/accounts/{built.account_ids[0]}/test").status_code == 202
        assert again.wait_for("account_test")["account_id"] == built.account_ids[0]
    assert api.post("/api/accounts/99999/test").status_code == 404


def test_plan_lists_source_and_destination_folders(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    one_worker: WorkerPool,
    dst_server: ImapServer,
    loaded_source: object,
    imap_user: str,
) -> None:
    built = task_on_pair([Mailbox(imap_user, imap_user)])
    response = api.get(f"/api/tasks/{built.task_id}/plan")
    assert response.status_code == 200, response.json
    folders = {f["source"]: f for f in response.json["folders"]}
    assert folders["INBOX"]["destination"] == "INBOX" and folders["INBOX"]["messages"] > 0
    sent = folders["Sent Items"]
    assert sent["special_use"] and sent["destination"] == dst_server.mailbox_name("Sent")
    assert api.get(f"/api/tasks/{built.task_id}/plan?account_id=999").status_code == 409
    wrong = task_on_pair([Mailbox(imap_user, "x", dst_password="wrong")])
    assert api.get(f"/api/tasks/{wrong.task_id}/plan").status_code == 502
    assert response.json["warnings"] == []  # no daily upload budget on this destination


def test_plan_warns_when_the_account_exceeds_the_daily_upload_budget(
    task_on_pair: TaskOnPair, api: ApiClient, one_worker: WorkerPool, loaded_source: object, imap_user: str
) -> None:
    built = task_on_pair([Mailbox(imap_user, imap_user)])
    dst_id = api.get(f"/api/tasks/{built.task_id}").json["task"]["dst_endpoint_id"]
    assert api.patch(f"/api/endpoints/{dst_id}", json={"daily_upload_mb": 1}).status_code == 200
    response = api.get(f"/api/tasks/{built.task_id}/plan")
    assert response.status_code == 200, response.json
    [warning] = response.json["warnings"]
    assert warning["kind"] == "budget" and warning["count"] >= 2
    assert "daily upload budget of 1 MB" in warning["message"] and "planned over" in warning["message"]


def test_jobs_over_an_endpoint_limit_wait_instead_of_failing(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    settings: Settings,
    two_workers: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    big_sources: list[str],
    dst_users: list[str],
) -> None:
    mailboxes = [Mailbox(src, dst) for src, dst in zip(big_sources, dst_users, strict=False)]
    built = task_on_pair(mailboxes, max_connections=1)
    with EventLog(settings.redis_url, built.task_id) as events:
        run = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"], timeout=90)
    assert run.status == enums.RunStatus.DONE and run.total_errors == 0
    waits = [e for e in events.of("progress") if e["data"].get("waiting")]
    assert waits and "connection limit" in waits[0]["data"]["waiting"]
    # One at a time: the waiting account copied its first folder after the other had copied its last.
    folders = [(i, e["account_id"]) for i, e in enumerate(events.events) if e["type"] == "folder"]
    waiter = waits[0]["account_id"]
    first_of_waiter = min(i for i, account in folders if account == waiter)
    last_of_other = max(i for i, account in folders if account != waiter)
    assert first_of_waiter > last_of_other
    for box in mailboxes:
        assert compare(src_server, dst_server, box.src_user, box.dst_user).complete
