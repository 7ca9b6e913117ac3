"""IMAPClient whose imaplib connection reads through a `ResponseGuard` (see guard.py).

imapclient builds its imaplib connection in `_create_IMAP4`, and imaplib reads the greeting in the
constructor, so the guard has to be in place in the connection class itself, not wrapped around it
afterwards. The subclasses change only `read`, `readline`, `send` and `_new_tag`.
"""

from __future__ import annotations

import imaplib
import io
import ssl
from typing import Any, cast

from imapclient import IMAPClient
from imapclient.imap4 import IMAP4WithTimeout
from imapclient.tls import IMAP4_TLS

from workers.engine.guard import ResponseGuard

# imaplib keeps every untagged response in `untagged_responses` until someone asks for its type.
# Types nobody asks for (a server repeating "* 1 EXISTS" in every reply, or inventing new ones) would
# pile up over a session, each command's share within the guard's limits. What a command needs
# arrives after its tag, so leftovers beyond these are dropped when the next command starts.
KEEP_UNTAGGED = 1000
KEEP_UNTAGGED_TYPES = 64


class _Guarded(imaplib.IMAP4):
    guard: ResponseGuard

    def _new_tag(self) -> bytes:
        tag: bytes = super()._new_tag()  # type: ignore[misc]
        self.guard.start()
        left = self.untagged_responses
        if len(left) > KEEP_UNTAGGED_TYPES or sum(len(items) for items in left.values()) > KEEP_UNTAGGED:
            left.clear()
        return tag

    def send(self, data: Any) -> None:
        self.guard.sent(data, getattr(self, "sock", None))
        super().send(data)

    def readline(self) -> bytes:
        return self.guard.readline(cast(io.BufferedReader, self.file), self.sock)

    def read(self, size: int) -> bytes:
        return self.guard.read(cast(io.BufferedReader, self.file), self.sock, size)


class _GuardedPlain(_Guarded, IMAP4WithTimeout):  # type: ignore[misc]
    def __init__(self, guard: ResponseGuard, host: str, port: int, timeout: float | None) -> None:
        self.guard = guard
        IMAP4WithTimeout.__init__(self, host, port, timeout)


class _GuardedTls(_Guarded, IMAP4_TLS):  # type: ignore[misc]
    def __init__(
        self,
        guard: ResponseGuard,
        host: str,
        port: int,
        context: ssl.SSLContext | None,
        timeout: float | None,
    ) -> None:
        self.guard = guard
        IMAP4_TLS.__init__(self, host, port, context, timeout)


class GuardedClient(IMAPClient):  # type: ignore[misc]
    """An IMAPClient that reads every response through `guard`."""

    def __init__(self, guard: ResponseGuard, *args: Any, **kwargs: Any) -> None:
        self.guard = guard
        super().__init__(*args, **kwargs)

    def _create_IMAP4(self) -> imaplib.IMAP4:
        timeout = getattr(self._timeout, "connect", None)
        if self.ssl:
            return _GuardedTls(self.guard, self.host, self.port, self.ssl_context, timeout)
        return _GuardedPlain(self.guard, self.host, self.port, timeout)
