"""The one table of status changes: every allowed and every refused transition, for tasks, runs and
account runs, and the SQL guards derived from it."""

from __future__ import annotations

from enum import StrEnum
from itertools import product
from typing import Any

import pytest
from sqlalchemy import column
from sqlalchemy.dialects import postgresql

from app.models.enums import AccountRunStatus as A
from app.models.enums import RunStatus as R
from app.models.enums import TaskStatus as T
from app.services.runs.claim import SCHEDULABLE
from app.services.runs.transitions import ACCOUNT_RUNS, RUNS, TASKS, IllegalTransition, Transitions

# The lifecycle written out once more, independently of the table, as the pairs it must allow.
EXPECTED: dict[str, tuple[Transitions[Any], set[tuple[Any, Any]]]] = {
    "task": (
        TASKS,
        {(s, T.RUNNING) for s in (T.IDLE, T.DONE, T.FAILED, T.CANCELLED)}
        | {(T.RUNNING, s) for s in (T.DONE, T.FAILED, T.CANCELLED)},
    ),
    "run": (RUNS, {(R.RUNNING, s) for s in (R.DONE, R.FAILED, R.CANCELLED, R.ABANDONED)}),
    "account run": (
        ACCOUNT_RUNS,
        {(A.QUEUED, s) for s in (A.RUNNING, A.CANCELLED, A.ABANDONED, A.FAILED)}
        | {(A.RUNNING, s) for s in A if s is not A.QUEUED}
        | {(A.RUNNING, A.QUEUED)},
    ),
}
ENUMS: dict[str, type[StrEnum]] = {"task": T, "run": R, "account run": A}
CASES = [
    (name, source, target, (source, target) in EXPECTED[name][1])
    for name, enum in ENUMS.items()
    for source, target in product(enum, enum)
]


@pytest.mark.parametrize(("name", "source", "target", "allowed"), CASES)
def test_every_transition_is_allowed_or_refused(name: str, source: Any, target: Any, allowed: bool) -> None:
    table = EXPECTED[name][0]
    assert table.allows(source, target) is allowed
    if allowed:
        assert table.check(source, target) is target
        assert source in table.sources(target)
    else:
        with pytest.raises(IllegalTransition, match=f"{source.value} -> {target.value}"):
            table.check(source, target)


def test_initial_statuses_are_what_the_claim_inserts() -> None:
    assert (TASKS.initial, RUNS.initial, ACCOUNT_RUNS.initial) == (T.IDLE, R.RUNNING, A.QUEUED)


def test_a_closed_run_or_account_run_never_changes_again() -> None:
    for status in (R.DONE, R.FAILED, R.CANCELLED, R.ABANDONED):
        assert not RUNS.allowed.get(status)
    for account_status in (A.OK, A.PARTIAL, A.FAILED, A.CANCELLED, A.ABANDONED):
        assert not ACCOUNT_RUNS.allowed.get(account_status)


def test_sources_are_the_update_guards() -> None:
    assert ACCOUNT_RUNS.sources(A.RUNNING) == (A.QUEUED, A.RUNNING)  # the job's claim takes both
    assert ACCOUNT_RUNS.sources(A.ABANDONED, among=[A.RUNNING]) == (A.RUNNING,)
    with pytest.raises(IllegalTransition):
        ACCOUNT_RUNS.sources(A.QUEUED, among=[A.QUEUED])  # never queued again from queued
    with pytest.raises(IllegalTransition):
        RUNS.sources(R.RUNNING)  # nothing reopens a run
    guard = ACCOUNT_RUNS.guard(column("status"), A.FAILED)
    sql = str(guard.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    assert sql == "status IN ('queued', 'running')"
    assert TASKS.sql_in("t.status", T.RUNNING) == "t.status IN ('idle', 'done', 'failed', 'cancelled')"


def test_the_scan_spelling_of_the_task_guard_is_the_same_set() -> None:
    """The scan says `status <> 'running'` (the partial index's predicate): the table must agree."""
    assert "t.status <> 'running'" in SCHEDULABLE
    assert set(TASKS.sources(T.RUNNING)) == set(T) - {T.RUNNING}
