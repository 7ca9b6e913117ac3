"""APPENDing a batch: MULTIAPPEND where offered (one round trip per batch), single APPENDs otherwise.

MULTIAPPEND is all-or-nothing (RFC 3502), so when the server refuses the batch we append the same
messages one by one to find which one it refuses; the others still go through.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from workers.engine.errors import MessageRefused, Throttled
from workers.engine.imap import is_throttle_response
from workers.engine.session import ImapSession, OutgoingMessage

logger = logging.getLogger(__name__)

_APPENDUID = re.compile(rb"\[APPENDUID (\d+) ([0-9:,]+)\]", re.IGNORECASE)


@dataclass(frozen=True)
class AppendOutcome:
    src_uid: int
    dst_uid: int | None = None
    error: MessageRefused | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_appenduid(text: bytes) -> list[int] | None:
    """Destination UIDs from `[APPENDUID <validity> <uid-set>]`, in append order; None if absent."""
    match = _APPENDUID.search(text)
    if not match:
        return None
    uids: list[int] = []
    for part in match.group(2).decode("ascii").split(","):
        first, _, last = part.partition(":")
        low, high = sorted((int(first), int(last or first)))
        uids.extend(range(low, high + 1))
    return uids


def append_batch(dst: ImapSession, folder: str, messages: Sequence[OutgoingMessage]) -> list[AppendOutcome]:
    """Append `messages` in order; one outcome per message (refusals do not raise).

    Raises:
        TransientImapError (and Throttled) when the session breaks or the server pushes back.
    """
    if len(messages) > 1 and dst.info.has("MULTIAPPEND"):
        accepted, text = dst.multiappend(folder, messages)
        if accepted:
            uids = parse_appenduid(text)
            if uids is None or len(uids) != len(messages):
                uids = [None] * len(messages)  # type: ignore[list-item]
            return [AppendOutcome(m.src_uid, uid) for m, uid in zip(messages, uids, strict=True)]
        if is_throttle_response(text):
            raise Throttled(f"destination is throttling appends to {folder}: {text[:200]!r}")
        logger.info("append.multiappend_refused folder=%s messages=%d", folder, len(messages))
    return [_append_one(dst, folder, message) for message in messages]


def _append_one(dst: ImapSession, folder: str, message: OutgoingMessage) -> AppendOutcome:
    try:
        text = dst.append(folder, message)
    except Throttled:
        raise
    except MessageRefused as exc:
        return AppendOutcome(message.src_uid, error=exc)
    uids = parse_appenduid(text)
    return AppendOutcome(message.src_uid, uids[0] if uids else None)
