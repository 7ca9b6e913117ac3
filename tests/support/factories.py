"""Factories: the rows tests start from, made through the services (as the API makes them) so they
pass the same validation and keep the same invariants (`next_due_at`, test results).

- Through the services: `dovecot_task` (a task with accounts on the Dovecot pair; the `task_on_pair`
  fixture in tests/conftest.py binds it to the test database and the pair), `offline_task`, and
  `finished_run` (from the claim through the account jobs' bookkeeping to finalize).
- Through the HTTP API, for API tests: `make_endpoint`, `make_task`, `make_account`.
- Straight into the database only for states no service makes on demand: `set_task` (e.g. a task
  marked running with no run) and `add_run` (a run with chosen times and totals for the run log).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import Flask
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.crypto import SecretBox
from app.db import utcnow
from app.models import Run, Task
from app.models.enums import AccountRunStatus, RunStatus, TaskStatus, TlsMode, Trigger
from app.schemas.accounts import AccountIn
from app.schemas.endpoints import EndpointIn
from app.schemas.tasks import TaskIn
from app.services import accounts, connection_tests, endpoints, runs, schedules, tasks
from app.services.runs import account_runs
from app.services.runs.account_runs import Counters
from testbed.dovecot import ImapServer
from tests.settings import TEST_CREDENTIALS_KEY

if TYPE_CHECKING:
    from tests.conftest import ApiClient

BOX = SecretBox(TEST_CREDENTIALS_KEY)
ONE_HOUR = 3600
_seq = itertools.count(1)


@dataclass(frozen=True)
class Mailbox:
    src_user: str
    dst_user: str
    dst_password: str | None = None  # None: the server's; a wrong one makes the account fail


@dataclass(frozen=True)
class Built:
    task_id: int
    account_ids: list[int]
    src_endpoint_id: int
    dst_endpoint_id: int


# The `task_on_pair` fixture: dovecot_task bound to the test database and the Dovecot pair.
TaskOnPair = Callable[..., Built]


def _endpoint_in(server: ImapServer, max_connections: int | None) -> EndpointIn:
    return EndpointIn(
        name=server.name,
        host=server.host,
        port=server.port_plain,
        tls_mode=TlsMode.PLAIN,
        verify_tls=True,
        max_connections=max_connections,
    )


def mark_tested(session: Session, account_ids: list[int]) -> None:
    """Both sides OK, recorded as a connection test records it."""
    for account_id in account_ids:
        connection_tests.record_test(session, account_id, {"src": None, "dst": None}, utcnow())


def task(
    session: Session, src: EndpointIn, dst: EndpointIn, logins: list[AccountIn], *, tested: bool = True
) -> Built:
    """Two endpoints, a task between them and its accounts, tested OK (recorded as a connection test
    records it) unless `tested` is false."""
    src_id = endpoints.create_endpoint(session, BOX, src).id
    dst_id = endpoints.create_endpoint(session, BOX, dst).id
    data = TaskIn(name=f"task {next(_seq)}", src_endpoint_id=src_id, dst_endpoint_id=dst_id)
    task_id = tasks.create_task(session, data).id
    account_ids = [accounts.create_account(session, BOX, task_id, login).id for login in logins]
    if tested:
        mark_tested(session, account_ids)
    return Built(task_id, account_ids, src_id, dst_id)


def offline_task(session: Session, accounts: int = 1) -> Built:
    """A tested task whose endpoints no test connects to (for what needs rows, not mail)."""
    server = EndpointIn(name=f"server {next(_seq)}", host="127.0.0.1", port=143, tls_mode=TlsMode.PLAIN)
    logins = [
        AccountIn(src_username=f"user{n}", src_password="pw", dst_username=f"user{n}", dst_password="pw")
        for n in range(accounts)
    ]
    return task(session, server, server, logins)


def dovecot_task(
    engine: Engine,
    src: ImapServer,
    dst: ImapServer,
    mailboxes: list[Mailbox],
    *,
    tested: bool = True,
    interval: int = 0,
    anchor: datetime | None = None,
    max_connections: int | None = None,
) -> Built:
    """A task from `src` to `dst` with one account per mailbox, tested OK by default, and with
    `interval` a schedule enabled at `anchor` (due anchor + interval)."""
    logins = [
        AccountIn(
            src_username=box.src_user,
            src_password=src.password,
            dst_username=box.dst_user,
            dst_password=box.dst_password or dst.password,
        )
        for box in mailboxes
    ]
    with Session(engine, expire_on_commit=False) as session, session.begin():
        endpoints_in = _endpoint_in(src, max_connections), _endpoint_in(dst, max_connections)
        built = task(session, *endpoints_in, logins, tested=tested)
        if interval:
            schedules.set_schedule(session, built.task_id, interval, anchor or utcnow())
        return built


def finished_run(
    session: Session,
    task_id: int,
    *,
    started: datetime,
    took: timedelta,
    counters: Counters,
    lag: timedelta | None = None,
) -> runs.RunOutcome:
    """One run of a tested task, from the claim to finalize, every account `ok` with `counters` after
    `took`: manual, or with `lag` a scheduled run that was due `lag` before `started`."""
    if lag is None:
        claimed = runs.claim_manual_run(session, task_id, started)
    else:
        schedules.set_schedule(session, task_id, ONE_HOUR, started - lag - timedelta(seconds=ONE_HOUR))
        [claimed] = runs.claim_due_runs(session, started)
    for account_id in claimed.account_ids:
        job = account_runs.load_job(session, claimed.run_id, account_id)
        assert job is not None
        account_runs.start(session, job.account_run_id, None, started)
        outcome = account_runs.AccountOutcome(AccountRunStatus.OK, counters)
        account_runs.record(session, job.account_run_id, outcome, started + took)
    finished = runs.finalize_run(session, claimed.run_id, started + took)
    assert finished is not None
    return finished


def make_endpoint(api: ApiClient, **overrides: Any) -> dict[str, Any]:
    body = {"name": f"server {next(_seq)}", "host": "127.0.0.1", "port": 1, "tls_mode": "plain"}
    body.update(overrides)
    response = api.post("/api/endpoints", json=body)
    assert response.status_code == 201, response.json
    result: dict[str, Any] = response.json
    return result


def make_task(api: ApiClient, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": f"migration {next(_seq)}"}
    body.update(overrides)
    body.setdefault("src_endpoint_id", make_endpoint(api)["id"])
    body.setdefault("dst_endpoint_id", make_endpoint(api)["id"])
    response = api.post("/api/tasks", json=body)
    assert response.status_code == 201, response.json
    result: dict[str, Any] = response.json
    return result


def make_account(api: ApiClient, task_id: int, **overrides: Any) -> dict[str, Any]:
    n = next(_seq)
    body = {
        "src_username": f"user{n}@old.example",
        "src_password": f"src-pw-{n}",
        "dst_username": f"user{n}@new.example",
        "dst_password": f"dst-pw-{n}",
    }
    body.update(overrides)
    response = api.post(f"/api/tasks/{task_id}/accounts", json=body)
    assert response.status_code == 201, response.json
    result: dict[str, Any] = response.json
    return result


def session_of(app: Flask) -> Session:
    """A session on the app's database (the caller commits)."""
    session: Session = app.extensions["imapcopier"].sessions()
    return session


def set_task(app: Flask, task_id: int, **values: Any) -> None:
    with app.extensions["imapcopier"].sessions.begin() as session:
        session.execute(update(Task).where(Task.id == task_id).values(**values))


def set_running(app: Flask, task_id: int) -> None:
    set_task(app, task_id, status=TaskStatus.RUNNING)


def add_run(
    app: Flask,
    task_id: int,
    *,
    started_at: datetime | None = None,
    finished_at: datetime | None = None,
    status: RunStatus = RunStatus.DONE,
    trigger: Trigger = Trigger.MANUAL,
    **totals: int,
) -> int:
    with app.extensions["imapcopier"].sessions.begin() as session:
        run = Run(
            task_id=task_id,
            trigger=trigger,
            status=status,
            started_at=started_at or utcnow(),
            finished_at=finished_at,
            **totals,
        )
        session.add(run)
        session.flush()
        return run.id
