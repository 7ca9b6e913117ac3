"""Worker logs of a full run: one JSON object per line, job ids on every job line, no passwords."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from app.models.enums import RunStatus
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.support.factories import Mailbox, TaskOnPair
from tests.support.processes import CeleryProcess, WorkerPool, worker
from tests.support.rows import wait_finished

pytestmark = [pytest.mark.celery, pytest.mark.imap]
WRONG_PASSWORD = "Wr0ng-pass-7f3a9c-unique"


@pytest.fixture
def json_worker(
    any_workers: WorkerPool, worker_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CeleryProcess]:
    any_workers.ensure()  # stop the shared workers: this test reads one worker's whole log
    proc = worker("jsonlog", {**worker_env, "LOG_FORMAT": "json"}, tmp_path_factory.mktemp("jsonlog"))
    proc.start()
    yield proc
    proc.stop()


def test_full_run_logs_are_json_with_ids_and_no_passwords(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    json_worker: CeleryProcess,
    clean_db: Engine,
    src_server: ImapServer,
    big_sources: list[str],
    dst_users: list[str],
) -> None:
    mailboxes = [Mailbox(big_sources[0], dst_users[0]), Mailbox(big_sources[1], dst_users[1], WRONG_PASSWORD)]
    built = task_on_pair(mailboxes)
    run = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"])
    assert run.status == RunStatus.FAILED and run.total_errors >= 1 and run.total_copied > 0

    log = json_worker.log()
    assert WRONG_PASSWORD not in log
    assert not re.search(rf"\b{re.escape(src_server.password)}\b", log), "an IMAP password reached the log"
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    job_lines = [r for r in records if r.get("name", "").startswith("workers.jobs.account_job")]
    assert job_lines, "no account job lines logged"
    for record in job_lines:
        assert record["run_id"] == run.id and record["account_id"] in built.account_ids, record
    assert {r["account_id"] for r in job_lines} == set(built.account_ids)
