"""Folders copied on two lanes (connection pairs) at once: complete, and interruptions resume per folder.

`parallel_min_messages=0` forces the second lane on the small test corpus; small batches make the
two lanes' folders overlap in time.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from testbed.corpus import snapshot
from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import (
    CuttingProxy,
    Killed,
    KilledBeforeCheckpoint,
    assert_complete,
    endpoint,
    expected_destination,
    pair,
    without_empty_extras,
)
from tests.imap_fixtures import LoadedSource
from workers.engine.copier import copy_mailbox
from workers.engine.events import EngineEvent, FolderDone, FolderStarted, Progress
from workers.engine.imap import ImapEndpoint
from workers.engine.options import CopyOptions
from workers.engine.state import FolderCheckpoint, MemoryState, MessageRecord
from workers.engine.state_file import JsonFileState

pytestmark = pytest.mark.imap
PARALLEL = CopyOptions(parallel_folders=2, parallel_min_messages=0, batch_messages=10, retry_wait=0.05)


def _through(proxy: CuttingProxy, server: ImapServer, username: str) -> ImapEndpoint:
    return ImapEndpoint("127.0.0.1", proxy.port, "plain", username, server.password, timeout=10)


def _recorded(state: MemoryState) -> int:
    return sum(state.message_count(folder) for folder in state.load_folders())


def test_two_lanes_copy_everything_byte_identical_and_a_quiet_pass_opens_one(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource, tmp_path: Path
) -> None:
    username = loaded_source.username
    proxy = CuttingProxy(dst_server.port_plain, after=0, cuts=0)  # counts destination connections
    events: list[EngineEvent] = []
    try:
        src, dst = endpoint(src_server, username), _through(proxy, dst_server, username)
        with JsonFileState(tmp_path / "state.json") as state:  # not thread-safe itself
            first = copy_mailbox(src, dst, PARALLEL, state, on_event=events.append)
        assert proxy.connections == 2
        with JsonFileState(tmp_path / "state.json") as state:
            second = copy_mailbox(src, dst, PARALLEL, state)
        assert proxy.connections == 3, "nothing to copy: no second lane"
    finally:
        proxy.close()

    assert first.status == "ok", first.error_list
    assert (first.copied, first.skipped, first.errors) == (len(loaded_source.messages), 0, 0)
    expected = expected_destination(snapshot(src_server, username))
    assert without_empty_extras(snapshot(dst_server, username), expected) == expected
    plan_order = sorted(f.folder for f in first.folders if f.folder != "INBOX")
    assert [f.folder for f in first.folders] == ["INBOX", *plan_order]
    running, most = set(), 0
    for event in events:
        if isinstance(event, FolderStarted):
            running.add(event.folder)
            most = max(most, len(running))
        elif isinstance(event, FolderDone):
            running.discard(event.result.folder)
    assert most == 2, "the two lanes never copied at the same time"
    assert (second.status, second.copied) == ("ok", 0)
    assert {f.status for f in second.folders} == {"unchanged"}
    assert_complete(src_server, dst_server, username)


class OneCallAtATime(MemoryState):
    """Records how many threads were inside `checkpoint` at once (each call lingers a little)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = self.most = 0

    def checkpoint(self, state: FolderCheckpoint, records: Sequence[MessageRecord] = ()) -> None:
        self.inside += 1
        self.most = max(self.most, self.inside)
        time.sleep(0.005)
        super().checkpoint(state, records)
        self.inside -= 1


