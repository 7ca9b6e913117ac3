"""Reading rows back and waiting for runs (the rows themselves come from tests/support/factories.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models import AccountRun, Run, Task
from testbed.dovecot import ImapServer
from workers.engine.copier import compare_mailbox
from workers.engine.imap import ImapEndpoint
from workers.engine.results import AccountComparison

T = TypeVar("T")


def wait_for(predicate: Callable[[], T | None], timeout: float, what: str, interval: float = 0.1) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def get_run(engine: Engine, run_id: int) -> Run:
    with Session(engine, expire_on_commit=False) as session:
        run = session.get(Run, run_id)
        assert run is not None
        return run


def get_task(engine: Engine, task_id: int) -> Task:
    with Session(engine, expire_on_commit=False) as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task


def runs_of(engine: Engine, task_id: int) -> list[Run]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(Run).where(Run.task_id == task_id).order_by(Run.id)))


def account_runs(engine: Engine, run_id: int) -> list[AccountRun]:
    with Session(engine, expire_on_commit=False) as session:
        query = select(AccountRun).where(AccountRun.run_id == run_id).order_by(AccountRun.account_id)
        return list(session.scalars(query))


def wait_finished(engine: Engine, run_id: int, timeout: float = 60.0) -> Run:
    def finished() -> Run | None:
        run = get_run(engine, run_id)
        return run if run.finished_at is not None else None

    return wait_for(finished, timeout, f"run {run_id} to finish")


def wait_progress(engine: Engine, run_id: int, copied: int, timeout: float = 30.0) -> list[AccountRun]:
    """Until the run's account runs have recorded at least `copied` messages between them."""

    def progressed() -> list[AccountRun] | None:
        rows = account_runs(engine, run_id)
        return rows if sum(row.copied for row in rows) >= copied else None

    return wait_for(progressed, timeout, f"run {run_id} to copy {copied} messages", interval=0.05)


def compare(src: ImapServer, dst: ImapServer, src_user: str, dst_user: str) -> AccountComparison:
    """The engine's compare (what `imapcopier compare` prints): missing and duplicated messages."""
    return compare_mailbox(
        ImapEndpoint(src.host, src.port_plain, "plain", src_user, src.password),
        ImapEndpoint(dst.host, dst.port_plain, "plain", dst_user, dst.password),
    )


def shift(when: datetime, seconds: float) -> datetime:
    return when + timedelta(seconds=seconds)


def as_dict(run: Run) -> dict[str, Any]:
    return {c: getattr(run, c) for c in ("status", "trigger", "total_copied", "total_errors")}
