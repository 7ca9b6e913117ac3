"""Sync state stores: memory and the JSON file (snapshot + journal, crash tolerance, locking)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.engine.state import FolderCheckpoint, MemoryState, MessageRecord
from workers.engine.state_file import JsonFileState, StateLocked


def _state(last_uid: int) -> FolderCheckpoint:
    return FolderCheckpoint("Work/Ünï", "INBOX.Work.Ünï", 77, last_uid, dst_uidvalidity=5, dst_uidnext=10)


def _record(uid: int, *flags: str) -> MessageRecord:
    return MessageRecord(uid, uid + 100, frozenset(flags))


def test_memory_state_upserts_and_resets() -> None:
    state = MemoryState()
    state.checkpoint(_state(2), [_record(1, "\\Seen"), _record(2)])
    state.checkpoint(_state(3), [_record(2, "$Label1"), _record(3)])
    assert state.load_folders()["Work/Ünï"].last_uid == 3
    assert state.messages("Work/Ünï", [2, 9]) == {2: _record(2, "$Label1")}
    assert sorted(state.messages_above("Work/Ünï", 1)) == [2, 3]
    state.reset_folder("Work/Ünï")
    assert state.load_folders() == {}
    assert state.messages_above("Work/Ünï", 0) == {}


def test_file_state_survives_reopen_and_compacts(tmp_path: Path) -> None:
    path = tmp_path / "pair.json"
    with JsonFileState(path) as state:
        state.checkpoint(_state(2), [_record(1, "\\Seen", "$Forwarded"), _record(2)])
        state.checkpoint(_state(3), [_record(3)])
    assert path.exists()
    assert path.with_name("pair.json.journal").stat().st_size == 0
    with JsonFileState(path) as again:
        assert again.load_folders() == {"Work/Ünï": _state(3)}
        assert again.messages("Work/Ünï", [1]) == {1: _record(1, "\\Seen", "$Forwarded")}


def test_file_state_replays_the_journal_after_a_crash_and_ignores_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "pair.json"
    state = JsonFileState(path)
    state.checkpoint(_state(1), [_record(1)])
    state.checkpoint(_state(2), [_record(2)])
    journal = path.with_name("pair.json.journal")
    # Simulate a kill: no close(), the lock is released by the dying process, the last write is torn.
    state._lock.close()
    with open(journal, "a", encoding="utf-8") as out:
        out.write('{"op":"checkpoint","state":{"fol')
    with JsonFileState(path) as recovered:
        assert recovered.load_folders()["Work/Ünï"].last_uid == 2
        assert sorted(recovered.messages_above("Work/Ünï", 0)) == [1, 2]


def test_file_state_is_locked_while_in_use(tmp_path: Path) -> None:
    path = tmp_path / "pair.json"
    with JsonFileState(path), pytest.raises(StateLocked):
        JsonFileState(path)
