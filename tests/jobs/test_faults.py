"""Faults with real workers: cancel mid-copy, a worker SIGKILLed mid-copy, a redelivered job."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.engine import Engine

from app import dispatch
from app.config import Settings
from app.models.enums import AccountRunStatus, RunStatus, TaskStatus
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.jobs.conftest import big_source_total
from tests.jobs.listen import EventLog
from tests.support.factories import Mailbox, TaskOnPair
from tests.support.processes import WorkerPool
from tests.support.rows import account_runs, compare, get_task, wait_finished, wait_progress

pytestmark = [pytest.mark.celery, pytest.mark.imap]
CANCEL_WITHIN_SECONDS = 5.0


def test_cancel_stops_a_run_within_seconds(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    settings: Settings,
    one_worker: WorkerPool,
    clean_db: Engine,
    big_sources: list[str],
    dst_users: list[str],
) -> None:
    mailboxes = [Mailbox(src, dst) for src, dst in zip(big_sources, dst_users, strict=False)]
    built = task_on_pair(mailboxes)  # one worker: the 2nd account waits
    with EventLog(settings.redis_url, built.task_id) as events:
        run_id = api.post(f"/api/tasks/{built.task_id}/run").json["run_id"]
        wait_progress(clean_db, run_id, copied=100)
        asked = time.monotonic()
        response = api.post(f"/api/tasks/{built.task_id}/cancel")
        assert response.status_code == 202 and response.json == {"run_id": run_id, "status": "running"}
        run = wait_finished(clean_db, run_id, timeout=30)
        took = time.monotonic() - asked
        events.wait_for("run_done")
    assert took < CANCEL_WITHIN_SECONDS, f"the run took {took:.1f} s to stop"
    assert run.status == RunStatus.CANCELLED and run.cancel_requested
    running, queued = account_runs(clean_db, run_id)
    assert running.status == AccountRunStatus.CANCELLED and 0 < running.copied < big_source_total()
    assert queued.status == AccountRunStatus.CANCELLED and queued.started_at is None
    assert get_task(clean_db, built.task_id).status == TaskStatus.CANCELLED
    assert "cancelled" in events.types() and events.of("run_done")[0]["data"]["status"] == "cancelled"


def test_sigkilled_worker_run_is_abandoned_and_the_next_run_completes_without_duplicates(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    any_workers: WorkerPool,
    beat_process: None,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    big_source: str,
    dst_users: list[str],
) -> None:
    [victim] = any_workers.ensure("w1")
    built = task_on_pair([Mailbox(big_source, dst_users[0])], interval=3600)
    run_id = api.post(f"/api/tasks/{built.task_id}/run").json["run_id"]
    wait_progress(clean_db, run_id, copied=200)
    victim.kill()  # parent and pool child: nobody acknowledges, finishes or finalizes the job
    any_workers.ensure("w1")  # a fresh worker runs the reaper (beat ticks every second)
    run = wait_finished(clean_db, run_id, timeout=30)
    assert run.status == RunStatus.ABANDONED
    [account] = account_runs(clean_db, run_id)
    assert account.status == AccountRunStatus.ABANDONED and account.copied >= 200
    task = get_task(clean_db, built.task_id)
    assert task.status == TaskStatus.FAILED and not task.broken and task.schedule_interval_seconds == 3600
    assert compare(src_server, dst_server, big_source, dst_users[0]).missing > 0  # it really stopped
    second = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"])
    assert second.status == RunStatus.DONE and second.total_errors == 0
    result = compare(src_server, dst_server, big_source, dst_users[0])
    assert (result.missing, result.duplicated) == (0, 0)


def test_a_redelivered_copy_job_copies_nothing_twice(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    two_workers: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    big_source: str,
    dst_users: list[str],
) -> None:
    built = task_on_pair([Mailbox(big_source, dst_users[0])])
    run_id = api.post(f"/api/tasks/{built.task_id}/run").json["run_id"]
    wait_progress(clean_db, run_id, copied=50)
    # The broker hands the same job out again (visibility timeout, lost ack) while the first runs.
    client = dispatch.make_client(api.client.application.extensions["imapcopier"].settings)
    duplicate = client.send_task(dispatch.COPY_ACCOUNT, args=(run_id, built.account_ids[0]), queue="copy")
    run = wait_finished(clean_db, run_id)
    assert duplicate.get(timeout=60)["status"] == "skipped"
    [account] = account_runs(clean_db, run_id)
    assert run.status == RunStatus.DONE and account.copied == run.total_copied == big_source_total()
    result = compare(src_server, dst_server, big_source, dst_users[0])
    assert (result.missing, result.duplicated) == (0, 0)


def test_a_worker_shutting_down_hands_its_account_back_and_another_finishes_it(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    any_workers: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    big_source: str,
    dst_users: list[str],
) -> None:
    [worker] = any_workers.ensure("w1")
    built = task_on_pair([Mailbox(big_source, dst_users[0])])
    run_id = api.post(f"/api/tasks/{built.task_id}/run").json["run_id"]
    wait_progress(clean_db, run_id, copied=100)
    asked = time.monotonic()
    worker.stop()  # warm shutdown: the job stops after its batch instead of holding the worker for hours
    assert time.monotonic() - asked < CANCEL_WITHIN_SECONDS
    [handed_back] = account_runs(clean_db, run_id)
    assert handed_back.status == AccountRunStatus.QUEUED and 100 <= handed_back.copied < big_source_total()
    assert "account_job.requeued" in worker.log()
    any_workers.ensure("w1")  # the requeued message is picked up again
    run = wait_finished(clean_db, run_id)
    assert run.status == RunStatus.DONE and run.total_errors == 0
    result = compare(src_server, dst_server, big_source, dst_users[0])
    assert (result.missing, result.duplicated) == (0, 0)
