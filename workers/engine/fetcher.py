"""Reading from the source: message metadata in chunks, batches bounded by bytes, then bodies."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from workers.engine.flags import normalise_flags
from workers.engine.guard import Expectation
from workers.engine.identity import IDENTITY_FETCH, header_block, identity_from_headers
from workers.engine.session import ImapSession, OutgoingMessage

META_ITEMS = ("FLAGS", "INTERNALDATE", "RFC822.SIZE")
BODY_ITEMS = ("BODY.PEEK[]", "FLAGS", "INTERNALDATE")
# Metadata is read this many UIDs at a time, so even a 500,000-message folder stays small in memory.
META_CHUNK = 1000


@dataclass(frozen=True)
class MessageMeta:
    uid: int
    size: int
    flags: frozenset[str]
    internaldate: datetime | None
    identity: str | None = None


def _meta(uid: int, item: dict[bytes, object], with_identity: bool) -> MessageMeta:
    size = int(item.get(b"RFC822.SIZE") or 0)  # type: ignore[call-overload]
    flags = normalise_flags(item.get(b"FLAGS") or ())  # type: ignore[arg-type]
    internaldate = item.get(b"INTERNALDATE")
    identity = identity_from_headers(header_block(item), size) if with_identity else None
    return MessageMeta(
        uid, size, flags, internaldate if isinstance(internaldate, datetime) else None, identity
    )


def iter_meta(session: ImapSession, uids: Sequence[int], with_identity: bool) -> Iterator[MessageMeta]:
    """Metadata of `uids` (ascending) on the selected folder; UIDs expunged meanwhile are left out."""
    items = [*META_ITEMS, IDENTITY_FETCH] if with_identity else list(META_ITEMS)
    for start in range(0, len(uids), META_CHUNK):
        chunk = uids[start : start + META_CHUNK]
        fetched = session.fetch(chunk, items)
        for uid in chunk:
            if uid in fetched:
                yield _meta(uid, fetched[uid], with_identity)


def identities(session: ImapSession, uids: Sequence[int]) -> Iterator[tuple[int, str, frozenset[str]]]:
    """(uid, identity, flags) for `uids` on the selected folder, read in bulk."""
    for meta in iter_meta(session, uids, with_identity=True):
        yield meta.uid, meta.identity or "", meta.flags


def batches(messages: Iterable[MessageMeta], max_bytes: int, max_count: int) -> Iterator[list[MessageMeta]]:
    """Consecutive groups of at most `max_count` messages and `max_bytes` (a bigger message goes alone)."""
    batch: list[MessageMeta] = []
    size = 0
    for meta in messages:
        if batch and (len(batch) >= max_count or size + meta.size > max_bytes):
            yield batch
            batch, size = [], 0
        batch.append(meta)
        size += meta.size
    if batch:
        yield batch


def fetch_bodies(session: ImapSession, metas: Sequence[MessageMeta]) -> list[OutgoingMessage]:
    """Exact bytes, current flags and INTERNALDATE; messages expunged since the metadata are dropped."""
    expect = Expectation(sizes={m.uid: m.size for m in metas})
    fetched = session.fetch([m.uid for m in metas], BODY_ITEMS, expect)
    out: list[OutgoingMessage] = []
    for meta in metas:
        item = fetched.get(meta.uid)
        body = item.get(b"BODY[]") if item else None
        if item is None or not isinstance(body, bytes):
            continue
        internaldate = item.get(b"INTERNALDATE")
        out.append(
            OutgoingMessage(
                meta.uid,
                body,
                normalise_flags(item.get(b"FLAGS") or ()),
                internaldate if isinstance(internaldate, datetime) else meta.internaldate,
            )
        )
    return out
