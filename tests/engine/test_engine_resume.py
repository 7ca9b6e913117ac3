"""Interruptions: cancel, crash, killed before a checkpoint, dropped connections, UIDVALIDITY reset.

After each, a new run must finish the copy with nothing lost and nothing duplicated.
"""

from __future__ import annotations

import pytest

from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import (
    CuttingProxy,
    Killed,
    KilledBeforeCheckpoint,
    assert_complete,
    connect,
    endpoint,
    pair,
)
from tests.imap_fixtures import LoadedSource
from workers.engine.copier import copy_mailbox
from workers.engine.events import EngineEvent, Progress
from workers.engine.options import CopyOptions
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap
SMALL_BATCHES = CopyOptions(batch_messages=10)


def test_cancelled_after_two_batches_then_resumed(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    state = MemoryState()
    batches: list[Progress] = []

    def on_event(event: EngineEvent) -> None:
        if isinstance(event, Progress):
            batches.append(event)

    first = copy_mailbox(
        src, dst, SMALL_BATCHES, state, on_event=on_event, should_stop=lambda: len(batches) >= 2
    )
    assert first.status == "cancelled"
    assert first.copied == 20 == batches[-1].copied

    second = copy_mailbox(src, dst, SMALL_BATCHES, state)
    assert second.status == "ok"
    assert (second.copied, second.skipped) == (len(loaded_source.messages) - 20, 0)
    assert_complete(src_server, dst_server, loaded_source.username)


def test_crash_in_the_event_callback_then_resumed(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    state = MemoryState()
    seen: list[Progress] = []

    def crash_on_third_batch(event: EngineEvent) -> None:
        if isinstance(event, Progress):
            seen.append(event)
            if len(seen) == 3:
                raise Killed

    with pytest.raises(Killed):
        copy_mailbox(src, dst, SMALL_BATCHES, state, on_event=crash_on_third_batch)
    second = copy_mailbox(src, dst, SMALL_BATCHES, state)
    assert second.status == "ok"
    assert second.copied == len(loaded_source.messages) - seen[-1].copied
    assert_complete(src_server, dst_server, loaded_source.username)


def test_killed_between_append_and_checkpoint_does_not_duplicate(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    state = KilledBeforeCheckpoint(survive=4)
    with pytest.raises(Killed):
        copy_mailbox(src, dst, SMALL_BATCHES, state)
    state.survive = 10**6
    second = copy_mailbox(src, dst, SMALL_BATCHES, state)
    assert second.status == "ok"
    assert second.skipped == 10  # the batch appended before the "kill", found by identity
    assert second.copied + second.skipped == len(loaded_source.messages) - 40
    assert_complete(src_server, dst_server, loaded_source.username)


def test_source_uidvalidity_reset_creates_no_duplicates(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    username = loaded_source.username
    src, dst = pair(src_server, dst_server, username)
    state = MemoryState()
    copy_mailbox(src, dst, None, state)
    client = connect(src_server, username)
    try:
        old_validity = client.folder_status("R&D", ["UIDVALIDITY"])[b"UIDVALIDITY"]
        client.select_folder("R&D", readonly=True)
        saved = client.fetch(client.search(["ALL"]), ["BODY.PEEK[]", "FLAGS", "INTERNALDATE"])
        client.unselect_folder()
        client.delete_folder("R&D")
        client.create_folder("R&D")
        for item in saved.values():
            flags = [f for f in item[b"FLAGS"] if f.lower() != b"\\recent"]
            client.append("R&D", item[b"BODY[]"], flags, item[b"INTERNALDATE"])
        assert client.folder_status("R&D", ["UIDVALIDITY"])[b"UIDVALIDITY"] != old_validity
    finally:
        client.logout()

    again = copy_mailbox(src, dst, None, state)

    by_folder = {f.folder: f for f in again.folders}
    assert (by_folder["R&D"].copied, by_folder["R&D"].skipped) == (0, len(saved))
    assert again.copied == 0
    assert_complete(src_server, dst_server, username)


def test_dropped_connection_is_retried_and_nothing_is_duplicated(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    username = loaded_source.username
    proxy = CuttingProxy(dst_server.port_plain, after=2_500_000, cuts=2)
    try:
        src = endpoint(src_server, username)
        dst = endpoint(dst_server, username).__class__(
            "127.0.0.1", proxy.port, "plain", username, dst_server.password, timeout=10
        )
        result = copy_mailbox(src, dst, CopyOptions(retry_wait=0.05))
    finally:
        proxy.close()
    assert proxy.connections == 3
    assert result.status == "ok", result.error_list
    assert result.copied == len(loaded_source.messages)
    assert_complete(src_server, dst_server, username)


def test_a_connection_that_keeps_dropping_fails_the_account_clearly(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    username = loaded_source.username
    proxy = CuttingProxy(dst_server.port_plain, after=1_500_000, cuts=100)
    try:
        src = endpoint(src_server, username)
        dst = endpoint(dst_server, username).__class__(
            "127.0.0.1", proxy.port, "plain", username, dst_server.password, timeout=10
        )
        result = copy_mailbox(src, dst, CopyOptions(retries=2, retry_wait=0.01), state := MemoryState())
    finally:
        proxy.close()
    assert result.status == "failed"
    assert result.error_code == "connection_lost"
    assert result.message and "gave up on INBOX after 2 reconnections" in result.message
    assert "Traceback" not in result.message
    resumed = copy_mailbox(src, endpoint(dst_server, username), None, state)
    assert resumed.status == "ok"
    assert_complete(src_server, dst_server, username)
