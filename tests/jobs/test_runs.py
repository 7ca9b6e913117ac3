"""Runs end to end: the API or beat starts them, real worker processes copy between the Dovecot
pair, finalize closes them. Each destination is checked with the engine's compare."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from app.db import utcnow
from app.models.enums import RunStatus, TaskStatus, Trigger
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.jobs.conftest import big_source_total
from tests.support.factories import Mailbox, TaskOnPair, dovecot_task
from tests.support.processes import WorkerPool
from tests.support.rows import account_runs, compare, get_task, runs_of, wait_finished, wait_for

pytestmark = [pytest.mark.celery, pytest.mark.imap]


def test_manual_run_copies_everything_and_a_second_run_copies_nothing(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    big_source: str,
    dst_users: list[str],
) -> None:
    built = task_on_pair([Mailbox(big_source, dst_users[0])], interval=3600)
    response = api.post(f"/api/tasks/{built.task_id}/run")
    assert response.status_code == 202
    run_id = response.json["run_id"]
    assert api.post(f"/api/tasks/{built.task_id}/run").status_code == 409  # never two at once
    run = wait_finished(clean_db, run_id)
    assert (run.status, run.trigger, run.total_errors) == (RunStatus.DONE, Trigger.MANUAL, 0)
    assert run.total_copied == big_source_total()
    assert compare(src_server, dst_server, big_source, dst_users[0]).complete
    detail = api.get(f"/api/runs/{run_id}").json
    [account] = detail["accounts"]
    assert account["status"] == "ok" and account["copied"] == run.total_copied and account["folders"]
    task = get_task(clean_db, built.task_id)
    assert task.status == TaskStatus.DONE and task.next_due_at == run.finished_at + timedelta(hours=1)
    second = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"])
    assert (second.status, second.total_copied, second.total_errors) == (RunStatus.DONE, 0, 0)
    log = api.get(f"/api/tasks/{built.task_id}/runs").json
    assert [r["id"] for r in log] == [second.id, run_id]  # newest first


def test_scheduled_run_started_by_beat_and_breaker_on_errors(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    one_worker: WorkerPool,
    beat_process: None,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    loaded_source: object,
    imap_user: str,
    dst_users: list[str],
) -> None:
    anchor = utcnow() - timedelta(hours=1, seconds=5)
    good = dovecot_task(
        clean_db, src_server, dst_server, [Mailbox(imap_user, dst_users[0])], interval=3600, anchor=anchor
    )
    wrong = Mailbox(imap_user, dst_users[1], dst_password="wrong-password")
    bad = task_on_pair([wrong], interval=3600, anchor=anchor)
    [good_run] = wait_for(lambda: runs_of(clean_db, good.task_id), 20, "beat to start the good task")
    [bad_run] = wait_for(lambda: runs_of(clean_db, bad.task_id), 20, "beat to start the bad task")
    assert good_run.trigger == bad_run.trigger == Trigger.SCHEDULED
    good_run, bad_run = wait_finished(clean_db, good_run.id), wait_finished(clean_db, bad_run.id)
    assert (
        good_run.status == RunStatus.DONE
        and compare(src_server, dst_server, imap_user, dst_users[0]).complete
    )
    task = get_task(clean_db, good.task_id)
    assert task.next_due_at == good_run.finished_at + timedelta(hours=1) and not task.broken
    assert bad_run.status == RunStatus.FAILED and bad_run.total_errors >= 1
    assert "login refused" in (bad_run.error_summary or "")
    broken = get_task(clean_db, bad.task_id)
    assert broken.broken and broken.schedule_interval_seconds == 0 and broken.next_due_at is None
    assert api.get(f"/api/tasks/{bad.task_id}").json["task"]["next_run_at"] is None
    # The same errors on a manual run never trip the breaker.
    assert api.put(f"/api/tasks/{bad.task_id}/schedule", json={"interval_seconds": 3600}).status_code == 204
    manual = wait_finished(clean_db, api.post(f"/api/tasks/{bad.task_id}/run").json["run_id"])
    assert manual.status == RunStatus.FAILED and manual.total_errors >= 1
    after = get_task(clean_db, bad.task_id)
    assert not after.broken and after.schedule_interval_seconds == 3600
    assert api.get("/readyz").json["checks"]["scheduler"] == "ok"


def test_two_worker_processes_share_the_accounts_of_one_run(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    two_workers: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    big_sources: list[str],
    dst_users: list[str],
) -> None:
    mailboxes = [Mailbox(src, dst) for src, dst in zip(big_sources, dst_users, strict=False)]
    built = task_on_pair(mailboxes)
    run_id = api.post(f"/api/tasks/{built.task_id}/run").json["run_id"]
    run = wait_finished(clean_db, run_id, timeout=120)
    assert run.status == RunStatus.DONE and run.total_errors == 0
    rows = account_runs(clean_db, run_id)
    assert all(row.started_at and row.finished_at for row in rows)
    overlapping = any(
        a.started_at < b.finished_at and b.started_at < a.finished_at  # type: ignore[operator]
        for a in rows
        for b in rows
        if a.id < b.id
    )
    assert overlapping, "with concurrency 1 per worker, overlapping accounts ran on two processes"
    for name, proc in two_workers.workers.items():
        assert f"run_id={run_id}" in proc.log(), f"worker {name} took no account of the run"
    for box in mailboxes:
        assert compare(src_server, dst_server, box.src_user, box.dst_user).complete
