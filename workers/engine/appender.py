"""APPENDing a batch: MULTIAPPEND where offered (one round trip per batch), pipelined APPENDs otherwise.

MULTIAPPEND is all-or-nothing (RFC 3502), so when the server refuses the batch we append the same
messages again, pipelined, to find which one it refuses; the others still go through. Without
MULTIAPPEND (Exchange Online, Gmail) the APPENDs of a batch are pipelined (pipeline.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from workers.engine.imap import is_throttle_response, throttled
from workers.engine.outcome import AppendOutcome, parse_appenduid
from workers.engine.pipeline import append_pipelined
from workers.engine.session import ImapSession, OutgoingMessage

logger = logging.getLogger(__name__)

__all__ = ["AppendOutcome", "append_batch", "parse_appenduid"]


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
            raise throttled(f"destination is throttling appends to {folder}: {text[:200]!r}", text)
        logger.info("append.multiappend_refused folder=%s messages=%d", folder, len(messages))
    return append_pipelined(dst, folder, messages)
