"""Copying an account's folders on one or more lanes (source/destination session pairs) at once.

A full copy is bound by the destination's APPEND work, which a server does in one process per
connection: two lanes copying two folders at once keep two of them busy. Extra lanes are opened only
when there is enough to copy for the extra logins to pay off (`parallel_min_messages`), so a
no-change or small delta pass stays on the first lane and opens no further connection; a server that
refuses the extra connection leaves the work to the lanes it accepted.

- Each folder keeps its own checkpoints, so a killed or failed run resumes per folder as with one lane.
- Source folders mapped to the same destination folder are copied one after the other on one lane:
  one folder's destination scan and UIDNEXT bookkeeping never see the other's appends mid-way.
- With several lanes the biggest folders go first (the run ends when the last folder does); the
  result still lists folders in plan order.
- A fatal error or an exception from the caller's callback on one lane stops the others at their
  next batch; the first one is raised once every lane has stopped.

An account therefore holds up to `parallel_folders` connections to each server.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workers.engine.errors import CopyError
from workers.engine.mailbox_copy import Lane, MailboxCopy
from workers.engine.options import CopyOptions
from workers.engine.plan import FolderMapping
from workers.engine.session import FolderStatus
from workers.engine.state import FolderCheckpoint

logger = logging.getLogger(__name__)


@dataclass
class Group:
    """Folders that share a destination folder, with the messages they may have to copy."""

    mappings: list[FolderMapping]
    pending: int = 0


def pending_messages(status: FolderStatus | None, saved: FolderCheckpoint | None) -> int:
    """Messages a pass may copy from one folder, estimated from its STATUS and saved state."""
    if status is None:
        return 0  # unreadable: the copy reports it, quickly
    if saved is None or saved.uidvalidity != status.uidvalidity:
        return status.messages
    if saved.uidnext == status.uidnext:
        return 0
    return min(status.messages, max(status.uidnext - saved.last_uid - 1, 0))


def groups(
    mappings: Sequence[FolderMapping],
    saved: Mapping[str, FolderCheckpoint],
    statuses: Mapping[str, FolderStatus],
) -> list[Group]:
    """Mappings grouped by destination folder, each group where its first member is in plan order."""
    by_dst: dict[str, Group] = {}
    for mapping in mappings:
        group = by_dst.setdefault(mapping.dst, Group([]))
        group.mappings.append(mapping)
        group.pending += pending_messages(statuses.get(mapping.src), saved.get(mapping.src))
    return list(by_dst.values())


def lane_count(options: CopyOptions, work: Sequence[Group]) -> int:
    busy = sum(1 for group in work if group.pending > 0)
    if options.parallel_folders <= 1 or busy < 2:
        return 1
    if sum(group.pending for group in work) < options.parallel_min_messages:
        return 1
    return min(options.parallel_folders, busy)


def copy_folders(
    run: MailboxCopy,
    mappings: Sequence[FolderMapping],
    saved: Mapping[str, FolderCheckpoint],
    statuses: Mapping[str, FolderStatus],
) -> bool:
    """Copy `mappings` on as many lanes as worthwhile; True when `should_stop` cancelled the run.

    Raises:
        CopyError when the account cannot go on (see `MailboxCopy.copy_folder`), or whatever the
        caller's callbacks raised.
    """
    work = groups(mappings, saved, statuses)
    lanes = lane_count(run.options, work)
    if lanes == 1:
        for mapping in mappings:
            if run.stopping():
                return True
            if run.copy_folder(mapping, saved.get(mapping.src), statuses.get(mapping.src)) == "cancelled":
                return True
        return False
    logger.info("copy.parallel lanes=%d folders=%d", lanes, len(mappings))
    ordered = sorted(work, key=lambda group: -group.pending)  # stable: plan order among equals
    scheduler = _Scheduler(run, deque(ordered), saved, statuses)
    threads = [
        threading.Thread(target=scheduler.extra_lane, args=(n,), name=f"copy-lane-{n}", daemon=True)
        for n in range(1, lanes)
    ]
    for thread in threads:
        thread.start()
    try:
        scheduler.drain(run.lane)
    except BaseException as exc:  # includes KeyboardInterrupt: stop the other lanes before leaving
        scheduler.fail(exc)
    finally:
        for thread in threads:
            thread.join()
    if scheduler.failure is not None:
        raise scheduler.failure
    return scheduler.cancelled


@dataclass
class _Scheduler:
    run: MailboxCopy
    queue: deque[Group]
    saved: Mapping[str, FolderCheckpoint]
    statuses: Mapping[str, FolderStatus]
    failure: BaseException | None = None
    cancelled: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _next(self) -> Group | None:
        with self._lock:
            if self.failure is not None or self.cancelled or not self.queue:
                return None
            return self.queue.popleft()

    def drain(self, lane: Lane) -> None:
        """Copy groups until none is left, the run is cancelled, or a lane failed."""
        while (group := self._next()) is not None:
            for mapping in group.mappings:
                if self.run.stopping():
                    self.cancelled = self.failure is None
                    return
                status = self.statuses.get(mapping.src)
                if self.run.copy_folder(mapping, self.saved.get(mapping.src), status, lane) == "cancelled":
                    self.cancelled = self.failure is None
                    return

    def fail(self, exc: BaseException) -> None:
        with self._lock:
            if self.failure is None:
                self.failure = exc
        self.run.aborted.set()

    def extra_lane(self, number: int) -> None:
        if self._next_is_empty():
            return
        lane = self.run.new_lane(number)
        try:
            lane.connect()
        except CopyError as exc:
            # Say, a per-user connection limit: the lanes already open take this one's share.
            logger.warning("copy.lane_unavailable lane=%d code=%s reason=%s", number, exc.code, exc.message)
            return
        except BaseException as exc:
            self.fail(exc)
            return
        try:
            self.drain(lane)
        except BaseException as exc:
            self.fail(exc)
        finally:
            lane.close()

    def _next_is_empty(self) -> bool:
        with self._lock:
            return self.failure is not None or self.cancelled or not self.queue
