"""Throttling through a real worker: Exchange's "Request is throttled" on FETCH and APPEND for a
while; the job backs off and completes with 0 errors, nothing missing or twice, the task not broken."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models import Endpoint
from app.models.enums import RunStatus
from testbed.corpus import load_corpus, new_messages
from testbed.dovecot import ImapServer
from testbed.faultproxy import FaultProxy
from tests.conftest import ApiClient
from tests.support.factories import Mailbox, TaskOnPair
from tests.support.processes import WorkerPool
from tests.support.rows import account_runs, compare, get_task, wait_finished

pytestmark = [pytest.mark.celery, pytest.mark.imap]

THROTTLED = rb"\1 NO Request is throttled. Suggested Backoff Time: 400 milliseconds"


def test_a_throttled_job_backs_off_and_completes_clean(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    imap_user: str,
) -> None:
    load_corpus(src_server, imap_user, new_messages(40, folders=("INBOX", "Work"), batch=91))
    fetch = (rb"(\w+) OK Fetch completed[^\r]*", THROTTLED)
    append = (rb"(\w+) OK \[APPENDUID [^\]]*\] Append completed[^\r]*", THROTTLED)
    with (
        FaultProxy(src_server.port_plain, rewrite=fetch, rewrite_skip=1) as sp,
        FaultProxy(dst_server.port_plain, rewrite=append, rewrite_skip=1) as dp,
    ):
        built = task_on_pair([Mailbox(imap_user, imap_user)])
        with Session(clean_db) as session, session.begin():
            for endpoint_id, port in ((built.src_endpoint_id, sp.port), (built.dst_endpoint_id, dp.port)):
                session.execute(update(Endpoint).where(Endpoint.id == endpoint_id).values(port=port))
        run_id = api.post(f"/api/tasks/{built.task_id}/run").json["run_id"]
        run = wait_finished(clean_db, run_id)
    assert (sp.rewrites, dp.rewrites) == (1, 1)  # the throttling replies were sent
    [account] = account_runs(clean_db, run_id)
    assert run.status == RunStatus.DONE and (account.errors, run.total_errors) == (0, 0)
    assert not get_task(clean_db, built.task_id).broken
    result = compare(src_server, dst_server, imap_user, imap_user)
    assert (result.missing, result.duplicated) == (0, 0)
