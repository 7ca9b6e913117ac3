"""A run of many short account jobs (empty mailboxes, each shorter than a heartbeat interval) lasts
longer than the stale limit and still ends done: each job's start and end is a sign of life of the
run, so the reaper never takes it for one whose workers died."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from app.models.enums import RunStatus
from tests.conftest import ApiClient
from tests.imap_fixtures import new_username
from tests.support.factories import Mailbox, TaskOnPair
from tests.support.processes import FAST, WorkerPool
from tests.support.rows import wait_finished

pytestmark = [pytest.mark.celery, pytest.mark.imap]
ACCOUNTS = 200


def test_a_long_run_of_short_jobs_is_not_abandoned(
    task_on_pair: TaskOnPair, api: ApiClient, one_worker: WorkerPool, beat_process: None, clean_db: Engine
) -> None:
    prefix = new_username("short")
    built = task_on_pair([Mailbox(f"{prefix}-{n}", f"{prefix}-{n}") for n in range(ACCOUNTS)])
    run = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"], timeout=120)
    took = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
    assert took > FAST["run_stale_seconds"], f"the run took {took:.1f} s: too short to prove anything"
    assert (run.status, run.total_errors) == (RunStatus.DONE, 0), run.error_summary
