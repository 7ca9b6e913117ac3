"""The engine's `on_event` for a job: publish each event and persist the account run's progress.

Counters are persisted when a folder finishes and at most every `save_every` seconds in between, each
in its own short transaction, so the run page shows live figures and a job killed mid-account
leaves what it did on record. Nothing here may raise into the engine: a lost progress write is
logged and the copy goes on (the final result is written by the job anyway).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.schemas.events import AccountTotals, ErrorData, FolderData, PlanData, PlannedFolder, ProgressData
from app.schemas.quota import PlanQuota
from app.services.runs import account_runs
from app.services.runs.account_runs import Counters
from workers.engine.events import EngineEvent, ErrorFound, FolderDone, FolderStarted, PlanMade, Progress
from workers.engine.results import AccountResult, FolderResult
from workers.events import JobEvents
from workers.jobs.budget import budget_warning
from workers.jobs.live_folders import LiveFolders
from workers.jobs.rates import SlidingRate

logger = logging.getLogger(__name__)
SAVE_EVERY = 2.0
# Error items saved with the progress, so a page reloaded mid-run still shows them (the job's final
# result then writes the engine's own list). docs/console.md, "Error items".
ERRORS_SAVED = 100
_SUMMED = ("copied", "skipped", "errors", "bytes", "flags_updated", "seconds", "altered")


def _counters(item: FolderResult | Progress | AccountResult) -> Counters:
    return Counters(item.copied, item.skipped, item.errors, item.bytes)


class AccountProgress:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        account_run_id: int,
        base: Counters,
        events: JobEvents,
        save_every: float = SAVE_EVERY,
        rate: SlidingRate | None = None,
        daily_budget: int | None = None,
    ) -> None:
        self._sessions = sessions
        self._daily_budget = daily_budget  # the destination's upload bytes per day (budget.py)
        self._account_run_id = account_run_id
        self._events = events
        self._save_every = save_every
        self._last_save = 0.0
        self.base = base  # earlier attempts (a redelivered job, a throttled retry)
        self._done = Counters()  # folders finished in this attempt
        # The folders being copied, by source folder: the engine may copy two at once.
        self._current: dict[str, Counters] = {}
        self.folders: dict[str, dict[str, Any]] = {}
        self.live = LiveFolders()  # the per-folder live view, saved with the progress
        self.planned_messages: int | None = None  # this attempt's plan
        self._rate = rate or SlidingRate()
        self.errors: list[dict[str, Any]] = []

    def totals(self) -> Counters:
        totals = self.base.plus(self._done)
        for counters in self._current.values():
            totals = totals.plus(counters)
        return totals

    def on_event(self, event: EngineEvent) -> None:
        if isinstance(event, PlanMade):
            self._plan(event)
        elif isinstance(event, FolderStarted):
            self.live.started(event.folder, event.dst_folder)
            self._events.folder(FolderData(folder=event.folder, dst_folder=event.dst_folder, state="started"))
        elif isinstance(event, Progress):
            self._current[event.folder] = _counters(event)
            self.live.progress(event.folder, event.copied, event.skipped, event.errors, event.total)
            data = ProgressData(
                folder=event.folder,
                copied=event.copied,
                skipped=event.skipped,
                errors=event.errors,
                bytes=event.bytes,
                done=event.done,
                total=event.total,
                account=self._account_totals(),
            )
            self._events.progress(data)
            self._save(force=False)
        elif isinstance(event, FolderDone):
            self._folder_done(event.result)
        elif isinstance(event, ErrorFound):
            item = event.error.model_dump()
            self._events.error(ErrorData.model_validate(item))
            if len(self.errors) < ERRORS_SAVED:
                self.errors.append(item)
            self._save(force=False)

    def _plan(self, event: PlanMade) -> None:
        messages = sum(item.messages if item.pending is None else item.pending for item in event.folders)
        # A folder known unchanged adds no bytes; the others add their size (the server's STATUS SIZE).
        sizes = [0 if item.pending == 0 else item.size for item in event.folders]
        nbytes = None if any(size is None for size in sizes) else sum(size or 0 for size in sizes)
        warnings = []
        if event.quota is not None and event.quota.warning:
            warnings.append({"kind": "quota", "folder": None, "count": 0, "message": event.quota.warning})
        budget = budget_warning(nbytes, self._daily_budget)
        if budget is not None:
            warnings.append(budget)
        self.planned_messages = messages
        self.live.plan(event.folders)
        folders = [PlannedFolder.model_validate(item.model_dump()) for item in event.folders]
        quota = None if event.quota is None else PlanQuota.model_validate(event.quota.model_dump())
        data = PlanData(
            folders=folders,
            excluded=list(event.excluded),
            planned_messages=messages,
            planned_bytes=nbytes,
            quota=quota,
        )
        self._events.plan(data)
        try:
            with self._sessions.begin() as session:
                account_runs.set_plan(
                    session, self._account_run_id, messages, nbytes, warnings, self.live.dump()
                )
        except SQLAlchemyError:
            logger.warning("progress.plan_not_saved account_run_id=%s", self._account_run_id, exc_info=True)

    def _folder_done(self, result: FolderResult) -> None:
        self._done = self._done.plus(_counters(result))
        self._current.pop(result.folder, None)
        entry = result.model_dump()
        earlier = self.folders.get(result.folder)
        if earlier is not None:  # the same folder in an earlier attempt: add up its figures
            entry.update({key: earlier.get(key, 0) + entry[key] for key in _SUMMED})
        self.folders[result.folder] = entry
        self.live.done(FolderResult.model_validate(entry))
        self._events.flush()
        self._events.folder(
            FolderData.model_validate({**entry, "state": "done", "account": self._account_totals()})
        )
        self._save(force=True)

    def next_attempt(self, result: AccountResult) -> None:
        """Fold a throttled attempt into the base; its final throttle error is not a mail error."""
        done = _counters(result)
        self.base = self.base.plus(Counters(done.copied, done.skipped, max(done.errors - 1, 0), done.bytes))
        self._done = Counters()
        self._current = {}
        self._rate.reset()

    def _account_totals(self) -> AccountTotals:
        """The account's totals with the pace of this attempt (rates and ETA, computed here once)."""
        totals = self.totals()
        attempt = self._done
        for counters in self._current.values():
            attempt = attempt.plus(counters)
        handled = attempt.copied + attempt.skipped + attempt.errors
        pace = self._rate.add(handled, attempt.bytes, self.planned_messages)
        return AccountTotals(
            copied=totals.copied,
            skipped=totals.skipped,
            errors=totals.errors,
            bytes=totals.bytes,
            msgs_per_s=pace.msgs_per_s,
            bytes_per_s=pace.bytes_per_s,
            eta_seconds=pace.eta_seconds,
        )

    def _save(self, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self._last_save < self._save_every:
            return
        self._last_save = now
        try:
            with self._sessions.begin() as session:
                account_runs.save_progress(
                    session,
                    self._account_run_id,
                    self.totals(),
                    self.folders,
                    self.errors or None,
                    self.live.dump(),
                )
        except SQLAlchemyError:
            logger.warning("progress.not_saved account_run_id=%s", self._account_run_id, exc_info=True)
