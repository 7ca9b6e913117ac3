"""The engine's integration suite on every server direction: Dovecot in both separator/namespace
styles and Cyrus, as source and destination. A representative subset runs by default; the whole
matrix with `--all-directions` (scripts/soak.py passes it). Server differences: docs/servers.md.

Per direction: a first copy (flags, keywords, INTERNALDATE, special-use mapping, non-ASCII names, a
name holding the destination's separator), compare, a delta pass with flag changes from both sides,
and a source folder recreated with a new UIDVALIDITY (found again by identity, never duplicated).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from testbed.corpus import CorpusMessage, generate, load_corpus, new_messages, snapshot
from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import connect, pair
from tests.imap_fixtures import new_username
from workers.engine.copier import compare_mailbox, copy_mailbox, plan_mailbox
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap

# Fixture names: "/" style (no prefix), "INBOX." style, Cyrus, a second Cyrus.
DOVECOT_SLASH, DOVECOT_INBOX, CYRUS, CYRUS_B = "src_server", "dst_server", "cyrus_server", "cyrus_server_b"
DEFAULT = [(DOVECOT_SLASH, CYRUS), (CYRUS, DOVECOT_INBOX)]
EXTRA = [(DOVECOT_INBOX, CYRUS), (CYRUS, DOVECOT_SLASH), (CYRUS, CYRUS_B), (DOVECOT_INBOX, DOVECOT_SLASH)]
DIRECTIONS = [pytest.param(d, id=f"{d[0]}->{d[1]}") for d in DEFAULT] + [
    pytest.param(d, id=f"{d[0]}->{d[1]}", marks=pytest.mark.all_directions) for d in EXTRA
]


@dataclass(frozen=True)
class Direction:
    src: ImapServer
    dst: ImapServer
    username: str


@pytest.fixture(params=DIRECTIONS)
def direction(request: pytest.FixtureRequest) -> Iterator[Direction]:
    src_name, dst_name = request.param
    src: ImapServer = request.getfixturevalue(src_name)
    dst: ImapServer = request.getfixturevalue(dst_name)
    username = new_username("m")
    for server in (src, dst):
        server.add_user(username)
    _ensure_special_folders(dst, username)
    yield Direction(src, dst, username)
    for server in (src, dst):
        server.reset_user(username)


def _ensure_special_folders(server: ImapServer, user: str) -> None:
    """A destination in use has its Sent, Trash... folders (Dovecot's "/" test server creates none)."""
    client = connect(server, user)
    try:
        existing = {name for _, _, name in client.list_folders()}
        for name in server.special_use:
            if server.mailbox_name(name) not in existing:
                client.create_folder(server.mailbox_name(name))
    finally:
        client.logout()


def role_name(server: ImapServer, role: str) -> str:
    """The server's logical name of its folder with special-use `role`."""
    return next(name for name, use in server.special_use.items() if use == role)


def source_messages(src: ImapServer) -> list[CorpusMessage]:
    """A small mailbox: 8-bit and Latin-1 headers, a malformed message, flags and keywords, spread
    over INBOX, the Sent folder, non-ASCII names and (on a "/" server) a name holding a dot."""
    corpus = [m for m in generate("test", count=12) if "huge" not in m.features]
    folders = ["INBOX", role_name(src, "\\Sent"), "Réunions/Équipe", "Entwürfe"]
    if src.separator == "/":
        folders.append("Reports 1.5")
    return [replace(m, folder=folders[i % len(folders)]) for i, m in enumerate(corpus)]


def test_copy_delta_flags_uidvalidity_and_compare(direction: Direction) -> None:
    src_server, dst_server, user = direction.src, direction.dst, direction.username
    messages = source_messages(src_server)
    load_corpus(src_server, user, messages)
    src, dst = pair(src_server, dst_server, user)
    plan = {f.src: f for f in plan_mailbox(src, dst).folders}
    sent = plan[src_server.mailbox_name(role_name(src_server, "\\Sent"))]
    assert (sent.dst, sent.reason) == (
        dst_server.mailbox_name(role_name(dst_server, "\\Sent")),
        "special-use",
    )
    state = MemoryState()

    first = copy_mailbox(src, dst, state=state)

    assert (first.status, first.copied, first.errors) == ("ok", len(messages), 0), first.error_list
    comparison = compare_mailbox(src, dst)
    assert (comparison.missing, comparison.duplicated, comparison.flag_differences) == (0, 0, 0)
    # Cyrus rewrites raw 8-bit header bytes (munge8bit); from Cyrus, they were rewritten on loading.
    munged = dst_server.name.startswith("cyrus") and not src_server.name.startswith("cyrus")
    expected_altered = sum(1 for m in messages if _has_8bit_header(m.raw)) if munged else 0
    assert not munged or expected_altered > 0
    assert first.altered == expected_altered
    assert compare_mailbox(src, dst, deep=True).altered == expected_altered
    _assert_same_dates_and_flags(src_server, dst_server, user, {f.src: f.dst for f in plan.values()})

    # Delta: new messages, a flag set on the source, another set on the destination (kept).
    load_corpus(src_server, user, list(new_messages(2, batch=5)))
    _flag(src_server, user, "INBOX", "\\Flagged")
    _flag(dst_server, user, "INBOX", "$Label1")
    second = copy_mailbox(src, dst, state=state)
    assert (second.status, second.copied, second.errors, second.flags_updated) == ("ok", 2, 0, 1)
    dst_flags = _first_flags(dst_server, user, "INBOX")
    assert {"\\Flagged", "$Label1"} <= dst_flags

    # The source folder is recreated (new UIDVALIDITY) with the same messages: nothing duplicated.
    folder = src_server.mailbox_name("Entwürfe")
    client = connect(src_server, user)
    try:
        client.delete_folder(folder)
    finally:
        client.logout()
    load_corpus(src_server, user, [m for m in messages if m.folder == "Entwürfe"])
    third = copy_mailbox(src, dst, state=state)
    assert (third.status, third.copied, third.errors) == ("ok", 0, 0), third.error_list
    final = compare_mailbox(src, dst)
    assert (final.missing, final.duplicated) == (0, 0), final.folders


def _assert_same_dates_and_flags(
    src: ImapServer, dst: ImapServer, user: str, mapping: dict[str, str]
) -> None:
    theirs, ours = snapshot(src, user), snapshot(dst, user)
    for src_name, dst_name in mapping.items():
        expected = sorted(
            (m.internaldate.timestamp(), sorted(m.flags)) for m in theirs[src.logical_name(src_name)]
        )
        got = sorted((m.internaldate.timestamp(), sorted(m.flags)) for m in ours[dst.logical_name(dst_name)])
        assert got == expected, src_name


def _has_8bit_header(raw: bytes) -> bool:
    header = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    return any(byte > 127 for byte in header)


def _flag(server: ImapServer, user: str, folder: str, flag: str) -> None:
    client = connect(server, user)
    try:
        client.select_folder(server.mailbox_name(folder))
        client.add_flags(min(client.search(["ALL"])), [flag])
    finally:
        client.logout()


def _first_flags(server: ImapServer, user: str, folder: str) -> set[str]:
    client = connect(server, user)
    try:
        client.select_folder(server.mailbox_name(folder), readonly=True)
        first = min(client.search(["ALL"]))
        return {f.decode() for f in client.get_flags([first])[first]}
    finally:
        client.logout()
