"""Sync state: what a delta pass starts from, written through after every batch.

Per source folder, a `FolderCheckpoint`:
- `uidvalidity`, `last_uid`: every source UID <= last_uid is done (copied, or found on the destination).
  A message that failed holds the mark back, so it is retried next pass; messages above it that did
  copy are in the message map and are not copied twice.
- `uidnext`, `highest_modseq`: the source STATUS values at which the folder was last *completely*
  synced (None while a pass is under way or left errors): when both match, the folder is unchanged.
  `highest_modseq` is also the CHANGEDSINCE point for flag sync.
- `dst_uidvalidity`, `dst_uidnext`: the destination folder after our last checkpoint. A destination
  UIDNEXT above `dst_uidnext` means messages arrived that the map does not know (a batch appended
  before a crash, or mail delivered there): those, and only those, are scanned for dedup.

Per message, a `MessageRecord`: source UID -> destination UID (UIDPLUS) and the flags last synced,
so later passes bring source flag changes over without undoing the users' changes on the destination.

`checkpoint` must be atomic: folder state and message records are written together or not at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from workers.engine.flags import flags_from_text, flags_to_text


@dataclass(frozen=True)
class FolderCheckpoint:
    folder: str
    dst_folder: str
    uidvalidity: int
    last_uid: int = 0
    uidnext: int | None = None
    highest_modseq: int | None = None
    dst_uidvalidity: int | None = None
    dst_uidnext: int | None = None

    def replace(self, **changes: object) -> FolderCheckpoint:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class MessageRecord:
    src_uid: int
    dst_uid: int | None
    flags: frozenset[str]

    def to_row(self) -> list[object]:
        return [self.src_uid, self.dst_uid, flags_to_text(self.flags)]

    @classmethod
    def from_row(cls, row: Sequence[object]) -> MessageRecord:
        src_uid, dst_uid, flags = row
        return cls(
            int(str(src_uid)), None if dst_uid is None else int(str(dst_uid)), flags_from_text(str(flags))
        )


class SyncState(Protocol):
    """Where the copier reads and checkpoints its progress (memory, JSON file, or the database)."""

    def load_folders(self) -> dict[str, FolderCheckpoint]:
        """Every folder's state, keyed by source folder name (one read per pass)."""
        ...

    def messages(self, folder: str, src_uids: Iterable[int]) -> dict[int, MessageRecord]:
        """The message records of these source UIDs (those that have one)."""
        ...

    def messages_above(self, folder: str, src_uid: int) -> dict[int, MessageRecord]:
        """The message records with a source UID above `src_uid` (0: all of them)."""
        ...

    def checkpoint(self, state: FolderCheckpoint, records: Sequence[MessageRecord] = ()) -> None:
        """Atomically upsert the folder state and these message records."""
        ...

    def reset_folder(self, folder: str) -> None:
        """Forget a folder (its UIDVALIDITY changed): state and message map."""
        ...


class MemoryState:
    """In-process state: for tests, scripts and benchmarks (and the base of the JSON file store)."""

    def __init__(self) -> None:
        self._folders: dict[str, FolderCheckpoint] = {}
        self._messages: dict[str, dict[int, MessageRecord]] = {}

    def load_folders(self) -> dict[str, FolderCheckpoint]:
        return dict(self._folders)

    def messages(self, folder: str, src_uids: Iterable[int]) -> dict[int, MessageRecord]:
        known = self._messages.get(folder, {})
        return {uid: known[uid] for uid in src_uids if uid in known}

    def messages_above(self, folder: str, src_uid: int) -> dict[int, MessageRecord]:
        known = self._messages.get(folder, {})
        return {uid: record for uid, record in known.items() if uid > src_uid}

    def checkpoint(self, state: FolderCheckpoint, records: Sequence[MessageRecord] = ()) -> None:
        self._folders[state.folder] = state
        known = self._messages.setdefault(state.folder, {})
        for record in records:
            known[record.src_uid] = record

    def reset_folder(self, folder: str) -> None:
        self._folders.pop(folder, None)
        self._messages.pop(folder, None)

    def message_count(self, folder: str) -> int:
        return len(self._messages.get(folder, {}))


class LockedState:
    """A `SyncState` whose calls are serialised by `lock`: lanes copying folders in parallel share one
    store, and neither the JSON file store nor a caller's own implementation need be thread-safe."""

    def __init__(self, inner: SyncState, lock: AbstractContextManager[object]) -> None:
        self.inner = inner
        self._lock = lock

    def load_folders(self) -> dict[str, FolderCheckpoint]:
        with self._lock:
            return self.inner.load_folders()

    def messages(self, folder: str, src_uids: Iterable[int]) -> dict[int, MessageRecord]:
        with self._lock:
            return self.inner.messages(folder, src_uids)

    def messages_above(self, folder: str, src_uid: int) -> dict[int, MessageRecord]:
        with self._lock:
            return self.inner.messages_above(folder, src_uid)

    def checkpoint(self, state: FolderCheckpoint, records: Sequence[MessageRecord] = ()) -> None:
        with self._lock:
            self.inner.checkpoint(state, records)

    def reset_folder(self, folder: str) -> None:
        with self._lock:
            self.inner.reset_folder(folder)
