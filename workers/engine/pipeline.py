"""APPENDs pipelined: a batch of commands sent back to back, their tagged replies read after.

Without MULTIAPPEND (Exchange Online, Gmail) one APPEND at a time costs a round trip per message.
Here every message of a batch is sent without waiting for the previous reply:
- under LITERAL+ each literal is non-synchronising (`{n+}`): the batch costs one round trip;
- under LITERAL- (RFC 7888) only literals up to 4,096 bytes may be; a larger message announces a
  synchronising literal and waits for the server's "+" (replies to earlier commands are collected
  meanwhile), so only the continuation is waited for, never the previous message's reply;
- with neither, every literal waits for its "+", and the tagged replies still overlap.

A reply is per command: a refused message (NO/BAD) is an outcome with its reason and the others go
on. A throttling reply raises `Throttled` once every reply is in; a connection lost mid-pipeline
raises `TransientImapError`. In both cases nothing of the batch is checkpointed, and the next try
finds whatever the server did store by identity above the checkpointed destination UIDNEXT (see
folder_copy.py), so nothing is appended twice. See docs/performance.md.

The commands are written on imaplib's connection by hand, as imapclient's own MULTIAPPEND does:
imaplib would rewrite bare CR/LF in the literal and wait for each reply.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from imapclient.datetime_util import datetime_to_INTERNALDATE
from imapclient.imapclient import seq_to_parenstr

from workers.engine.errors import MessageRefused
from workers.engine.imap import imap_errors, is_throttle_response, reply_bytes
from workers.engine.imap import throttled as throttle_error
from workers.engine.outcome import AppendOutcome, parse_appenduid
from workers.engine.session import ImapSession, OutgoingMessage

logger = logging.getLogger(__name__)

LITERAL_MINUS_MAX = 4096


def non_synchronising(dst: ImapSession, size: int) -> bool:
    """May a literal of `size` bytes be sent without waiting for the server's "+"?"""
    return dst.info.has("LITERAL+") or (dst.info.has("LITERAL-") and size <= LITERAL_MINUS_MAX)


def command_line(
    dst: ImapSession,
    tag: bytes,
    folder: str,
    flags: frozenset[str],
    internaldate: datetime | None,
    size: int,
    plus: bool,
) -> bytes:
    """`<tag> APPEND <folder> (<flags>) ["<date>"] {<size>[+]}` and its CRLF."""
    mailbox = _ascii(dst.client._normalise_folder(folder))
    parts = [tag, b"APPEND", mailbox, _ascii(seq_to_parenstr(sorted(flags)))]
    if internaldate is not None:
        parts.append(b'"' + datetime_to_INTERNALDATE(internaldate).encode("ascii") + b'"')
    parts.append((b"{%d+}" if plus else b"{%d}") % size)
    return b" ".join(parts) + b"\r\n"


def _ascii(value: str | bytes) -> bytes:
    # Folder names arrive modified-UTF-7 encoded and flags are atoms; "replace" only guards against
    # a hostile server's non-ASCII keyword turning into an exception outside the error mapping.
    return value if isinstance(value, bytes) else value.encode("ascii", "replace")


def wait_for_continuation(imap: Any, tag: bytes) -> bool:
    """Read replies until the server's "+" (True) or its tagged reply to `tag` (False: refused early)."""
    while imap._get_response() is not None:  # None: the "+" continuation
        if imap.tagged_commands.get(tag):
            return False
    return True


def append_pipelined(
    dst: ImapSession,
    folder: str,
    messages: Sequence[OutgoingMessage],
    first: tuple[str | bytes, ...] | None = None,
) -> list[AppendOutcome]:
    """APPEND `messages` in order on one connection without waiting for replies; one outcome each.

    `first` is a command sent ahead of the APPENDs in the same round trip (the check of what the
    previous batch stored: verify.py); its untagged replies are left in `untagged_responses`. It
    must not depend on the APPENDs (RFC 3501, 5.5): a FETCH of UIDs already appended does not.

    Raises:
        Throttled when a reply says the server is throttling (after all replies are read);
        TransientImapError when the connection breaks.
    """
    imap = dst.client._imap
    tags: list[bytes] = []
    with imap_errors(f"appending to {folder}", permanent=MessageRefused):
        leading = imap._command(*first) if first is not None else None
        for message in messages:
            tag = imap._new_tag()
            tags.append(tag)
            size = len(message.body)
            plus = non_synchronising(dst, size)
            imap.send(command_line(dst, tag, folder, message.flags, message.internaldate, size, plus))
            if not plus and not wait_for_continuation(imap, tag):
                continue
            imap.send(message.body + b"\r\n")
        if leading is not None:
            imap._get_tagged_response(leading)  # the caller reads what it needs from the untagged replies
        replies = [imap._get_tagged_response(tag) for tag in tags]
    outcomes: list[AppendOutcome] = []
    throttled: bytes | None = None
    for message, (typ, data) in zip(messages, replies, strict=True):
        text = reply_bytes(data)
        if typ == "OK":
            uids = parse_appenduid(text)
            outcomes.append(AppendOutcome(message.src_uid, uids[0] if uids else None))
            continue
        if is_throttle_response(text):
            throttled = throttled or text
        reason = text.decode("utf-8", "replace")[:300]
        outcomes.append(
            AppendOutcome(message.src_uid, error=MessageRefused(f"appending to {folder} failed: {reason}"))
        )
    if throttled is not None:
        confirmed = sum(1 for outcome in outcomes if outcome.ok)
        logger.info("append.throttled folder=%s confirmed=%d of=%d", folder, confirmed, len(outcomes))
        reason = f"server is throttling us while appending to {folder}: {throttled[:200]!r}"
        raise throttle_error(reason, throttled)
    return outcomes
