"""Load on a private stack (tests/proof/stack.py): a task of 200 small accounts on two workers, the API
under concurrent clients against a real gunicorn, and the scan's claim at 20,000 scheduled tasks.

Figures are printed (run pytest with -s to see them) and, with IMAPCOPIER_SOAK_REPORT set, written
for `make soak`'s table. Assertions are about correctness and generous sanity bounds, not speed: the
timing targets of the scan are scripts/bench_scan.py's.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db import utcnow
from app.models import User
from app.models.enums import AccountRunStatus, RunStatus
from app.services import auth as auth_service
from app.services import due as due_windows
from app.services.runs import claim as claim_sql
from testbed.dovecot import ImapServer
from tests.conftest import ADMIN_USERNAME
from tests.imap_fixtures import new_username
from tests.proof.fault_runs import REPORT_ENV, reset_users
from tests.proof.loadgen import hammer
from tests.proof.stack import PrivateStack, private_stack, web_server
from tests.support.factories import Mailbox, dovecot_task
from tests.support.rows import account_runs, compare, wait_finished

pytestmark = [pytest.mark.celery, pytest.mark.imap]
ACCOUNTS, PER_ACCOUNT = 200, 5
API_TASKS, API_ACCOUNTS, API_RUNS = 50, 20, 5
CLIENTS, LOAD_SECONDS, P99_BOUND_MS = 8, 10.0, 2000.0
BASELINE_SECONDS = 3.0  # one client first: the latency without queueing
SCAN_TASKS = 20_000


def report(kind: str, **figures: object) -> None:
    print(f"\n{kind}: " + ", ".join(f"{name}={value}" for name, value in figures.items()))
    path = os.environ.get(REPORT_ENV)
    if path:
        with open(path, "a") as out:
            out.write(json.dumps({"kind": kind, **figures}) + "\n")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateStack]:
    with private_stack(tmp_path_factory.mktemp("load")) as private:
        private.app()  # creates the admin user
        yield private


@pytest.fixture
def empty(stack: PrivateStack) -> PrivateStack:
    stack.reset()
    return stack


@pytest.fixture(scope="module")
def small_sources(src_server: ImapServer) -> Iterator[list[str]]:
    """200 source users with 5 small messages each."""
    from testbed.corpus import new_messages
    from testbed.corpus_imap import load_corpus

    mail = list(new_messages(PER_ACCOUNT))
    users = [new_username("lsrc") for _ in range(ACCOUNTS)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda user: load_corpus(src_server, user, mail), users))
    yield users
    reset_users(src_server, users)


def test_a_task_of_200_accounts_completes_with_correct_totals(
    empty: PrivateStack, src_server: ImapServer, dst_server: ImapServer, small_sources: list[str]
) -> None:
    empty.pool.ensure("w1", "w2")
    dst_users = [new_username("ldst") for _ in small_sources]
    try:
        mailboxes = [Mailbox(s, d) for s, d in zip(small_sources, dst_users, strict=True)]
        built = dovecot_task(empty.engine, src_server, dst_server, mailboxes)
        started = time.monotonic()
        response = empty.api().post(f"/api/tasks/{built.task_id}/run")
        assert response.status_code == 202
        run = wait_finished(empty.engine, response.get_json()["run_id"], timeout=240)
        seconds = time.monotonic() - started
        rows = account_runs(empty.engine, run.id)
        with ThreadPoolExecutor(max_workers=8) as pool:
            pairs = zip(small_sources, dst_users, strict=True)
            comparisons = list(pool.map(lambda p: compare(src_server, dst_server, *p), pairs))
        missing = sum(c.missing for c in comparisons)
        duplicated = sum(c.duplicated for c in comparisons)
        report(
            "accounts",
            accounts=len(rows),
            copied=run.total_copied,
            errors=run.total_errors,
            missing=missing,
            duplicated=duplicated,
            seconds=round(seconds, 1),
            per_account_ms=round(1000 * seconds / ACCOUNTS),
        )
        assert (run.status, run.total_errors) == (RunStatus.DONE, 0)
        assert run.total_copied == sum(row.copied for row in rows) == ACCOUNTS * PER_ACCOUNT
        assert len(rows) == ACCOUNTS
        assert {(row.status, row.copied) for row in rows} == {(AccountRunStatus.OK, PER_ACCOUNT)}
        assert (missing, duplicated) == (0, 0)
    finally:
        reset_users(dst_server, dst_users)


_SEED_RUNS = """
INSERT INTO runs (task_id, trigger, status, started_at, finished_at, heartbeat_at, cancel_requested,
                  total_copied, total_skipped, total_errors, total_bytes)
SELECT t.id, 'scheduled', 'done', now() - g * interval '3 hours', now() - g * interval '3 hours'
       + interval '4 minutes', now(), false, 100, 0, 0, 1000000
