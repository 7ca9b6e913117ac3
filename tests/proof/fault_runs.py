"""A multi-account run under a fault, then the proof: the next run completes, the engine's compare
shows nothing missing and nothing duplicated on any account, and no run is left open.

Each scenario yields one report row; with IMAPCOPIER_SOAK_REPORT set the rows are appended to that
file as JSON lines, which `make soak` (scripts/soak.py) turns into its table.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.models import Run, Task
from app.models.enums import RunStatus, TaskStatus
from app.models.sync_state import FolderState, MessageMap
from testbed.dovecot import ImapServer
from tests.imap_fixtures import new_username
from tests.proof.stack import PrivateStack
from tests.support.factories import Built, Mailbox, dovecot_task
from tests.support.rows import account_runs, compare, get_run, runs_of, wait_finished, wait_for

REPORT_ENV = "IMAPCOPIER_SOAK_REPORT"
SOURCE_ACCOUNTS = 4
# 4 accounts x 1,000 small messages in 3 folders: a run on 2 workers lasts about 3 s on 2 cores (an
# account 1.2-1.8 s), so that a fault injected a few batches in finds both workers mid-account.
SOURCE_MESSAGES = 1000
FOLDERS = ("INBOX", "Archive/2023", "Projects")
# The fault is injected once this many messages of the run are checkpointed (a few batches in).
FAULT_AFTER = 200


def load_sources(
    server: ImapServer, count: int = SOURCE_ACCOUNTS, messages: int = SOURCE_MESSAGES
) -> list[str]:
    """`count` fresh source users holding `messages` small messages each, in three folders."""
    from testbed.corpus import new_messages
    from testbed.corpus_imap import load_corpus

    mail = list(new_messages(messages, folders=FOLDERS))
    users = [new_username("jsrc") for _ in range(count)]
    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(lambda user: load_corpus(server, user, mail), users))
    return users


def reset_users(server: ImapServer, users: Iterable[str]) -> None:
    for user in users:
        server.reset_user(user)


@dataclass(frozen=True)
class FaultReport:
    """One row of the soak table."""

    fault: str
    runs: int
    accounts: int
    missing: int
    duplicated: int
    left_running: int
    seconds: float
    first_run: str

    def write(self) -> None:
        path = os.environ.get(REPORT_ENV)
        if path:
            with open(path, "a") as out:
                out.write(json.dumps({"kind": "fault", **asdict(self)}) + "\n")


def open_runs(stack: PrivateStack) -> int:
    """Runs not closed, plus tasks still marked running: what 'a run left hanging' looks like."""
    with Session(stack.engine) as session:
        runs = session.scalar(
            select(func.count()).where(or_(Run.finished_at.is_(None), Run.status == RunStatus.RUNNING))
        )
        tasks = session.scalar(select(func.count()).where(Task.status == TaskStatus.RUNNING))
    return (runs or 0) + (tasks or 0)


class FaultRun:
    """A task over the source users (fresh destination users), its runs, and the proof after a fault."""

    def __init__(
        self,
        stack: PrivateStack,
        src: ImapServer,
        dst: ImapServer,
        sources: list[str],
        fault: str,
        **task: object,
    ) -> None:
        self.stack, self.src, self.dst, self.sources, self.fault = stack, src, dst, sources, fault
        self.started = time.monotonic()
        self.dst_users = [new_username("jdst") for _ in sources]
        mailboxes = [Mailbox(s, d) for s, d in zip(sources, self.dst_users, strict=True)]
        self.built: Built = dovecot_task(stack.engine, src, dst, mailboxes, **task)  # type: ignore[arg-type]
        self.api = stack.api()
        self._log_offsets = {name: len(proc.log()) for name, proc in stack.pool.workers.items()}

    @property
    def total(self) -> int:
        return SOURCE_MESSAGES * len(self.sources)

    def start(self) -> int:
        response = self.api.post(f"/api/tasks/{self.built.task_id}/run")
        assert response.status_code == 202, response.json
        run_id: int = response.json["run_id"]
        return run_id

    def checkpointed(self) -> int:
        """Messages of this task's accounts in the sync state: it grows with every batch committed
        (the account run's own counters are saved only every few seconds)."""
        accounts = self.built.account_ids
        with Session(self.stack.engine) as session:
            query = (
                select(func.count())
                .select_from(MessageMap)
                .join(FolderState, FolderState.id == MessageMap.folder_state_id)
                .where(FolderState.account_id.in_(accounts))
            )
            return session.scalar(query) or 0

    def midway(self, run_id: int, copied: int = FAULT_AFTER) -> int:
        """Wait until `copied` messages are checkpointed and check the run is still far from done:
        the fault must hit a copy in progress, or the test proves nothing."""
        done = wait_for(
            lambda: n if (n := self.checkpointed()) >= copied else None, 60, "copy progress", 0.02
        )
        assert get_run(self.stack.engine, run_id).finished_at is None, "the run ended before the fault"
        assert done < self.total // 2, f"{done} of {self.total} copied before the fault: too late"
        return done

    def worker_logs(self) -> str:
        """What the workers logged since this scenario began."""
        return "".join(
            proc.log()[self._log_offsets.get(name, 0) :] for name, proc in self.stack.pool.workers.items()
        )

    def finish(self, run_id: int, timeout: float = 90.0) -> Run:
        return wait_finished(self.stack.engine, run_id, timeout)

    def prove(self, first: Run, before_next: Callable[[], None] | None = None) -> FaultReport:
        """Run again, compare every account, count open runs; record the row, then assert."""
        if before_next is not None:
            before_next()
        second = self.finish(self.start())
        comparisons = [
            compare(self.src, self.dst, s, d) for s, d in zip(self.sources, self.dst_users, strict=True)
        ]
        report = FaultReport(
            fault=self.fault,
            runs=len(runs_of(self.stack.engine, self.built.task_id)),
            accounts=len(self.sources),
            missing=sum(c.missing for c in comparisons),
            duplicated=sum(c.duplicated for c in comparisons),
            left_running=open_runs(self.stack),
            seconds=round(time.monotonic() - self.started, 1),
            first_run=str(first.status),
        )
        report.write()
        details = [
            (row.account_id, row.status, row.copied, row.error_summary)
            for row in account_runs(self.stack.engine, second.id)
        ]
        assert (second.status, second.total_errors) == (RunStatus.DONE, 0), details
        assert (report.missing, report.duplicated) == (0, 0), comparisons
        assert report.left_running == 0
        return report

    def cleanup(self) -> None:
        reset_users(self.dst, self.dst_users)
