"""The bookkeeping of one `copy_mailbox` call: sessions, reconnection with backoff, results, errors."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from workers.engine.compress import start_compression
from workers.engine.errors import (
    ConnectFailed,
    CopyError,
    FolderUnavailable,
    ResponseTooLarge,
    Throttled,
    TransientImapError,
)
from workers.engine.events import EngineEvent, ErrorFound, FolderDone, FolderStarted
from workers.engine.folder_copy import FolderCopy, FolderTally
from workers.engine.imap import ImapEndpoint
from workers.engine.options import CopyOptions
from workers.engine.plan import FolderMapping
from workers.engine.results import AccountResult, AccountStatus, ErrorRecord, FolderResult, FolderStatusName
from workers.engine.session import FolderStatus, ImapSession, open_sessions
from workers.engine.state import FolderCheckpoint, LockedState, SyncState

logger = logging.getLogger(__name__)


@dataclass
class Lane:
    """One source/destination session pair; an account copies folders on one or more lanes at once."""

    src_endpoint: ImapEndpoint
    dst_endpoint: ImapEndpoint
    number: int = 0
    compress: bool = False
    _sessions: tuple[ImapSession, ImapSession] | None = None

    @property
    def src(self) -> ImapSession:
        assert self._sessions is not None, "connect() first"
        return self._sessions[0]

    @property
    def dst(self) -> ImapSession:
        assert self._sessions is not None, "connect() first"
        return self._sessions[1]

    def connect(self) -> None:
        self._sessions = open_sessions(self.src_endpoint, self.dst_endpoint)
        if self.compress:
            try:
                for session in self._sessions:
                    start_compression(session)
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        if self._sessions is not None:
            for session in self._sessions:
                session.close()
            self._sessions = None

    @property
    def broken(self) -> bool:
        """A server broke a read limit and its connection was dropped."""
        return self._sessions is not None and any(session.broken for session in self._sessions)

    def reconnect(self) -> None:
        self.close()
        try:
            self.connect()
        except ConnectFailed as exc:
            # The server may be restarting: keep this retryable until the attempts run out.
            raise TransientImapError(exc.message) from exc


def backoff(options: CopyOptions, retry_state: RetryCallState, failures: int) -> float:
    """Seconds to wait after `failures` failed tries in a row: exponential, or what a throttling
    server asked for when that is longer; capped at `retry_wait_max`."""
    error = retry_state.outcome.exception() if retry_state.outcome else None
    wait = options.retry_wait * 2 ** (max(failures, 1) - 1)
    if isinstance(error, Throttled):
        wait = max(wait, error.retry_after)
    return float(min(wait, options.retry_wait_max))


@dataclass
class ReconnectBudget:
    """When to give up on a folder whose connection keeps dropping: after `retries` reconnections in
    a row that checkpointed nothing, or `max_reconnects` in all. A try that checkpointed a batch
    (copied, or found already there) or set a message aside (refused for its size) made progress:
    the count of fruitless ones starts again."""

    options: CopyOptions
    tally: FolderTally
    stalled: int = 0
    _done: int = -1

    def __post_init__(self) -> None:
        self._done = self.tally.progress

    def spent(self, retry_state: RetryCallState) -> bool:
        """Called by tenacity after each failed try."""
        if self.tally.progress > self._done:
            self.stalled, self._done = 0, self.tally.progress
        self.stalled += 1
        reconnects = retry_state.attempt_number - 1
        return self.stalled > self.options.retries or reconnects >= self.options.max_reconnects

    def wait(self, retry_state: RetryCallState) -> float:
        return backoff(self.options, retry_state, self.stalled)

    def why(self) -> str:
        if self.stalled > self.options.retries:
            return f"{self.options.retries} reconnections in a row that copied nothing"
        return f"{self.options.max_reconnects} reconnections"


@dataclass
class MailboxCopy:
    """Shared by the lanes of one account: `emit`, `report` and the state are serialised by a lock,
    so the caller's callbacks and state store never run from two threads at once."""

    src_endpoint: ImapEndpoint
    dst_endpoint: ImapEndpoint
    options: CopyOptions
    state: SyncState
    emit: Callable[[EngineEvent], None]
    should_stop: Callable[[], bool]
    folders: list[FolderResult] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    error_count: int = 0
    order: dict[str, int] = field(default_factory=dict)  # source folder -> plan position
    aborted: threading.Event = field(default_factory=threading.Event)  # another lane failed
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.lane = Lane(self.src_endpoint, self.dst_endpoint, compress=self.options.compress)
        self.state = LockedState(self.state, self._lock)
        self._emit = self.emit
        self.emit = self._emit_locked

    def stopping(self) -> bool:
        """Cancelled by the caller, or another lane failed: stop before the next batch."""
        return self.aborted.is_set() or self.should_stop()

    def _emit_locked(self, event: EngineEvent) -> None:
        with self._lock:
            try:
                self._emit(event)
            except BaseException:
                # Stop the other lanes now, while this lane still holds the lock: set later (as the
                # exception unwinds), another lane could take the lock and start one more batch.
                self.aborted.set()
                raise

    @property
    def src(self) -> ImapSession:
        return self.lane.src

    @property
    def dst(self) -> ImapSession:
        return self.lane.dst

    def connect(self) -> None:
        """Open the first lane, trying again (with the folder retry policy) when a server dropped
        the connection while it was being opened, as one does while it restarts."""
        for attempt in Retrying(
            retry=retry_if_exception_type(TransientImapError),
            stop=stop_after_attempt(self.options.retries + 1),
            wait=self._wait,
            reraise=True,
        ):
            with attempt:
                self.lane.connect()

    def close(self) -> None:
        self.lane.close()

    def new_lane(self, number: int) -> Lane:
        return Lane(self.src_endpoint, self.dst_endpoint, number, self.options.compress)

    def report(self, error: CopyError, folder: str | None, uid: int | None) -> None:
        """Count an error, keep the first `max_error_records`, and publish it."""
        with self._lock:
            self.error_count += 1
            side = error.side if error.side in ("src", "dst") else None
            record = ErrorRecord(
                code=error.code, reason=error.message, folder=folder, uid=uid, side=side, kind=error.kind
            )
            if len(self.errors) < self.options.max_error_records:
                self.errors.append(record)
            logger.warning(
                "copy.error code=%s folder=%s uid=%s reason=%s", error.code, folder, uid, error.message
            )
            self.emit(ErrorFound(record))

    def _done(self, result: FolderResult) -> None:
        with self._lock:
            self.folders.append(result)
            self.emit(FolderDone(result))

    def skip_folder(self, mapping: FolderMapping) -> None:
        result = FolderResult(folder=mapping.src, dst_folder=mapping.dst, status="failed", note=mapping.note)
        self._done(result)

    def copy_folder(
        self,
        mapping: FolderMapping,
        saved: FolderCheckpoint | None,
        status: FolderStatus | None,
        lane: Lane | None = None,
    ) -> FolderStatusName:
        """One folder on `lane` (default: the first), reconnecting after a dropped connection;
        a folder-level refusal is recorded.

        Raises:
            TransientImapError when the connection keeps dropping; AuthFailed/TlsFailed on reconnect.
        """
        self.emit(FolderStarted(mapping.src, mapping.dst))
        started = time.monotonic()
        tally = FolderTally()
        budget = ReconnectBudget(self.options, tally)
        try:
            outcome = self._with_retries(lane or self.lane, mapping, saved, status, budget)
        except FolderUnavailable as exc:
            self.report(exc, mapping.src, None)
            outcome = "failed"
        except TransientImapError as exc:
            self._record(mapping, "failed", tally, started)
            message = f"gave up on {mapping.src} after {budget.why()}: {exc.message}"
            if isinstance(exc, Throttled):
                raise Throttled(message, exc.retry_after) from exc  # keep the code: the job waits and retries
            raise TransientImapError(message) from exc
        self._record(mapping, outcome, tally, started)
        return outcome

    def _with_retries(
        self,
        lane: Lane,
        mapping: FolderMapping,
        saved: FolderCheckpoint | None,
        status: FolderStatus | None,
        budget: ReconnectBudget,
    ) -> FolderStatusName:
        tally = budget.tally
        retrying = Retrying(
            retry=retry_if_exception_type(TransientImapError),
            stop=budget.spent,
            wait=budget.wait,
            before_sleep=lambda rs: logger.warning(
                "copy.reconnecting folder=%s attempt=%d without_progress=%d error=%s",
                mapping.src,
                rs.attempt_number,
                budget.stalled,
                rs.outcome.exception() if rs.outcome else None,
            ),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                if attempt.retry_state.attempt_number > 1 or lane.broken:
                    lane.reconnect()
                    saved, status = self.state.load_folders().get(mapping.src), None
                copy = FolderCopy(
                    lane.src, lane.dst, mapping, self.state, self.options, self.emit, self.stopping,
                    self.report, tally,
                )  # fmt: skip
                try:
                    return copy.run(saved, status)
                except ResponseTooLarge as exc:
                    self._refused(exc, mapping, tally)
        raise AssertionError("unreachable: tenacity reraises the last error")

    def _refused(self, exc: ResponseTooLarge, mapping: FolderMapping, tally: FolderTally) -> None:
        """A message whose literal broke the limits is an error of that message: count it, then
        reconnect (the connection was dropped) and go on without it. Without a UID, the account fails."""
        if exc.uid is None or exc.uid in tally.refused:
            raise exc
        tally.refused.add(exc.uid)
        tally.errors += 1
        self.report(exc, mapping.src, exc.uid)
        raise TransientImapError(f"reconnecting after refusing UID {exc.uid} of {mapping.src}") from exc

    def _wait(self, retry_state: RetryCallState) -> float:
        return backoff(self.options, retry_state, retry_state.attempt_number)

    def _record(
        self, mapping: FolderMapping, status: FolderStatusName, tally: FolderTally, started: float
    ) -> None:
        result = FolderResult(
            folder=mapping.src,
            dst_folder=mapping.dst,
            status=status,
            copied=tally.copied,
            skipped=tally.skipped,
            errors=tally.errors,
            bytes=tally.bytes,
            flags_updated=tally.flags_updated,
            seconds=round(time.monotonic() - started, 3),
            altered=tally.altered,
            note=mapping.note,
        )
        self._done(result)

    def result(self, status: AccountStatus, started: float, fatal: CopyError | None = None) -> AccountResult:
        # Lanes finish folders in any order; the result lists them in plan order.
        folders = tuple(sorted(self.folders, key=lambda f: self.order.get(f.folder, len(self.order))))
        return AccountResult(
            status=status,
            copied=sum(f.copied for f in folders),
            skipped=sum(f.skipped for f in folders),
            errors=self.error_count,
            bytes=sum(f.bytes for f in folders),
            flags_updated=sum(f.flags_updated for f in folders),
            seconds=round(time.monotonic() - started, 3),
            altered=sum(f.altered for f in folders),
            folders=folders,
            error_list=tuple(self.errors),
            error_code=fatal.code if fatal else None,
            message=fatal.message if fatal else None,
            retryable=fatal.retryable if fatal else False,
        )
