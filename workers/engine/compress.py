"""COMPRESS=DEFLATE (RFC 4978) on an imaplib connection: everything after the server's OK is deflated.

imaplib reads through `imap.file` (a buffered reader over the socket) and writes with `imap.send`:
both are swapped for deflating ones, so every reader above them (imapclient, the engine's own
pipelining and partial fetches) works unchanged. A hostile server cannot make one read inflate into
more than `_INFLATE_LIMIT` bytes (a "zip bomb" arrives a bounded piece at a time).

Off by default (`CopyOptions.compress`): it costs CPU on both sides and gains only where the link,
not the round trip, is the limit; see docs/performance.md for the measurement.
"""

from __future__ import annotations

import imaplib
import io
import logging
import socket
import zlib
from typing import Any

from workers.engine.errors import FolderUnavailable
from workers.engine.imap import imap_errors
from workers.engine.session import ImapSession

logger = logging.getLogger(__name__)

_RECV = 64 * 1024
_INFLATE_LIMIT = 1024 * 1024
# imaplib refuses commands it does not know (imapclient registers its own the same way).
imaplib.Commands.setdefault("COMPRESS", ("AUTH", "SELECTED"))


class _InflatingReader(io.RawIOBase):
    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            if self._inflate.unconsumed_tail:
                self._pending = self._inflate.decompress(self._inflate.unconsumed_tail, _INFLATE_LIMIT)
                continue
            data = self._sock.recv(_RECV)
            if not data:
                return 0
            self._pending = self._inflate.decompress(data, _INFLATE_LIMIT)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class _DeflatingSender:
    def __init__(self, sock: socket.socket, level: int) -> None:
        self._sock = sock
        self._deflate = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)

    def __call__(self, data: bytes) -> None:
        self._sock.sendall(self._deflate.compress(data) + self._deflate.flush(zlib.Z_SYNC_FLUSH))


def start_compression(session: ImapSession, level: int = 6) -> bool:
    """Turn on COMPRESS=DEFLATE when the server offers it; True when it is on.

    Raises:
        TransientImapError when the session breaks.
    """
    if not session.info.has("COMPRESS=DEFLATE"):
        return False
    imap = session.client._imap
    try:
        with imap_errors("starting compression"):
            typ, data = imap._simple_command("COMPRESS", "DEFLATE")
    except FolderUnavailable as exc:  # BAD: carry on uncompressed
        logger.info("imap.compress_refused reason=%s", exc.message)
        return False
    if typ != "OK":
        logger.info("imap.compress_refused reply=%r", data[:1])
        return False
    plain, imap.file = imap.file, io.BufferedReader(_InflatingReader(imap.sock), buffer_size=_RECV)
    plain.close()  # the socket stays open: it is still imap.sock
    imap.send = _DeflatingSender(imap.sock, level)
    return True
