"""Faults at the job level, each during a running multi-account copy (4 accounts x 1,000 messages, two
workers), each followed by the next run and the engine's compare on every account: nothing missing,
nothing duplicated, no run left open.

Everything runs on a private stack (tests/proof/stack.py: its own PostgreSQL cluster and Redis on free
ports, with its own workers and beats), because these tests restart databases and their workers must
not consume the jobs of other test sessions sharing the machine. Servers that get restarted are a
private Dovecot pair. A SIGKILLed single worker is tests/jobs/test_faults.py's; here one of two dies.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from app.db import utcnow
from app.models import Endpoint
from app.models.enums import AccountRunStatus, RunStatus, Trigger
from testbed.dovecot import DovecotPair, ImapServer, Which, data_root, free_ports
from testbed.faultproxy import FaultProxy, Mode
from tests.proof.fault_runs import FaultRun, load_sources, reset_users
from tests.proof.stack import PrivateStack, private_stack
from tests.support.rows import account_runs, runs_of, shift, wait_for

pytestmark = [pytest.mark.celery, pytest.mark.imap]
KB = 1024
STOP_WITHIN_SECONDS = 10.0
BEAT_TICKS = 6  # scan intervals (1 s each here) both beats must have ticked through
ESTABLISHED = "01"  # the TCP state in /proc/net/tcp


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateStack]:
    with private_stack(tmp_path_factory.mktemp("job-faults")) as private:
        yield private


@pytest.fixture
def jobs(stack: PrivateStack) -> Iterator[PrivateStack]:
    """The stack emptied, with two workers running; whatever the test broke is mended afterwards."""
    stack.heal()
    stack.reset()
    yield stack
    stack.stop_beats()
    stack.heal()
    stack.idle()


@pytest.fixture(scope="module")
def sources(src_server: ImapServer) -> Iterator[list[str]]:
    users = load_sources(src_server)
    yield users
    reset_users(src_server, users)


@pytest.fixture(scope="module")
def own_pair() -> Iterator[DovecotPair]:
    """A Dovecot pair of this module's (free ports, own directory): its servers get restarted."""
    root = data_root() / f"imap-private-{uuid.uuid4().hex[:8]}"
    pair = DovecotPair("test", base_dir=root, ports=free_ports(4))  # type: ignore[arg-type]
    pair.start()
    yield pair
    pair.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def own_sources(own_pair: DovecotPair) -> list[str]:
    return load_sources(own_pair.server("src"))


def serving(port: int) -> set[int]:
    """Processes holding an established TCP connection whose local port is `port` (from /proc)."""
    sockets = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == ESTABLISHED and int(fields[1].rsplit(":", 1)[1], 16) == port:
                sockets.add(f"socket:[{fields[9]}]")
    pids = set()
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        with contextlib.suppress(OSError):
            if os.readlink(fd) in sockets:
                pids.add(int(fd.parts[2]))
    return pids


def restart_dropping_sessions(pair: DovecotPair, which: Which) -> None:
    """A server restart as its clients live it: every session dropped, then the port closed for about
    a second. Dovecot's master restart alone leaves established sessions running, so the processes
    serving this private pair's port (found by their sockets, nothing else) get the SIGTERM that
    `shutdown_clients = yes` would send them."""
    sessions = serving(pair.server(which).port_plain)
    assert sessions, f"nobody is connected to {which}: the restart would hit no copy"
    for pid in sessions:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    pair.restart(which)


NewRun = Callable[..., FaultRun]


def _factory(stack: PrivateStack, src: ImapServer, dst: ImapServer, sources: list[str]) -> Iterator[NewRun]:
    made: list[FaultRun] = []

    def new(fault: str, **task: object) -> FaultRun:
        made.append(FaultRun(stack, src, dst, sources, fault, **task))
        return made[-1]

    yield new
    for run in made:
        run.cleanup()


@pytest.fixture
def new_run(
    jobs: PrivateStack, src_server: ImapServer, dst_server: ImapServer, sources: list[str]
) -> Iterator[NewRun]:
    """`new_run(fault, **task)`: a task over the shared pair's source users and fresh destinations."""
    yield from _factory(jobs, src_server, dst_server, sources)


@pytest.fixture
def own_run(jobs: PrivateStack, own_pair: DovecotPair, own_sources: list[str]) -> Iterator[NewRun]:
    """The same on this module's own pair, whose servers may be restarted."""
    yield from _factory(jobs, *own_pair.servers(), own_sources)


def test_sigterm_of_a_worker_hands_its_account_to_another(jobs: PrivateStack, new_run: NewRun) -> None:
    run = new_run("sigterm-worker")
    victim = jobs.pool.workers["w1"]
    run_id = run.start()
    run.midway(run_id)
    asked = time.monotonic()
    victim.stop()  # warm shutdown, as `docker stop` does it
    assert time.monotonic() - asked < STOP_WITHIN_SECONDS and victim.proc and victim.proc.returncode == 0
    assert "account_job.requeued" in run.worker_logs(), "w1 was not copying when it was stopped"
    first = run.finish(run_id)  # w2 takes the handed-back account over: the run itself completes
    assert (first.status, first.total_errors) == (RunStatus.DONE, 0)
    assert first.total_copied + first.total_skipped == run.total
    run.prove(first)


