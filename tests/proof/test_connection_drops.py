"""Connections dropped mid-transfer (testbed/faultproxy.py between the engine and one server).

A few drops: the engine reconnects with backoff and the account completes, nothing missing, nothing
duplicated. Drops on every connection before anything is checkpointed: the account fails with a
clear transient error after its retries, and the next run without the fault completes, still
without a duplicate. Drops that let each connection get a batch further do not use up the retries.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from testbed.dovecot import ImapServer
from testbed.faultproxy import FaultProxy, Mode
from tests.proof.conftest import FAST, compare, endpoint, folder_uids, load_raw, message
from workers.engine.copier import copy_mailbox
from workers.engine.results import AccountResult
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap

KB = 1024
# 40 messages of 100 KB in two folders: several batches and MULTIAPPENDs of a few hundred KB each.
FOLDERS = {"INBOX": 28, "Work": 12}
TOTAL = sum(FOLDERS.values())
FAULTS: dict[str, tuple[str, Mode, int, bytes]] = {
    # side, mode, after_bytes, pattern
    "dst-cut-mid-append": ("dst", "cut_up", 300 * KB, b""),
    # The destination stored the batch but its OK never arrives: the retry must find it, not append it again.
    "dst-reply-lost-after-append": ("dst", "cut_on", 0, b"APPENDUID"),
    "src-cut-mid-fetch": ("src", "cut_down", 300 * KB, b""),
}


@pytest.fixture()
def mailbox(src_server: ImapServer, imap_user: str) -> str:
    for folder, count in FOLDERS.items():
        load_raw(src_server, imap_user, folder, [message(f"{folder}-{i}", 100 * KB) for i in range(count)])
    return imap_user


def _copy(
    src_server: ImapServer,
    dst_server: ImapServer,
    user: str,
    fault: str,
    max_cuts: int | None,
    state: MemoryState,
) -> tuple[AccountResult, int]:
    side, mode, after, pattern = FAULTS[fault]
    target = src_server if side == "src" else dst_server
    with FaultProxy(target.port_plain, mode, after_bytes=after, pattern=pattern, max_cuts=max_cuts) as proxy:
        src = endpoint(src_server, user, port=proxy.port if side == "src" else None)
        dst = endpoint(dst_server, user, port=proxy.port if side == "dst" else None)
        # Small batches, so that several are checkpointed before a cut and the retry resumes mid-folder.
        result = copy_mailbox(src, dst, replace(FAST, batch_messages=5), state=state)
    return result, proxy.cuts


def _assert_exactly_once(src_server: ImapServer, dst_server: ImapServer, user: str) -> None:
    comparison = compare(src_server, dst_server, user)
    assert (comparison.missing, comparison.duplicated) == (0, 0), comparison
    assert len(folder_uids(dst_server, user, "INBOX")) == FOLDERS["INBOX"]
    assert len(folder_uids(dst_server, user, "INBOX.Work")) == FOLDERS["Work"]


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_few_drops_are_retried_to_completion(
    src_server: ImapServer, dst_server: ImapServer, mailbox: str, fault: str
) -> None:
    result, cuts = _copy(src_server, dst_server, mailbox, fault, max_cuts=2, state=MemoryState())

    assert cuts == 2, "the fault never fired: the test proves nothing"
    assert (result.status, result.errors) == ("ok", 0), result
    assert result.copied + result.skipped == TOTAL
    if fault == "dst-reply-lost-after-append":
        assert result.skipped == 2 * 5, "each lost reply's batch is found on the destination, not re-sent"
    _assert_exactly_once(src_server, dst_server, mailbox)


# Faults that strike every connection before it can checkpoint a batch (the batch is 500 KB).
STALLING = [name for name in FAULTS if name != "dst-reply-lost-after-append"]


@pytest.mark.parametrize("fault", STALLING)
@pytest.mark.parametrize("keep_state", [True, False], ids=["same-state", "fresh-state"])
def test_drops_on_every_connection_fail_the_account_then_the_next_run_completes(
    src_server: ImapServer, dst_server: ImapServer, mailbox: str, fault: str, keep_state: bool
) -> None:
    state = MemoryState()
    failed, cuts = _copy(src_server, dst_server, mailbox, fault, max_cuts=None, state=state)

    assert cuts == FAST.retries + 1
    assert (failed.status, failed.error_code) == ("failed", "connection_lost")
    assert failed.message and "gave up" in failed.message and "Traceback" not in failed.message

    later = copy_mailbox(
        endpoint(src_server, mailbox),
        endpoint(dst_server, mailbox),
        FAST,
        state=state if keep_state else MemoryState(),
    )
    assert (later.status, later.errors) == ("ok", 0), later
    assert failed.copied + later.copied <= TOTAL
    _assert_exactly_once(src_server, dst_server, mailbox)


def test_drops_that_let_each_connection_get_further_do_not_fail_the_account(
    src_server: ImapServer, dst_server: ImapServer, mailbox: str
) -> None:
    """Every APPEND reply is lost, on every connection: each reconnection finds the previous batch on
    the destination (a checkpoint: progress), appends the next, and loses that reply too. Far more
    drops than `retries`, yet the folder gets further each time, so the account completes."""
    result, cuts = _copy(src_server, dst_server, mailbox, "dst-reply-lost-after-append", None, MemoryState())

    batches = sum(-(-count // 5) for count in FOLDERS.values())
    assert cuts == batches > FAST.retries + 1
    assert (result.status, result.errors) == ("ok", 0), result
    assert (result.copied, result.skipped) == (0, TOTAL)  # every reply lost: all found by identity
    _assert_exactly_once(src_server, dst_server, mailbox)


@pytest.mark.parametrize(
    ("side", "mode"),
    [("dst", "cut_up"), ("dst", "cut_on"), ("src", "cut_down")],
    ids=["dst-cut-mid-stream", "dst-reply-lost", "src-cut-mid-spool"],
)
def test_drop_while_a_large_message_streams(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str, side: str, mode: Mode
) -> None:
    """A message over the spool threshold goes through a temp file: a cut halfway through it (it is the
    first one sent and fetched) is retried."""
    load_raw(src_server, imap_user, "INBOX", [message("big", 12 * 1024 * KB), message("after")])
    target = src_server if side == "src" else dst_server
    with FaultProxy(
        target.port_plain, mode, after_bytes=5 * 1024 * KB, pattern=b"APPENDUID", max_cuts=1
    ) as proxy:
        src = endpoint(src_server, imap_user, port=proxy.port if side == "src" else None)
        dst = endpoint(dst_server, imap_user, port=proxy.port if side == "dst" else None)
        result = copy_mailbox(src, dst, FAST)
    assert proxy.cuts == 1
    assert (result.status, result.copied + result.skipped, result.errors) == ("ok", 2, 0), result
    if mode == "cut_on":
        assert result.skipped == 1, "the big message whose reply was lost is found, not appended again"
    comparison = compare(src_server, dst_server, imap_user)
    assert (comparison.missing, comparison.duplicated) == (0, 0)


@pytest.mark.parametrize("side", ["src", "dst"])
def test_a_server_dropping_new_connections_for_a_moment_is_retried(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str, side: str
) -> None:
    """A server restarting accepts and drops connections for a moment: the first connection of the
    account is tried again instead of failing the account (and tripping a schedule's breaker)."""
    load_raw(src_server, imap_user, "INBOX", [message(f"restart-{side}-{i}") for i in range(5)])
    target = src_server if side == "src" else dst_server
    with FaultProxy(target.port_plain, mode="cut_down", after_bytes=0, max_cuts=2) as proxy:
        src = endpoint(src_server, imap_user, port=proxy.port if side == "src" else None)
        dst = endpoint(dst_server, imap_user, port=proxy.port if side == "dst" else None)
        result = copy_mailbox(src, dst, FAST, MemoryState())
        assert proxy.cuts == 2
    assert (result.status, result.copied, result.errors) == ("ok", 5, 0), result
    assert compare(src_server, dst_server, imap_user).complete


def test_a_server_that_keeps_dropping_new_connections_fails_the_account(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    with FaultProxy(dst_server.port_plain, mode="cut_down", after_bytes=0) as proxy:
        dst = endpoint(dst_server, imap_user, port=proxy.port)
        result = copy_mailbox(endpoint(src_server, imap_user), dst, FAST, MemoryState())
    assert (result.status, result.error_code) == ("failed", "connection_lost"), result
    assert proxy.cuts == FAST.retries + 1 and "dropped the connection" in (result.message or "")
