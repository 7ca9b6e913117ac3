"""Load a corpus into a test-bed mailbox, and read a whole mailbox back for comparison."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from imapclient import IMAPClient

from testbed.dovecot import ImapServer

if TYPE_CHECKING:
    from testbed.corpus import CorpusMessage

# A MULTIAPPEND batch is flushed at whichever limit comes first.
BATCH_BYTES = 4 * 1024 * 1024
BATCH_COUNT = 100
_FETCH_BATCH = 200


@dataclass(frozen=True)
class LoadStats:
    """What load_corpus did."""

    messages: int
    bytes: int
    folders_created: int
    seconds: float


@dataclass(frozen=True)
class Snapshot:
    """One message as a server holds it; equal when bytes, flags and INTERNALDATE instant match."""

    raw: bytes
    flags: frozenset[str]
    internaldate: datetime


def _login(server: ImapServer, username: str, password: str | None) -> IMAPClient:
    client = IMAPClient(server.host, server.port_plain, ssl=False, timeout=120)
    client.login(username, password if password is not None else server.password)
    return client


def _ensure_folder(client: IMAPClient, server: ImapServer, logical: str, existing: set[str]) -> int:
    """Create the folder and its missing ancestors (as real, subscribed folders); return how many."""
    created = 0
    parts = logical.split("/")
    for depth in range(1, len(parts) + 1):
        name = server.mailbox_name("/".join(parts[:depth]))
        if name not in existing:
            client.create_folder(name)
            client.subscribe_folder(name)
            existing.add(name)
            created += 1
    return created


class _Appender:
    """Per-folder pending batches, flushed with MULTIAPPEND (LITERAL+) in stream order."""

    def __init__(self, client: IMAPClient, multi: bool) -> None:
        self.client = client
        self.multi = multi
        self.pending: dict[str, list[CorpusMessage]] = {}
        self.sizes: dict[str, int] = {}

    def add(self, mailbox: str, message: CorpusMessage) -> None:
        batch = self.pending.setdefault(mailbox, [])
        batch.append(message)
        self.sizes[mailbox] = self.sizes.get(mailbox, 0) + len(message.raw)
        if len(batch) >= BATCH_COUNT or self.sizes[mailbox] >= BATCH_BYTES:
            self.flush(mailbox)

    def flush(self, mailbox: str) -> None:
        batch = self.pending.pop(mailbox, [])
        self.sizes.pop(mailbox, None)
        if not batch:
            return
        if self.multi:
            items = [{"msg": m.raw, "flags": sorted(m.flags), "date": m.internaldate} for m in batch]
            self.client.multiappend(mailbox, items)
            return
        for m in batch:
            self.client.append(mailbox, m.raw, sorted(m.flags), m.internaldate)

    def flush_all(self) -> None:
        for mailbox in list(self.pending):
            self.flush(mailbox)


def load_corpus(
    server: ImapServer, username: str, messages: Iterable[CorpusMessage], password: str | None = None
) -> LoadStats:
    """APPEND the messages (with flags and INTERNALDATE) into `username`'s mailbox on `server`.

    Folders are created as needed, mapping logical `/` names onto the server's
    separator and prefix. Per-folder order is kept, so UIDs follow the stream.
    """
    started = time.monotonic()
    client = _login(server, username, password)
    count = total = created = 0
    try:
        existing = {name for _, _, name in client.list_folders()}
        appender = _Appender(client, b"MULTIAPPEND" in client.capabilities())
        for message in messages:
            created += _ensure_folder(client, server, message.folder, existing)
            appender.add(server.mailbox_name(message.folder), message)
            count += 1
            total += len(message.raw)
        appender.flush_all()
    finally:
        client.logout()
    return LoadStats(count, total, created, time.monotonic() - started)


def _decode_flags(flags: Iterable[bytes | str]) -> frozenset[str]:
    names = {f.decode() if isinstance(f, bytes) else f for f in flags}
    return frozenset(n for n in names if n.lower() != "\\recent")


def _read_folder(client: IMAPClient, mailbox: str) -> list[Snapshot]:
    client.select_folder(mailbox, readonly=True)
    uids = sorted(client.search(["ALL"]))
    out: list[Snapshot] = []
    for i in range(0, len(uids), _FETCH_BATCH):
        chunk = uids[i : i + _FETCH_BATCH]
        data = client.fetch(chunk, ["BODY.PEEK[]", "FLAGS", "INTERNALDATE"])
        for uid in chunk:
            item = data[uid]
            out.append(Snapshot(item[b"BODY[]"], _decode_flags(item[b"FLAGS"]), item[b"INTERNALDATE"]))
    return out


def snapshot(server: ImapServer, username: str, password: str | None = None) -> dict[str, list[Snapshot]]:
    """Every selectable folder of the mailbox (logical `/` names, no prefix) -> messages in UID order."""
    client = _login(server, username, password)
    client.normalise_times = False  # keep INTERNALDATE timezone-aware
    try:
        result: dict[str, list[Snapshot]] = {}
        for flags, _, name in client.list_folders():
            if {f.lower() for f in flags} & {b"\\noselect", b"\\nonexistent"}:
                continue
            result[server.logical_name(name)] = _read_folder(client, name)
        return result
    finally:
        client.logout()


def expected_snapshot(messages: Iterable[CorpusMessage]) -> dict[str, list[Snapshot]]:
    """What snapshot() returns after load_corpus(messages) into an empty mailbox.

    Includes the folders' ancestors (empty when they hold no message) and INBOX,
    but not the server's auto-created special folders.
    """
    result: dict[str, list[Snapshot]] = {"INBOX": []}
    for m in messages:
        parts = m.folder.split("/")
        for depth in range(1, len(parts)):
            result.setdefault("/".join(parts[:depth]), [])
        result.setdefault(m.folder, []).append(Snapshot(m.raw, m.flags, m.internaldate))
    return result