@pytest.mark.parametrize("side", ["src", "dst"])
def test_imap_server_restarted_mid_copy(own_pair: DovecotPair, own_run: NewRun, side: Which) -> None:
    run = own_run(f"{side}-imap-restart")
    run_id = run.start()
    run.midway(run_id)
    restart_dropping_sessions(own_pair, side)
    first = run.finish(run_id)
    assert "copy.reconnecting" in run.worker_logs(), "no connection was dropped: the fault missed"
    run.prove(first)


@pytest.mark.slow
@pytest.mark.parametrize("keep_data", [True, False], ids=["aof", "wiped"])
def test_redis_restarted_mid_run(jobs: PrivateStack, new_run: NewRun, keep_data: bool) -> None:
    """Broker and events restart; `wiped` loses every queued job (a Redis without persistence): the
    reaper must close the run instead of leaving it waiting for jobs that no longer exist."""
    jobs.beat()
    run = new_run("redis-restart" if keep_data else "redis-wiped")
    run_id = run.start()
    run.midway(run_id)
    pid = jobs.redis.proc.pid if jobs.redis.proc else None
    jobs.redis.restart(keep_data=keep_data)
    assert jobs.redis.proc is not None and jobs.redis.proc.pid != pid
    first = run.finish(run_id)
    run.prove(first)


@pytest.mark.slow
def test_postgres_restarted_mid_run(jobs: PrivateStack, new_run: NewRun) -> None:
    jobs.beat()  # its reaper closes what the jobs could not record while the database was away
    run = new_run("postgres-restart")
    run_id = run.start()
    run.midway(run_id)
    jobs.postgres.restart()  # fast shutdown: every open connection of the workers is terminated
    first = run.finish(run_id)
    run.prove(first)


def test_two_beats_start_each_due_task_once(jobs: PrivateStack, new_run: NewRun) -> None:
    due = shift(utcnow(), -3601)  # anchor + interval is a second ago: due at the first scan
    runs = [new_run("two-beats", interval=3600, anchor=due) for _ in range(2)]
    beats = [jobs.beat("beat-a"), jobs.beat("beat-b")]
    offsets = [len(beat.log()) for beat in beats]

    def ticks(index: int) -> int:
        return beats[index].log()[offsets[index] :].count("Sending due task scan-due-tasks")

    def all_finished() -> bool:
        started = [runs_of(jobs.engine, run.built.task_id) for run in runs]
        return all(rows and all(row.finished_at is not None for row in rows) for rows in started)

    wait_for(lambda: all_finished() and min(ticks(0), ticks(1)) >= BEAT_TICKS, 90, "runs and beat ticks")
    jobs.stop_beats()
    for run in runs:
        [only] = runs_of(jobs.engine, run.built.task_id)  # however many scans both beats sent
        assert (only.trigger, only.status) == (Trigger.SCHEDULED, RunStatus.DONE)
        assert only.total_copied == run.total
        run.prove(only)


@pytest.mark.parametrize(
    ("fault", "mode"), [("append-cut", "cut_up"), ("append-reply-lost", "cut_on")], ids=["cut", "reply-lost"]
)
def test_connection_dropped_mid_append(
    jobs: PrivateStack, dst_server: ImapServer, new_run: NewRun, fault: str, mode: Mode
) -> None:
    """A proxy in front of the destination cuts three connections: mid-APPEND (`cut`), or right after
    the server stored a batch but before its OK arrives (`reply-lost`, the worst moment)."""
    cut = FaultProxy(dst_server.port_plain, mode, after_bytes=256 * KB, pattern=b"APPENDUID", max_cuts=3)
    with cut as proxy:
        run = new_run(fault)
        with jobs.engine.begin() as conn:
            endpoint = update(Endpoint).where(Endpoint.id == run.built.dst_endpoint_id)
            conn.execute(endpoint.values(port=proxy.port))
        first = run.finish(run.start())
        assert proxy.cuts == 3, "the fault never fired: the test proves nothing"
        assert (first.status, first.total_errors) == (RunStatus.DONE, 0)
        assert first.total_copied + first.total_skipped == run.total
        run.prove(first)  # still through the proxy, whose cuts are used up


@pytest.mark.slow
def test_sigkill_of_one_of_two_workers(jobs: PrivateStack, new_run: NewRun) -> None:
    """The survivor copies the other accounts; the reaper closes the run (abandoned) once they are done."""
    jobs.beat()
    run = new_run("sigkill-one-of-two")
    run_id = run.start()
    run.midway(run_id)
    jobs.pool.workers["w1"].kill()
    first = run.finish(run_id)
    assert first.status == RunStatus.ABANDONED
    statuses = sorted(row.status for row in account_runs(jobs.engine, run_id))
    assert statuses.count(AccountRunStatus.ABANDONED) == 1 and statuses.count(AccountRunStatus.OK) == 3
    run.prove(first, before_next=jobs.heal)
