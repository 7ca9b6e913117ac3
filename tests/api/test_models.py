"""Model constraints and ON DELETE behaviour, checked in the real PostgreSQL schema (migrated)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import utcnow
from app.models import Account, AccountRun, Endpoint, FolderState, MessageMap, Run, Task


def _endpoint(session: Session, **values: Any) -> Endpoint:
    endpoint = Endpoint(**{"name": "e", "host": "127.0.0.1", "port": 993, **values})
    session.add(endpoint)
    session.flush()
    return endpoint


def _task(session: Session, **values: Any) -> Task:
    endpoint = _endpoint(session)
    task = Task(**{"name": "t", "src_endpoint_id": endpoint.id, "dst_endpoint_id": endpoint.id, **values})
    session.add(task)
    session.flush()
    return task


def _account(session: Session, task: Task, username: str = "u", **values: Any) -> Account:
    account = Account(
        **{
            "task_id": task.id,
            "src_username": username,
            "src_password_enc": b"x",
            "dst_username": username,
            "dst_password_enc": b"y",
            **values,
        }
    )
    session.add(account)
    session.flush()
    return account


def _run(session: Session, task: Task, **values: Any) -> Run:
    run = Run(**{"task_id": task.id, "trigger": "manual", **values})
    session.add(run)
    session.flush()
    return run


def _tree(session: Session) -> Task:
    """A task with an account, a run with its account result, and sync state with a message map."""
    task = _task(session)
    account = _account(session, task)
    run = _run(session, task, finished_at=utcnow(), status="done")
    session.add(AccountRun(run_id=run.id, account_id=account.id, status="ok"))
    state = FolderState(
        account_id=account.id,
        state_key=f"account:{account.id}",
        folder="INBOX",
        dst_folder="INBOX",
        uidvalidity=1,
    )
    session.add(state)
    session.flush()
    session.add(MessageMap(folder_state_id=state.id, src_uid=1, dst_uid=1))
    session.flush()
    return task


def _count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_defaults(db_session: Session) -> None:
    task = _task(db_session)
    account = _account(db_session, task)
    db_session.refresh(task)
    assert (task.status, task.schedule_interval_seconds, task.broken) == ("idle", 0, False)
    assert (task.folder_mapping, task.exclude_folders, task.schedule_anchor) == ({}, [], None)
    assert (account.test_src_status, account.test_dst_status) == ("untested", "untested")
    assert db_session.get(Endpoint, task.src_endpoint_id).verify_tls is True  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "make",
    [
        lambda s: _endpoint(s, tls_mode="tls"),
        lambda s: _endpoint(s, port=0),
        lambda s: _endpoint(s, port=65536),
        lambda s: _task(s, status="paused"),
        lambda s: _task(s, schedule_interval_seconds=-1),
        lambda s: _account(s, _task(s), test_src_status="maybe"),
        lambda s: _run(s, _task(s), trigger="cron"),
        lambda s: _run(s, _task(s), status="queued"),
        lambda s: _task(s, src_endpoint_id=999_999),
    ],
)
def test_check_and_foreign_key_constraints(db_session: Session, make: Callable[[Session], object]) -> None:
    with pytest.raises(IntegrityError):
        make(db_session)


def test_source_username_unique_per_task(db_session: Session) -> None:
    task, other = _task(db_session), _task(db_session)
    _account(db_session, task, "alice")
    _account(db_session, other, "alice")
    _account(db_session, task, "Alice")
    with pytest.raises(IntegrityError):
        _account(db_session, task, "alice")


def test_one_open_run_per_task(db_session: Session) -> None:
    task = _task(db_session)
    _run(db_session, task, finished_at=utcnow(), status="done")
    _run(db_session, task, finished_at=utcnow(), status="failed")
    _run(db_session, task)
    with pytest.raises(IntegrityError):
        _run(db_session, task)


def test_endpoint_in_use_cannot_be_deleted(db_session: Session) -> None:
    task = _task(db_session)
    db_session.commit()
    with pytest.raises(IntegrityError):
        db_session.execute(delete(Endpoint).where(Endpoint.id == task.src_endpoint_id))


def test_deleting_a_task_cascades_to_everything_below_it(db_session: Session) -> None:
    doomed, kept = _tree(db_session), _tree(db_session)
    db_session.commit()
    models = (Account, Run, AccountRun, FolderState, MessageMap)
    assert [_count(db_session, model) for model in models] == [2] * len(models)
    db_session.execute(delete(Task).where(Task.id == doomed.id))
    db_session.commit()
    assert [_count(db_session, model) for model in models] == [1] * len(models)
    assert db_session.scalar(select(Account.task_id)) == kept.id


def test_deleting_an_account_cascades_to_its_results_and_state(db_session: Session) -> None:
    task = _tree(db_session)
    db_session.execute(delete(Account).where(Account.task_id == task.id))
    assert [_count(db_session, m) for m in (AccountRun, FolderState, MessageMap, Run)] == [0, 0, 0, 1]
