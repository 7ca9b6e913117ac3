"""Pipelined APPENDs to a destination imitating Exchange Online (LITERAL+) or Gmail (LITERAL-), through
the fault proxy that enforces the imitated capability set: a refused message, a connection cut and a
throttling reply in the middle of a batch, each followed by a compare (nothing missing, nothing twice).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest

from testbed.dovecot import SMALL_MAX_MAIL_SIZE, SMALL_USER_PREFIX, DovecotPair, ImapServer
from testbed.dovecot_config import PROVIDER_ADDRESSES
from testbed.faultproxy import FaultProxy, Mode
from testbed.imap_rules import OFFERS
from tests.imap_fixtures import new_username
from tests.proof.conftest import FAST, compare, endpoint, load_raw, message
from workers.engine.copier import copy_mailbox
from workers.engine.results import AccountResult
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap

# Sizes around Gmail's 4,096-byte LITERAL- bound, so both literal kinds travel in one batch.
SIZES = (300, 3_000, 4_000, 6_000, 20_000)
THROTTLE = rb"\1 NO [THROTTLED] Request is throttled. Suggested Backoff Time: 20 milliseconds"


@pytest.fixture(scope="module")
def wan_pair() -> DovecotPair:
    pair = DovecotPair("wan")
    pair.start()
    return pair


@pytest.fixture()
def wan_user(wan_pair: DovecotPair) -> Iterator[str]:
    username = new_username(SMALL_USER_PREFIX)  # destination refuses messages over 1 MB
    yield username
    for server in wan_pair.servers():
        server.reset_user(username)


def _load(src: ImapServer, username: str, count: int, big_at: int | None = None) -> list[int]:
    tag = uuid.uuid4().hex[:6]
    messages = [message(f"{tag}-{n}", SIZES[n % len(SIZES)]) for n in range(count)]
    if big_at is not None:
        messages[big_at] = message(f"{tag}-big", SMALL_MAX_MAIL_SIZE + 200_000)
    return load_raw(src, username, "INBOX", messages)


def _copy(pair: DovecotPair, username: str, proxy: FaultProxy, state: MemoryState) -> AccountResult:
    src, dst = pair.servers()
    options = replace(FAST, large_message_bytes=8 * SMALL_MAX_MAIL_SIZE)  # the big one stays in the batch
    through = endpoint(dst, username, port=proxy.port)
    return copy_mailbox(endpoint(src, username), through, options, state=state)


def _proxy(pair: DovecotPair, provider: str, **kw: object) -> FaultProxy:
    return FaultProxy(
        pair.server("dst").port_plain,
        offer=OFFERS[provider],
        source_address=PROVIDER_ADDRESSES[provider],
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("provider", ["exchange", "gmail"])
def test_refused_message_mid_batch_is_an_error_and_the_rest_go_on(
    wan_pair: DovecotPair, wan_user: str, provider: str
) -> None:
    src, dst = wan_pair.servers()
    uids = _load(src, wan_user, 12, big_at=5)
    with _proxy(wan_pair, provider, delay=0.002) as proxy:
        result = _copy(wan_pair, wan_user, proxy, MemoryState())
    assert proxy.violations == []
    assert (result.status, result.copied, result.errors) == ("partial", 11, 1), result
    error = result.error_list[0]
    assert (error.folder, error.uid) == ("INBOX", uids[5]) and "maximum size" in error.reason, error
    inbox = {f.src: f for f in compare(src, dst, wan_user).folders}["INBOX"]
    assert (inbox.missing_uids, inbox.duplicated) == ((uids[5],), 0)


@pytest.mark.parametrize(
    ("mode", "after_bytes"), [("cut_up", 30_000), ("cut_on", 0)], ids=["cut-while-sending", "replies-lost"]
)
@pytest.mark.parametrize("provider", ["exchange", "gmail"])
def test_connection_cut_mid_pipeline_loses_and_duplicates_nothing(
    wan_pair: DovecotPair, wan_user: str, provider: str, mode: Mode, after_bytes: int
) -> None:
    src, dst = wan_pair.servers()
    _load(src, wan_user, 20)
    state = MemoryState()
    cut = {"mode": mode, "after_bytes": after_bytes, "pattern": b"APPENDUID", "max_cuts": 1}
    with _proxy(wan_pair, provider, **cut) as proxy:
        result = _copy(wan_pair, wan_user, proxy, state)
    assert proxy.cuts == 1 and proxy.violations == []
    assert (result.status, result.errors) == ("ok", 0), result
    comparison = compare(src, dst, wan_user)
    assert [(f.missing, f.duplicated) for f in comparison.folders if f.src == "INBOX"] == [(0, 0)]
    assert sum(f.dst_messages for f in comparison.folders) == 20


@pytest.mark.parametrize("provider", ["exchange", "gmail"])
def test_throttling_reply_mid_pipeline_retries_without_duplicates(
    wan_pair: DovecotPair, wan_user: str, provider: str
) -> None:
    """The sixth reply of the batch says "throttled" although the server stored the message."""
    src, dst = wan_pair.servers()
    _load(src, wan_user, 15)
    rewrite = (rb"(\S+) OK \[APPENDUID[^\r\n]*", THROTTLE)
    with _proxy(wan_pair, provider, rewrite=rewrite, rewrite_skip=5) as proxy:
        result = _copy(wan_pair, wan_user, proxy, MemoryState())
    assert proxy.rewrites == 1 and proxy.violations == []
    assert (result.status, result.errors) == ("ok", 0), result
    comparison = compare(src, dst, wan_user)
    assert [(f.missing, f.duplicated) for f in comparison.folders if f.src == "INBOX"] == [(0, 0)]
    assert sum(f.dst_messages for f in comparison.folders) == 15


def test_source_without_list_status_gets_every_status_in_one_pipeline(
    wan_pair: DovecotPair, wan_user: str
) -> None:
    """An Exchange-like source (no LIST-STATUS): the STATUS of every folder is read pipelined, the
    copy and a second pass see every folder, and a folder the server refuses is left out. (Without
    CONDSTORE the second pass still compares flags folder by folder.)"""
    from workers.engine.listing import pipelined_status
    from workers.engine.session import ImapSession

    src, dst = wan_pair.servers()
    tag = uuid.uuid4().hex[:6]
    for n, folder in enumerate(("INBOX", "Projects", "Projects/Ärger", "Sent Items")):
        load_raw(src, wan_user, folder, [message(f"{tag}-{n}-{k}") for k in range(n + 1)])
    with FaultProxy(src.port_plain, source_address=PROVIDER_ADDRESSES["exchange"]) as proxy:
        session = ImapSession(endpoint(src, wan_user, port=proxy.port))
        try:
            assert not session.info.has("LIST-STATUS")
            folders = ["INBOX", "Projects", "Projects/Ärger", "Sent Items", "Gone"]
            statuses = pipelined_status(session, folders)
            direct = {folder: session.status(folder) for folder in folders[:-1]}
        finally:
            session.close()
        assert statuses == direct and [s.messages for s in statuses.values()] == [1, 2, 3, 4]
        state = MemoryState()
        source = endpoint(src, wan_user, port=proxy.port)
        first = copy_mailbox(source, endpoint(dst, wan_user), FAST, state=state)
        again = copy_mailbox(source, endpoint(dst, wan_user), FAST, state=state)
    assert (first.status, first.copied, again.status, again.copied) == ("ok", 10, "ok", 0)
    assert {f.folder for f in again.folders} >= {"INBOX", "Projects", "Projects/Ärger", "Sent Items"}


def test_compressed_copy_to_a_gmail_like_destination(wan_pair: DovecotPair, wan_user: str) -> None:
    """COMPRESS=DEFLATE on both sides (the destination imitating Gmail offers it): the copy is whole."""
    from workers.engine.compress import start_compression
    from workers.engine.session import ImapSession

    src, dst = wan_pair.servers()
    _load(src, wan_user, 12)
    with _proxy(wan_pair, "gmail") as proxy:
        session = ImapSession(endpoint(dst, wan_user, port=proxy.port))
        try:
            assert start_compression(session) and session.status("INBOX").messages == 0
        finally:
            session.close()
        options = replace(FAST, compress=True)
        through = endpoint(dst, wan_user, port=proxy.port)
        result = copy_mailbox(endpoint(src, wan_user), through, options, state=MemoryState())
    assert proxy.violations == [] and (result.status, result.copied) == ("ok", 12), result
    comparison = compare(src, dst, wan_user)
    assert (comparison.missing, comparison.duplicated, comparison.flag_differences) == (0, 0, 0)
