"""Sync state in a JSON file, for CLI copies without a database.

A snapshot (`<path>`) plus an append-only journal (`<path>.journal`, one JSON line per checkpoint)
so that a checkpoint costs one small append + fsync instead of rewriting the whole map. Loading
replays the journal onto the snapshot (a torn last line from a crash is ignored: that batch is
simply deduplicated again), then compacts: the new snapshot is written to a temporary file and
atomically renamed over the old one before the journal is truncated. Replaying a journal onto a
snapshot that already has it is harmless, since checkpoints are upserts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from workers.engine.errors import CopyError
from workers.engine.state import FolderCheckpoint, MemoryState, MessageRecord

logger = logging.getLogger(__name__)

_VERSION = 1
_COMPACT_AFTER_BYTES = 8 * 1024 * 1024


class StateLocked(CopyError):
    code = "state_locked"


class JsonFileState(MemoryState):
    """File-backed state; holds an exclusive lock on `<path>.lock` until `close()`."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._journal_path = path.with_name(path.name + ".journal")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self._lock.close()
            raise StateLocked(f"another copy is using the state file {path}") from exc
        self._load()
        self._compact()
        self._journal: IO[str] = open(self._journal_path, "a", encoding="utf-8")  # noqa: SIM115

    def __enter__(self) -> JsonFileState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._journal.closed:
            return
        self._journal.close()
        self._compact()
        self._lock.close()

    def checkpoint(self, state: FolderCheckpoint, records: Sequence[MessageRecord] = ()) -> None:
        super().checkpoint(state, records)
        entry = {
            "op": "checkpoint",
            "state": dataclasses.asdict(state),
            "records": [r.to_row() for r in records],
        }
        self._append(entry)

    def reset_folder(self, folder: str) -> None:
        super().reset_folder(folder)
        self._append({"op": "reset", "folder": folder})

    def _append(self, entry: dict[str, Any]) -> None:
        self._journal.write(json.dumps(entry, separators=(",", ":")) + "\n")
        # flush, not fsync: once written, a checkpoint survives the process being killed. Losing the
        # last ones to a power cut only makes the next run deduplicate those batches again, while an
        # fsync per batch would cost a tenth of a full copy's time.
        self._journal.flush()
        if self._journal.tell() > _COMPACT_AFTER_BYTES:
            self._journal.close()
            self._compact()
            self._journal = open(self._journal_path, "a", encoding="utf-8")  # noqa: SIM115

    def _load(self) -> None:
        if self.path.exists():
            data = json.loads(self.path.read_text(encoding="utf-8"))
            for item in data.get("folders", []):
                rows = item.pop("messages", [])
                super().checkpoint(FolderCheckpoint(**item), [MessageRecord.from_row(r) for r in rows])
        if not self._journal_path.exists():
            return
        with open(self._journal_path, encoding="utf-8") as journal:
            for line in journal:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    logger.warning("state.journal_torn path=%s", self._journal_path)
                    break
                self._replay(entry)

    def _replay(self, entry: dict[str, Any]) -> None:
        if entry["op"] == "reset":
            super().reset_folder(entry["folder"])
        else:
            records = [MessageRecord.from_row(r) for r in entry["records"]]
            super().checkpoint(FolderCheckpoint(**entry["state"]), records)

    def _compact(self) -> None:
        folders = []
        for state in self.load_folders().values():
            item: dict[str, Any] = dataclasses.asdict(state)
            item["messages"] = [
                r.to_row()
                for r in sorted(self.messages_above(state.folder, 0).values(), key=lambda r: r.src_uid)
            ]
            folders.append(item)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump({"version": _VERSION, "folders": folders}, out, separators=(",", ":"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)
        with contextlib.suppress(FileNotFoundError):
            os.truncate(self._journal_path, 0)
