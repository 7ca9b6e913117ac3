"""Runs over part of a task with real workers: paused accounts are skipped, retry-failed re-runs
only the accounts that did not end done without errors."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from app.models.enums import AccountRunStatus, RunStatus, Trigger
from tests.conftest import ApiClient
from tests.support.factories import Mailbox, TaskOnPair
from tests.support.processes import WorkerPool
from tests.support.rows import account_runs, wait_finished

pytestmark = [pytest.mark.celery, pytest.mark.imap]


def test_paused_accounts_are_skipped_and_retry_failed_reruns_only_the_failed(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    loaded_source: object,
    imap_user: str,
) -> None:
    built = task_on_pair(
        [
            Mailbox(imap_user, imap_user),
            Mailbox(f"{imap_user}-b", "nobody", dst_password="wrong"),
            Mailbox(f"{imap_user}-c", "paused"),
        ]
    )
    good, bad, paused = built.account_ids
    assert api.patch(f"/api/accounts/{paused}", json={"enabled": False}).status_code == 200
    first = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"], timeout=90)
    statuses = {row.account_id: row.status for row in account_runs(clean_db, first.id)}
    assert statuses == {good: AccountRunStatus.OK, bad: AccountRunStatus.FAILED}  # no row for the paused
    assert first.status == RunStatus.FAILED and first.total_errors >= 1
    detail = api.get(f"/api/runs/{first.id}").json
    [failed] = [a for a in detail["accounts"] if a["account_id"] == bad]
    [item] = failed["errors_list"]
    assert (item["kind"], item["side"], item["folder"]) == ("login", "dst", None)  # not a message error
    retry = api.post(f"/api/runs/{first.id}/retry-failed")
    assert retry.status_code == 202, retry.json
    second = wait_finished(clean_db, retry.json["run_id"], timeout=90)
    assert [row.account_id for row in account_runs(clean_db, second.id)] == [bad]
    assert second.trigger == Trigger.MANUAL
    failed_only = api.get(f"/api/tasks/{built.task_id}/accounts?last_outcome=failed").json
    assert [row["id"] for row in failed_only] == [bad]
