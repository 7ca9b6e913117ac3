"""When a pass opens extra lanes, and how folders are grouped for them (pure parts of lanes.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence

from workers.engine.lanes import Group, groups, lane_count, pending_messages
from workers.engine.options import CopyOptions
from workers.engine.plan import FolderMapping
from workers.engine.session import FolderStatus
from workers.engine.state import FolderCheckpoint, LockedState, MemoryState, MessageRecord


def _status(messages: int, uidnext: int, uidvalidity: int = 7) -> FolderStatus:
    return FolderStatus(messages, uidnext, uidvalidity, None)


def test_pending_messages_from_status_and_saved_state() -> None:
    saved = FolderCheckpoint("INBOX", "INBOX", uidvalidity=7, last_uid=100, uidnext=101)
    assert pending_messages(None, saved) == 0
    assert pending_messages(_status(90, 101), None) == 90  # first pass: everything
    assert pending_messages(_status(90, 101, uidvalidity=8), saved) == 90  # reset: everything
    assert pending_messages(_status(90, 101), saved) == 0  # unchanged
    assert pending_messages(_status(95, 151), saved) == 50  # 50 new UIDs
    interrupted = saved.replace(uidnext=None, last_uid=40)
    assert pending_messages(_status(95, 151), interrupted) == 95  # bounded by the folder's size


def test_folders_sharing_a_destination_form_one_group_in_plan_order() -> None:
    mappings = [
        FolderMapping("INBOX", "INBOX", "inbox", True),
        FolderMapping("Sent", "INBOX.Sent", "translated", True),
        FolderMapping("Work", "INBOX.Work", "translated", True),
        FolderMapping("Sent Items", "INBOX.Sent", "special-use", True),
    ]
    statuses = {"INBOX": _status(10, 11), "Sent": _status(3, 4), "Sent Items": _status(5, 6)}
    got = groups(mappings, {}, statuses)
    assert [[m.src for m in g.mappings] for g in got] == [["INBOX"], ["Sent", "Sent Items"], ["Work"]]
    assert [g.pending for g in got] == [10, 8, 0]


def _work(*pending: int) -> list[Group]:
    return [Group([FolderMapping(f"F{i}", f"F{i}", "translated", True)], p) for i, p in enumerate(pending)]


def test_extra_lanes_only_for_enough_work_in_two_folders_or_more() -> None:
    options = CopyOptions(parallel_folders=2, parallel_min_messages=250)
    assert lane_count(options, _work(600, 300, 0)) == 2
    assert lane_count(options, _work(100, 100)) == 1  # not worth a second login
    assert lane_count(options, _work(5000, 0, 0)) == 1  # one busy folder: one lane
    assert lane_count(CopyOptions(parallel_folders=1), _work(600, 300)) == 1
    assert lane_count(CopyOptions(parallel_folders=4, parallel_min_messages=0), _work(1, 1, 1)) == 3


class _Slow(MemoryState):
    def __init__(self) -> None:
        super().__init__()
        self.inside = self.most = 0

    def _enter(self) -> None:
        self.inside += 1
        self.most = max(self.most, self.inside)
        time.sleep(0.002)
        self.inside -= 1

    def checkpoint(self, state: FolderCheckpoint, records: Sequence[MessageRecord] = ()) -> None:
        self._enter()
        super().checkpoint(state, records)

    def messages(self, folder: str, src_uids: Iterable[int]) -> dict[int, MessageRecord]:
        self._enter()
        return super().messages(folder, src_uids)


def test_locked_state_lets_one_thread_in_at_a_time() -> None:
    inner = _Slow()
    state = LockedState(inner, threading.Lock())

    def work(folder: str) -> None:
        for uid in range(1, 21):
            state.checkpoint(FolderCheckpoint(folder, folder, 1, uid), [MessageRecord(uid, uid, frozenset())])
            state.messages(folder, [uid])

    threads = [threading.Thread(target=work, args=(f"F{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inner.most == 1
    assert [inner.message_count(f"F{n}") for n in range(3)] == [20, 20, 20]
    assert state.load_folders()["F2"].last_uid == 20
