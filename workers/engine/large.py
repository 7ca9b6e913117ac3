"""Messages too big to hold comfortably in memory: spooled to a temporary file, streamed back out.

imaplib and imapclient copy a message several times while reading and sending it (the literal,
the parsed response, the APPEND argument, the command line it is glued to): a 50 MB message
costs some 200 MB of RSS. Here the source is read with partial FETCHes (`BODY.PEEK[]<offset.n>`)
into an unlinked temporary file, and the APPEND literal is written from that file to the socket in
chunks, so memory stays at a few chunks whatever the message size. The bytes, flags and INTERNALDATE
travel unchanged, as on the in-memory path.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from workers.engine.errors import MessageRefused, ResponseTooLarge, Throttled, too_big
from workers.engine.fetcher import MessageMeta
from workers.engine.flags import normalise_flags
from workers.engine.guard import Expectation, literal_allowance
from workers.engine.imap import imap_errors, is_throttle_response, reply_bytes, throttled
from workers.engine.outcome import AppendOutcome, parse_appenduid
from workers.engine.pipeline import command_line, non_synchronising, wait_for_continuation
from workers.engine.session import ImapSession

logger = logging.getLogger(__name__)

MB = 1024 * 1024
# One partial FETCH; imaplib and imapclient hold about three copies of it at a time.
FETCH_CHUNK = 4 * MB
SEND_CHUNK = 1 * MB


@dataclass
class SpooledMessage:
    """A message on disk, ready to APPEND. `close()` deletes it (the file is already unlinked)."""

    src_uid: int
    file: IO[bytes] = field(repr=False)
    size: int
    flags: frozenset[str]
    internaldate: datetime | None

    def close(self) -> None:
        self.file.close()


def _partial(item: dict[bytes, Any]) -> bytes | None:
    # The response key carries the origin ("BODY[]<8388608>"); there is exactly one body item.
    for key, value in item.items():
        if key.startswith(b"BODY[]"):
            return value if isinstance(value, bytes) else None
    return None


def spool(src: ImapSession, meta: MessageMeta, chunk: int = FETCH_CHUNK) -> SpooledMessage | None:
    """Read message `meta.uid` of the selected folder into a temporary file; None when it is gone.

    The message is read until a chunk comes back short, not up to RFC822.SIZE: the size a server
    reports and the bytes it sends may differ (line-ending conversion), and the bytes are what we copy.
    But not past `literal_allowance(RFC822.SIZE)`: a server that never sends a short chunk would fill
    the disk.

    Raises:
        TransientImapError when the session breaks; FolderUnavailable when the server refuses;
        ResponseTooLarge when the message outgrows its announced size.
    """
    allowance = literal_allowance(meta.size)
    expect = Expectation(sizes={meta.uid: meta.size}, chunk=chunk)
    out = tempfile.TemporaryFile(prefix="imapcopier-")  # noqa: SIM115 - handed over to the caller
    try:
        flags: frozenset[str] = meta.flags
        internaldate = meta.internaldate
        offset = 0
        while True:
            items = [f"BODY.PEEK[]<{offset}.{chunk}>"]
            if offset == 0:
                items += ["FLAGS", "INTERNALDATE"]  # current values, as the in-memory path reads them
            if offset > allowance:
                raise ResponseTooLarge(
                    f"the source server sent more than {offset:,} bytes for UID {meta.uid}, whose "
                    f"RFC822.SIZE is {meta.size:,}; reading stopped at the limit of {allowance:,} bytes",
                    uid=meta.uid,
                )
            item = src.fetch([meta.uid], items, expect).get(meta.uid)
            data = _partial(item) if item is not None else None
            if item is None or data is None:
                if offset == 0:
                    out.close()
                    return None  # expunged since the metadata was read
                data = b""
            if offset == 0 and item is not None:
                flags = normalise_flags(item.get(b"FLAGS") or ())
                fetched_date = item.get(b"INTERNALDATE")
                internaldate = fetched_date if isinstance(fetched_date, datetime) else internaldate
            out.write(data)
            offset += len(data)
            if len(data) < chunk:
                break
    except BaseException:
        out.close()
        raise
    logger.debug("copy.spooled uid=%d bytes=%d", meta.uid, offset)
    return SpooledMessage(meta.uid, out, offset, flags, internaldate)


def append_spooled(dst: ImapSession, folder: str, message: SpooledMessage) -> AppendOutcome:
    """APPEND one spooled message; a refusal is an outcome, not an exception.

    Raises:
        TransientImapError when the session breaks; Throttled when the server pushes back.
    """
    limit = dst.info.append_limit
    if limit is not None and message.size > limit:
        # RFC822.SIZE passed the check before the fetch, but the bytes read are what would be sent.
        return AppendOutcome(message.src_uid, error=too_big(message.size, limit))
    try:
        with imap_errors(f"appending to {folder}", permanent=MessageRefused):
            typ, data = _stream_append(dst, folder, message)
    except Throttled:
        raise
    except MessageRefused as exc:
        return AppendOutcome(message.src_uid, error=exc)
    text = reply_bytes(data)
    if typ != "OK":
        reason = text.decode("utf-8", "replace")[:300]
        if is_throttle_response(text):
            raise throttled(f"server is throttling us while appending to {folder}: {reason}", text)
        return AppendOutcome(message.src_uid, error=MessageRefused(f"appending to {folder} failed: {reason}"))
    uids = parse_appenduid(text)
    return AppendOutcome(message.src_uid, uids[0] if uids else None)


def _stream_append(dst: ImapSession, folder: str, message: SpooledMessage) -> tuple[str, list[Any]]:
    """The APPEND command by hand on imaplib's connection (as imapclient's own MULTIAPPEND does):
    a non-synchronising literal is sent at once; otherwise the server may refuse before the "+"."""
    imap = dst.client._imap
    plus = non_synchronising(dst, message.size)
    tag = imap._new_tag()
    imap.send(command_line(dst, tag, folder, message.flags, message.internaldate, message.size, plus))
    if not plus and not wait_for_continuation(imap, tag):
        return imap._command_complete("APPEND", tag)  # type: ignore[no-any-return]
    message.file.seek(0)
    while chunk := message.file.read(SEND_CHUNK):
        imap.send(chunk)
    imap.send(b"\r\n")
    return imap._command_complete("APPEND", tag)  # type: ignore[no-any-return]
