"""A worker copying from a misbehaving source server: the account ends with a clear error, within
bounded time and memory, while a healthy account copied in parallel on the same worker completes.

One real worker process with two pool children (as in production, WORKER_CONCURRENCY=2) and a
short IMAP_TIMEOUT_SECONDS. The healthy account starts first; once it has copied something, a task
with one account per hostile mode runs, its accounts one after another on the other pool child.
Peak RSS is the pool children's VmHWM from /proc, reset before the run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from app.config import Settings
from app.models.enums import AccountRunStatus
from testbed.dovecot import ImapServer
from testbed.faultproxy import FaultProxy
from testbed.hostile_imap import HostileImapServer
from tests.conftest import ApiClient
from tests.hostile_fixtures import MB, peak_rss, reset_peak_rss
from tests.jobs.conftest import big_source_total, settle
from tests.support.factories import Mailbox, dovecot_task
from tests.support.processes import CeleryProcess, WorkerPool, worker
from tests.support.rows import account_runs, wait_finished, wait_progress

pytestmark = [pytest.mark.celery, pytest.mark.imap]
MAX_SECONDS = 30.0
MAX_RSS = 300 * MB

CASES = {
    # mode: (account status, text of its error)
    "huge_literal": (
        AccountRunStatus.PARTIAL,
        "the source server announced a literal of 3,000,000,000 bytes in its response to FETCH for UID 2",
    ),
    "trickle": (AccountRunStatus.FAILED, "the source server took"),
    "exists_flood": (
        AccountRunStatus.FAILED,
        "more than 100,000 responses to the pipelined EXAMINE and SEARCH commands",
    ),
    "deep_nesting": (AccountRunStatus.FAILED, "malformed response to FETCH (parentheses nested"),
    "malformed_item": (AccountRunStatus.FAILED, "malformed response to FETCH: '* 3 FETCH (UID 3"),
    "unexpected_line": (AccountRunStatus.FAILED, "malformed response to FETCH: 'HTTP/1.1 400"),
    "endless_spool": (AccountRunStatus.PARTIAL, "the source server sent more than"),
    "long_lines": (AccountRunStatus.FAILED, "more than 25,165,824 bytes to one FETCH command"),
    "continuations": (AccountRunStatus.FAILED, "more than 100,000 responses to one FETCH command"),
    "bad_status": (AccountRunStatus.FAILED, "malformed response to STATUS: '* STATUS INBOX (MESSAGES many"),
}


@pytest.fixture(scope="module")
def two_slot_worker(
    worker_pool: WorkerPool, worker_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CeleryProcess]:
    """The only worker running: concurrency 2, IMAP_TIMEOUT_SECONDS=2 (the pool's are stopped)."""
    worker_pool.ensure()
    env = {**worker_env, "IMAP_TIMEOUT_SECONDS": "2"}
    proc = worker("hostile", env, tmp_path_factory.mktemp("hostile-worker"), concurrency=2)
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def slow_src_server(src_server: ImapServer) -> Iterator[ImapServer]:
    """The source server behind a 100 ms round trip, so that the healthy account's copy is still going
    when the hostile accounts start however fast the machine is: the test is about running alongside."""
    with FaultProxy(src_server.port_plain, delay=0.05) as proxy:
        yield dataclasses.replace(src_server, port_plain=proxy.port)


def pool_children(proc: CeleryProcess) -> list[int]:
    assert proc.proc is not None
    pid = proc.proc.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def source_of(server: HostileImapServer) -> ImapServer:
    """The hostile server as the job builders see a source (any username and password log in)."""
    nowhere = Path("/nonexistent")
    return ImapServer("hostile", server.host, server.port, server.port, nowhere, "any", "/", "", nowhere)


def test_worker_fails_each_hostile_account_and_copies_a_healthy_one_alongside(
    api: ApiClient,
    settings: Settings,
    two_slot_worker: CeleryProcess,
    clean_db: Engine,
    hostile_server: HostileImapServer,
    slow_src_server: ImapServer,
    dst_server: ImapServer,
    big_source: str,
    dst_users: list[str],
) -> None:
    healthy = dovecot_task(clean_db, slow_src_server, dst_server, [Mailbox(big_source, dst_users[0])])
    # Seven destination users for ten modes: the last three fail before copying anything, so they
    # can share those of the first three.
    boxes = [Mailbox(mode, dst_users[1 + i % 7]) for i, mode in enumerate(CASES)]
    hostile = dovecot_task(clean_db, source_of(hostile_server), dst_server, boxes)
    children = pool_children(two_slot_worker)
    for child in children:
        reset_peak_rss(child)
    healthy_run = api.post(f"/api/tasks/{healthy.task_id}/run").json["run_id"]
    wait_progress(clean_db, healthy_run, copied=1)
    hostile_run = api.post(f"/api/tasks/{hostile.task_id}/run").json["run_id"]
    run = wait_finished(clean_db, hostile_run, timeout=120)
    peaks = [peak_rss(child) for child in children]
    wait_finished(clean_db, healthy_run, timeout=120)
    settle(settings)
    print(f"pool children peak RSS: {', '.join(f'{peak / MB:.0f} MB' for peak in peaks)}")
    assert run.total_errors >= len(CASES)
    assert all(0 < peak < MAX_RSS for peak in peaks), peaks
    for mode, bad in zip(CASES, account_runs(clean_db, hostile_run), strict=True):
        status, text = CASES[mode]
        assert bad.started_at is not None and bad.finished_at is not None
        took = (bad.finished_at - bad.started_at).total_seconds()
        print(f"{mode}: {bad.status} in {took:.1f} s: {bad.error_summary}")
        assert bad.status == status, (mode, bad.error_summary)
        assert bad.error_summary is not None and text in bad.error_summary, mode
        assert "Traceback" not in bad.error_summary
        assert took < MAX_SECONDS, mode
    [good] = account_runs(clean_db, healthy_run)
    first = min(bad.started_at for bad in account_runs(clean_db, hostile_run) if bad.started_at)
    assert good.status == AccountRunStatus.OK and good.copied == big_source_total()
    assert good.started_at is not None and good.finished_at is not None
    assert good.started_at < first < good.finished_at  # the healthy account ran alongside
