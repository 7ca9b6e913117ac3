"""The one table of allowed status changes, for tasks, runs and account runs.

Every status change of the run lifecycle goes through `Transitions`: a conditional UPDATE takes its
allowed "from" statuses from `sources` (the SQL guard stays, and this table is its single source), and
an ORM assignment checks its pair with `check`. A pair not in the table raises IllegalTransition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from app.models.enums import AccountRunStatus, RunStatus, TaskStatus

S = TypeVar("S", bound=StrEnum)


class IllegalTransition(ValueError):
    """A status change the table does not allow (a bug in the caller, not a user error)."""


@dataclass(frozen=True)
class Transitions(Generic[S]):
    """Allowed moves of one status column: `allowed[from]` is the set of statuses it may become."""

    name: str
    initial: S
    allowed: Mapping[S, frozenset[S]]

    def allows(self, source: S, target: S) -> bool:
        return target in self.allowed.get(source, frozenset())

    def check(self, source: S, target: S) -> S:
        """Returns `target`. Raises: IllegalTransition."""
        if not self.allows(source, target):
            raise IllegalTransition(f"{self.name}: {source.value} -> {target.value} is not allowed")
        return target

    def sources(self, target: S, among: Iterable[S] | None = None) -> tuple[S, ...]:
        """The statuses that may become `target` (limited to `among`), in declaration order: the
        "from" statuses of a conditional UPDATE. Raises: IllegalTransition when there are none."""
        wanted = None if among is None else frozenset(among)
        found = tuple(
            source
            for source, targets in self.allowed.items()
            if target in targets and (wanted is None or source in wanted)
        )
        if not found:
            raise IllegalTransition(f"{self.name}: nothing may become {target.value}")
        return found

    def guard(self, column: Any, target: S, among: Iterable[S] | None = None) -> Any:
        """The SQL guard `column IN (sources)` for an UPDATE that sets `target`."""
        return column.in_([source.value for source in self.sources(target, among)])

    def sql_in(self, column: str, target: S) -> str:
        """The same guard as SQL text, for the claim's raw statement."""
        return f"{column} IN ({', '.join(repr(source.value) for source in self.sources(target))})"


_FINISHED_TASK = frozenset({TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.CANCELLED})
TASKS: Transitions[TaskStatus] = Transitions(
    "task",
    TaskStatus.IDLE,
    {
        # The claim: any task not running may start a run (the scan adds its own conditions).
        TaskStatus.IDLE: frozenset({TaskStatus.RUNNING}),
        TaskStatus.DONE: frozenset({TaskStatus.RUNNING}),
        TaskStatus.FAILED: frozenset({TaskStatus.RUNNING}),
        TaskStatus.CANCELLED: frozenset({TaskStatus.RUNNING}),
        # Finalize: the task takes its run's outcome (an abandoned run leaves it failed).
        TaskStatus.RUNNING: _FINISHED_TASK,
    },
)

RUNS: Transitions[RunStatus] = Transitions(
    "run",
    RunStatus.RUNNING,
    {
        # A run is opened running and closed once, by finalize; a closed run never changes again.
        RunStatus.RUNNING: frozenset(
            {RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.ABANDONED}
        ),
    },
)

ACCOUNT_RUNS: Transitions[AccountRunStatus] = Transitions(
    "account run",
    AccountRunStatus.QUEUED,
    {
        AccountRunStatus.QUEUED: frozenset(
            {
                AccountRunStatus.RUNNING,  # the job's claim
                AccountRunStatus.CANCELLED,  # cancel, or closed by finalize after a cancel
                AccountRunStatus.ABANDONED,  # closed by finalize: the job never ran
                AccountRunStatus.FAILED,  # the job died of an unexpected error before its claim
            }
        ),
        AccountRunStatus.RUNNING: frozenset(
            {
                AccountRunStatus.RUNNING,  # a redelivered job takes back a dead job's row
                AccountRunStatus.QUEUED,  # handed back at worker shutdown
                AccountRunStatus.OK,
                AccountRunStatus.PARTIAL,
                AccountRunStatus.FAILED,
                AccountRunStatus.CANCELLED,
                AccountRunStatus.ABANDONED,  # the reaper, or finalize: the worker stopped
            }
        ),
    },
)
# Statuses in which an account run still waits for its job to report.
OPEN_ACCOUNT_RUN = (AccountRunStatus.QUEUED, AccountRunStatus.RUNNING)