FROM tasks t CROSS JOIN generate_series(1, :runs) AS g;
INSERT INTO account_runs (run_id, account_id, status, copied, skipped, errors, bytes, error_list, folders,
                          started_at, finished_at)
SELECT r.id, a.id, 'ok', 5, 0, 0, 50000, '[]', '{}', r.started_at, r.finished_at
FROM runs r JOIN accounts a ON a.task_id = r.task_id
"""


def _seed_tasks(stack: PrivateStack, src: ImapServer, dst: ImapServer) -> list[int]:
    """50 tasks of 20 accounts, each with 5 finished runs: what the list and detail pages read."""
    ids = []
    for _ in range(API_TASKS):
        mailboxes = [Mailbox(new_username("api"), new_username("api")) for _ in range(API_ACCOUNTS)]
        ids.append(dovecot_task(stack.engine, src, dst, mailboxes).task_id)
    with stack.engine.begin() as conn:
        for statement in _SEED_RUNS.strip().split(";\n"):
            conn.execute(text(statement), {"runs": API_RUNS})
        conn.execute(text("ANALYZE"))
    return ids


def test_the_api_answers_task_list_and_detail_under_concurrent_load(
    empty: PrivateStack, src_server: ImapServer, dst_server: ImapServer
) -> None:
    task_ids = _seed_tasks(empty, src_server, dst_server)
    with empty.app().extensions["imapcopier"].sessions.begin() as session:
        admin = session.query(User).filter_by(username=ADMIN_USERNAME).one()
        token = auth_service.create_token(session, admin, "load test")
    targets = {"task list": ["/api/tasks"], "task detail": [f"/api/tasks/{i}" for i in task_ids]}
    with web_server(empty, workers=2, threads=8) as base:
        alone = hammer(base, token, targets, clients=1, seconds=BASELINE_SECONDS)
        figures = hammer(base, token, targets, clients=CLIENTS, seconds=LOAD_SECONDS)
    for item in [*alone, *figures]:
        item.write()
        print(f"\n{item}")
    assert {item.request for item in figures} == set(targets)
    for item in [*alone, *figures]:
        assert item.errors == 0, item.first_error
        assert item.requests > 10 and item.p99_ms < P99_BOUND_MS, item


def _claim_plan(session: Session, generic: bool) -> str:
    """EXPLAIN of the scan's whole claim statement (it is not run), as a prepared statement."""
    claim = claim_sql._CLAIM.format(due=claim_sql._DUE, subset="")
    prepared = re.sub(
        r":(now|limit|trigger)\b", lambda m: {"now": "$1", "limit": "$2", "trigger": "$3"}[m[1]], claim
    )
    session.execute(text(f"PREPARE claim_plan(timestamptz, int, text) AS {prepared}"))
    mode = "force_generic_plan" if generic else "force_custom_plan"
    session.execute(text(f"SET LOCAL plan_cache_mode = {mode}"))
    rows = session.execute(text("EXPLAIN EXECUTE claim_plan(now(), 100, 'scheduled')")).scalars()
    plan = "\n".join(rows)
    session.execute(text("DEALLOCATE claim_plan"))
    return plan


def _cte(plan: str, name: str) -> str:
    """The lines of one CTE's subtree in an EXPLAIN text."""
    lines = plan.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"CTE {name}")
    depth = len(lines[start]) - len(lines[start].lstrip())
    end = next(
        (i for i in range(start + 1, len(lines)) if len(lines[i]) - len(lines[i].lstrip()) <= depth),
        len(lines),
    )
    return "\n".join(lines[start:end])


def test_the_scan_claim_reads_only_due_tasks_through_the_partial_index(empty: PrivateStack) -> None:
    """At 20,000 scheduled tasks (1% due) the claim finds its tasks through ix_tasks_next_due_at and
    checks their accounts through ix_accounts_task_id, never by scanning either table: in the plan made
    for the values (custom), and in the generic plan a prepared statement may switch to. (Joining the
    claimed rows back may hash a table this small; at 100,000 tasks the custom plan uses the keys,
    and scripts/bench_scan.py times both sizes.)"""
    from scripts.bench_scan import seed

    seed(empty.engine, SCAN_TASKS)  # truncates every table, the admin user too (the last test here)
    with Session(empty.engine) as session, session.begin():
        plans = {generic: _claim_plan(session, generic) for generic in (False, True)}
    for generic, plan in plans.items():
        due = _cte(plan, "due")
        assert "ix_tasks_next_due_at" in due and "ix_accounts_task_id" in due, plan
        assert "Seq Scan" not in due, f"{'generic' if generic else 'custom'} plan:\n{plan}"
    # The scan's other read, moving tasks whose window closed unclaimed on: the same partial index.
    with Session(empty.engine) as session, session.begin():
        missed = "\n".join(
            session.execute(text("EXPLAIN " + due_windows._MISSED), {"now": utcnow(), "limit": 100}).scalars()
        )
    assert "ix_tasks_next_due_at" in missed and "Seq Scan" not in missed, missed
