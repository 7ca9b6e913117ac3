"""The accounts list of a task, paged and filtered (docs/console.md, "Accounts list").

Keyset paging on the account id: a page is one indexed range read, whatever page it is, and an
account added or deleted between two pages neither repeats nor hides another one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.models import Account, AccountRun
from app.models.enums import AccountRunStatus, TestStatus
from app.schemas.accounts import AccountListQuery, LastOutcome, TestFilter
from app.services import tasks

# Account-run statuses that are an outcome; a cancelled one is the user's choice and is skipped.
_OUTCOMES = {
    AccountRunStatus.OK: LastOutcome.DONE,
    AccountRunStatus.PARTIAL: LastOutcome.DONE_WITH_ERRORS,
    AccountRunStatus.FAILED: LastOutcome.FAILED,
    AccountRunStatus.ABANDONED: LastOutcome.FAILED,
}


def last_status() -> Any:
    """Correlated subquery: the status of the account's newest account run that ended in an outcome."""
    return (
        select(AccountRun.status)
        .where(AccountRun.account_id == Account.id, AccountRun.status.in_(list(_OUTCOMES)))
        .order_by(AccountRun.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def outcome_of(status: str | None) -> LastOutcome:
    return LastOutcome.NEVER if status is None else _OUTCOMES[AccountRunStatus(status)]


def _test_filter(value: TestFilter) -> ColumnElement[bool]:
    src, dst = Account.test_src_status, Account.test_dst_status
    failed = or_(src == TestStatus.FAIL, dst == TestStatus.FAIL)
    if value is TestFilter.OK:
        return and_(src == TestStatus.OK, dst == TestStatus.OK)
    if value is TestFilter.FAIL:
        return failed
    return and_(~failed, or_(src == TestStatus.UNTESTED, dst == TestStatus.UNTESTED))


def _outcome_filter(value: LastOutcome, status: Any) -> ColumnElement[bool]:
    if value is LastOutcome.NEVER:
        never: ColumnElement[bool] = status.is_(None)
        return never
    ended: ColumnElement[bool] = status.in_([s.value for s, outcome in _OUTCOMES.items() if outcome is value])
    return ended


def failing() -> ColumnElement[bool]:
    """An account that needs a look: a side failed its test, or its last run failed."""
    src, dst = Account.test_src_status, Account.test_dst_status
    return or_(
        src == TestStatus.FAIL,
        dst == TestStatus.FAIL,
        last_status().in_([AccountRunStatus.FAILED.value, AccountRunStatus.ABANDONED.value]),
    )


@dataclass(frozen=True)
class AccountPage:
    rows: list[tuple[Account, LastOutcome]]
    total: int | None  # counted only when paging
    next_cursor: str | None


def list_page(session: Session, task_id: int, query: AccountListQuery) -> AccountPage:
    """Raises: NotFound for an unknown task."""
    tasks.get_task(session, task_id)
    status = last_status().label("last_status")
    where: list[ColumnElement[bool]] = [Account.task_id == task_id]
    if query.q:
        where.append(
            or_(
                Account.src_username.icontains(query.q, autoescape=True),
                Account.dst_username.icontains(query.q, autoescape=True),
            )
        )
    if query.test_status is not None:
        where.append(_test_filter(query.test_status))
    if query.last_outcome is not None:
        where.append(_outcome_filter(query.last_outcome, last_status()))
    stmt = select(Account, status).where(*where).order_by(Account.id)
    if query.limit is None:
        rows = session.execute(stmt).all()
        return AccountPage([(a, outcome_of(s)) for a, s in rows], None, None)
    total = session.scalar(select(func.count()).select_from(Account).where(*where)) or 0
    if query.cursor is not None:
        stmt = stmt.where(Account.id > int(query.cursor))
    rows = session.execute(stmt.limit(query.limit + 1)).all()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = str(rows[-1][0].id) if more else None
    return AccountPage([(a, outcome_of(s)) for a, s in rows], total, cursor)


def counts(session: Session, task_ids: list[int]) -> dict[int, tuple[int, int, int, int]]:
    """Per task: (accounts, enabled accounts not tested OK on both sides, failing enabled, paused)."""
    not_ready = or_(Account.test_src_status != TestStatus.OK, Account.test_dst_status != TestStatus.OK)
    rows = session.execute(
        select(
            Account.task_id,
            func.count(),
            func.count().filter(Account.enabled, not_ready),
            func.count().filter(Account.enabled, failing()),
            func.count().filter(~Account.enabled),
        )
        .where(Account.task_id.in_(task_ids))
        .group_by(Account.task_id)
    )
    return {task_id: (n, untested, bad, paused) for task_id, n, untested, bad, paused in rows}