def test_cancelled_on_two_lanes_then_resumed(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    state = OneCallAtATime()
    batches: list[Progress] = []

    def on_event(event: EngineEvent) -> None:
        if isinstance(event, Progress):
            batches.append(event)

    first = copy_mailbox(src, dst, PARALLEL, state, on_event, should_stop=lambda: len(batches) >= 4)
    assert state.most == 1, "two lanes used the state store at once"
    assert first.status == "cancelled"
    assert 40 <= first.copied < len(loaded_source.messages)
    assert "cancelled" in {f.status for f in first.folders}

    second = copy_mailbox(src, dst, PARALLEL, state)
    assert (second.status, second.skipped) == ("ok", 0)
    assert first.copied + second.copied == len(loaded_source.messages)
    assert_complete(src_server, dst_server, loaded_source.username)


def test_crash_in_the_callback_stops_both_lanes_and_a_rerun_finishes(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    """The crash comes from the lane copying "Sent Items"; the lane busy with INBOX must stop too."""
    src, dst = pair(src_server, dst_server, loaded_source.username)
    state = MemoryState()

    def crash_on_first_sent_batch(event: EngineEvent) -> None:
        if isinstance(event, Progress):
            seen.append(event.folder)
            if seen.count("Sent Items") == 1 and not crashed_at:
                crashed_at.append(len(seen))
                raise Killed

    seen: list[str] = []
    crashed_at: list[int] = []
    with pytest.raises(Killed):
        copy_mailbox(src, dst, PARALLEL, state, on_event=crash_on_first_sent_batch)
    assert seen[: crashed_at[0]].count("INBOX") < 8, "INBOX was done before the crash: this proves nothing"
    assert seen[crashed_at[0] :].count("INBOX") <= 1, "the INBOX lane went on after the crash"
    recorded = _recorded(state)
    second = copy_mailbox(src, dst, PARALLEL, state)
    assert (second.status, second.skipped) == ("ok", 0)
    assert second.copied == len(loaded_source.messages) - recorded
    assert_complete(src_server, dst_server, loaded_source.username)


def test_killed_between_append_and_checkpoint_on_two_lanes_does_not_duplicate(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    state = KilledBeforeCheckpoint(survive=5)
    with pytest.raises(Killed):
        copy_mailbox(src, dst, PARALLEL, state)
    recorded = _recorded(state)
    state.survive = 10**6
    second = copy_mailbox(src, dst, PARALLEL, state)
    assert second.status == "ok"
    assert 10 <= second.skipped <= 20  # the unrecorded batch (one per lane at most), found by identity
    assert second.copied + second.skipped == len(loaded_source.messages) - recorded
    assert_complete(src_server, dst_server, loaded_source.username)


def test_a_dead_destination_fails_the_account_then_flaky_drops_on_both_lanes_are_retried(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    username = loaded_source.username
    src, state = endpoint(src_server, username), MemoryState()
    proxy = CuttingProxy(dst_server.port_plain, after=200_000, cuts=100)
    try:
        failed = copy_mailbox(src, _through(proxy, dst_server, username), replace(PARALLEL, retries=1), state)
    finally:
        proxy.close()
    assert (failed.status, failed.error_code) == ("failed", "connection_lost")
    assert failed.message and "gave up on" in failed.message

    proxy = CuttingProxy(dst_server.port_plain, after=1_000_000, cuts=3)
    try:
        result = copy_mailbox(src, _through(proxy, dst_server, username), PARALLEL, state)
    finally:
        proxy.close()
    assert result.status == "ok", result.error_list
    assert proxy.connections >= 5, "the drops never happened: the test proves nothing"
    assert failed.copied + result.copied + result.skipped == len(loaded_source.messages)
    assert_complete(src_server, dst_server, username)


def test_a_refused_second_connection_leaves_the_work_to_the_first_lane(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    username = loaded_source.username
    proxy = CuttingProxy(dst_server.port_plain, after=0, cuts=1, spare=1)  # the 2nd connection dies at once
    try:
        result = copy_mailbox(endpoint(src_server, username), _through(proxy, dst_server, username), PARALLEL)
    finally:
        proxy.close()
    assert proxy.connections == 2
    assert (result.status, result.copied, result.errors) == ("ok", len(loaded_source.messages), 0)
    assert_complete(src_server, dst_server, username)
