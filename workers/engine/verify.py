"""Did the destination store what we sent? Checked after each APPEND batch, and by a deep compare.

Some servers change a message on arrival: Cyrus (its default `munge8bit`) rewrites raw 8-bit header
bytes to `X`, Microsoft 365 rewrites MIME. The message is there, so this is a warning, not an
error, but the admin must be told. After each batch, one UID FETCH of RFC822.SIZE and the header
for the UIDs APPENDUID returned compares them with what was sent (size and a digest of the header).
`compare --deep` hashes whole messages on both sides instead. See docs/servers.md.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from imapclient.response_parser import parse_fetch_response

from workers.engine.session import FetchResult, ImapSession

logger = logging.getLogger(__name__)

VERIFY_ITEMS = ("RFC822.SIZE", "BODY.PEEK[HEADER]")
# A deep compare reads bodies in chunks of this many messages (bounded memory).
DEEP_CHUNK = 50


def header_digest(raw: bytes) -> bytes:
    """Digest of the header section (up to the first empty line), ignoring trailing line ends:
    servers answer BODY[HEADER] of a message without a body with or without a final CRLF."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        end = raw.find(separator)
        if end >= 0:
            raw = raw[:end]
            break
    return hashlib.sha256(raw.rstrip(b"\r\n")).digest()


@dataclass(frozen=True)
class Sent:
    """What was appended as destination UID `dst_uid`; `header` is None when not kept (spooled)."""

    dst_uid: int
    size: int
    header: bytes | None

    @classmethod
    def of(cls, dst_uid: int, raw: bytes) -> Sent:
        return cls(dst_uid, len(raw), header_digest(raw))


def fetched_by_uid(lines: list[Any]) -> FetchResult:
    """Parsed untagged FETCH lines, keyed by UID; lines without one (a server's unsolicited flag
    updates, keyed by sequence number) are left out so they cannot pass for a UID's answer."""
    parsed = parse_fetch_response(lines, normalise_times=True, uid_is_key=False)
    return {int(item[b"UID"]): item for item in parsed.values() if isinstance(item.get(b"UID"), int)}


def altered_uids(
    dst: ImapSession, folder: str, sent: Sequence[Sent], stored: FetchResult | None = None
) -> list[int]:
    """Destination UIDs of `sent` stored differently from what was sent; one FETCH for the batch,
    or none when `stored` (read behind the APPENDs) already answers for every one of them.

    A UID the server no longer has (expunged meanwhile by someone else) is not counted.
    """
    if not sent:
        return []
    fetched = dict(stored or {})
    unread = [s.dst_uid for s in sent if s.dst_uid not in fetched]
    if unread:
        dst.select(folder, readonly=False)  # read-write: the session's later STOREs reuse the selection
        fetched.update(dst.fetch(unread, VERIFY_ITEMS))
    altered: list[int] = []
    for item in sent:
        found = fetched.get(item.dst_uid)
        if found is None:
            continue
        size = found.get(b"RFC822.SIZE")
        header = found.get(b"BODY[HEADER]")
        if size != item.size or (
            item.header is not None and isinstance(header, bytes) and header_digest(header) != item.header
        ):
            altered.append(item.dst_uid)
    if altered:
        logger.warning(
            "copy.altered_by_destination folder=%s count=%d uids=%s", folder, len(altered), altered[:20]
        )
    return altered


def body_digests(session: ImapSession, uids: Sequence[int]) -> dict[int, bytes]:
    """UID -> SHA-256 of the whole message, on the selected folder, DEEP_CHUNK messages at a time."""
    digests: dict[int, bytes] = {}
    for start in range(0, len(uids), DEEP_CHUNK):
        fetched = session.fetch(list(uids[start : start + DEEP_CHUNK]), ["BODY.PEEK[]"])
        for uid, item in fetched.items():
            body = item.get(b"BODY[]")
            if isinstance(body, bytes):
                digests[uid] = hashlib.sha256(body).digest()
    return digests
