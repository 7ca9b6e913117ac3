"""APPENDing a batch: MULTIAPPEND where offered (one round trip per batch), pipelined APPENDs otherwise.

MULTIAPPEND is all-or-nothing (RFC 3502), so when the server refuses the batch we append the same
messages again, pipelined, to find which one it refuses; the others still go through. Without
MULTIAPPEND (Exchange Online, Gmail) the APPENDs of a batch are pipelined (pipeline.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from workers.engine.imap import imap_errors, is_throttle_response, throttled
from workers.engine.outcome import AppendOutcome, parse_appenduid
from workers.engine.pipeline import append_pipelined
from workers.engine.session import FetchResult, ImapSession, OutgoingMessage, uid_set
from workers.engine.verify import VERIFY_ITEMS, fetched_by_uid

logger = logging.getLogger(__name__)

__all__ = ["AppendOutcome", "AppendedBatch", "append_batch", "parse_appenduid"]


@dataclass(frozen=True)
class AppendedBatch:
    """One outcome per message; and what the destination stored for the UIDs to `check` (size and
    header, per UID) when they were read in the same round trip, else None (verify.py)."""

    outcomes: list[AppendOutcome]
    stored: FetchResult | None = None


def append_batch(
    dst: ImapSession, folder: str, messages: Sequence[OutgoingMessage], check: Sequence[int] = ()
) -> AppendedBatch:
    """Append `messages` in order; one outcome per message (refusals do not raise).

    `check`: UIDs appended to `folder` by the previous batch. Pipelined APPENDs (no MULTIAPPEND)
    carry a UID FETCH of them ahead of the batch, so checking what the destination stored costs no
    round trip of its own (docs/performance.md).

    Raises:
        TransientImapError (and Throttled) when the session breaks or the server pushes back.
    """
    if len(messages) > 1 and dst.info.has("MULTIAPPEND"):
        accepted, text = dst.multiappend(folder, messages)
        if accepted:
            uids = parse_appenduid(text)
            if uids is None or len(uids) != len(messages):
                uids = [None] * len(messages)  # type: ignore[list-item]
            return AppendedBatch(
                [AppendOutcome(m.src_uid, uid) for m, uid in zip(messages, uids, strict=True)]
            )
        if is_throttle_response(text):
            raise throttled(f"destination is throttling appends to {folder}: {text[:200]!r}", text)
        logger.info("append.multiappend_refused folder=%s messages=%d", folder, len(messages))
    if not check or dst.selected != folder:
        return AppendedBatch(append_pipelined(dst, folder, messages))
    imap = dst.client._imap
    imap.untagged_responses.pop("FETCH", None)  # leftovers of earlier commands
    fetch = ("UID", "FETCH", uid_set(check), "({})".format(" ".join(VERIFY_ITEMS)))
    outcomes = append_pipelined(dst, folder, messages, first=fetch)
    with imap_errors(f"checking what {folder} stored"):
        stored = fetched_by_uid(imap.untagged_responses.pop("FETCH", []))
    return AppendedBatch(outcomes, stored)
