"""Bounds on what an IMAP server can make us read: literal sizes, time per command, untagged
responses per command (count and bytes), line length and parenthesis nesting.

imaplib reads a literal with one `file.read(size)` of whatever size the server announces and each
line with a blocking `readline()` that any byte keeps alive. Here imaplib's connection classes are
subclassed so that every read goes through a `ResponseGuard`, which checks the limits before and
while reading and drops the connection when one is broken. The limits and their defaults are
explained in docs/hostile-servers.md.
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from workers.engine.errors import CommandTimeout, CopyError, MalformedResponse, ResponseTooLarge

MB = 1024 * 1024
READ_CHUNK = 256 * 1024
_LITERAL_AT_END = re.compile(rb"\{(\d+)\+?\}\r?\n?$")
_QUOTED = re.compile(rb'"(?:[^"\\]|\\.)*"')
_PARENS = re.compile(rb"[()]")
_UID = re.compile(rb"\bUID (\d+)", re.IGNORECASE)
_TAGGED = re.compile(rb"^[^*+ ]+ (OK|NO|BAD)\b", re.IGNORECASE)
_current = threading.local()


@dataclass(frozen=True)
class ReadLimits:
    """What one connection accepts from its server (see docs/hostile-servers.md)."""

    max_message_bytes: int = 150 * MB  # Exchange Online's largest message; Gmail's is 35 MB
    min_bytes_per_second: int = 16 * 1024
    max_untagged: int = 100_000
    max_response_bytes: int = 24 * MB
    max_depth: int = 64
    max_line: int = 1_000_000  # imaplib's own line limit


def literal_allowance(size: int) -> int:
    """The largest literal accepted for a message whose RFC822.SIZE is `size`: twice the size (a
    server that stores bare LF may send CRLF) plus 64 kB."""
    return 2 * size + 64 * 1024


@dataclass
class Expectation:
    """What the next command should return: RFC822.SIZE per UID, or the length of a partial FETCH."""

    sizes: Mapping[int, int] = field(default_factory=dict)
    chunk: int | None = None


class ResponseGuard:
    """Per-connection accounting, reset at every new command tag. Not thread-safe: a connection is
    used by one thread at a time."""

    def __init__(self, limits: ReadLimits, timeout: float, side: str) -> None:
        self.limits = limits
        self.timeout = timeout
        self.side = side
        self.expected: Expectation | None = None
        self.tripped: CopyError | None = None
        self._sock: socket.socket | None = None
        self._armed = 0.0
        self._continued = False  # the current response goes on after a literal
        self._named = False
        self.command = "greeting"
        self.received = 0
        self.start("greeting")

    def start(self, command: str = "command") -> None:
        # Commands sent back to back (pipelined) share the accounting, and errors name them all.
        waiting = self._named and self.command != "greeting" and self.received == 0
        self._earlier = self.command if waiting else None
        self.command = command
        self.started = time.monotonic()
        self.transferred = 0
        self.lines = 0
        self.received = 0
        self.depth = 0
        self.response = b""
        self.last_line = b""
        self._named = command != "command"

    def sent(self, data: bytes | bytearray | memoryview, sock: socket.socket | None) -> None:
        view = memoryview(data)
        if not self._named:
            self.command = _command_name(bytes(view[:100]))
            earlier = self._earlier
            if earlier is not None and self.command not in earlier.split(" and "):
                self.command = f"{earlier} and {self.command}"
            self._named = True
        self.transferred += view.nbytes
        if sock is not None and self._armed != self.timeout:
            sock.settimeout(self.timeout)  # a read may have left a shorter one behind
            self._armed = self.timeout

    @contextlib.contextmanager
    def expecting(self, expectation: Expectation | None) -> Iterator[None]:
        self.expected = expectation
        try:
            yield
        finally:
            self.expected = None

    def excerpt(self) -> str:
        text = self.last_line.strip()
        text = text if len(text) <= 160 else text[:157] + b"..."
        return text.decode("utf-8", "backslashreplace")

    # --- reading -------------------------------------------------------------------------------

    def readline(self, file: io.BufferedReader, sock: socket.socket) -> bytes:
        _current.guard = self
        self._sock = sock
        limit = self.limits.max_line
        data = self._peek(file, sock)
        end = data.find(b"\n")
        if 0 <= end < limit:  # the usual case: the whole line is buffered already
            line = file.read(end + 1)
        else:
            buf = bytearray()
            while data:
                take = len(data) if end < 0 else end + 1
                buf += file.read(min(take, limit + 1 - len(buf)))
                if len(buf) > limit:
                    self.last_line = bytes(buf[:200])
                    self._trip(MalformedResponse(self._malformed(f"a line longer than {limit:,} bytes")))
                if end >= 0:
                    break
                data = self._peek(file, sock)
                end = data.find(b"\n")
            line = bytes(buf)
        self._line(line)
        return line

    def _peek(self, file: io.BufferedReader, sock: socket.socket) -> bytes:
        """What is buffered, or else what one raw read brings (b"" at EOF), within the deadline."""
        self._arm(sock)
        try:
            return file.peek(1)
        except TimeoutError:
            self._check_deadline(force=True)
            raise

    def read(self, file: io.BufferedReader, sock: socket.socket, size: int) -> bytes:
        _current.guard = self
        self._sock = sock
        self._check_literal(size)
        buf = bytearray(size)
        view = memoryview(buf)
        pos = 0
        while pos < size:
            self._arm(sock)
            try:
                count = file.readinto1(view[pos : pos + READ_CHUNK])
            except TimeoutError:
                self._check_deadline(force=True)
                raise
            if not count:
                break  # EOF: imaplib reports it on the next line
            pos += count
            self._received(count)
        view.release()
        return bytes(buf[:pos]) if pos < size else bytes(buf)

    def _arm(self, sock: socket.socket) -> None:
        """The socket timeout becomes the time left, so that one slow recv cannot outlive the deadline
        (set only when it changes: this runs once per line)."""
        wanted = max(0.01, min(self.timeout, self._check_deadline()))
        if wanted < self.timeout or self._armed != wanted:
            sock.settimeout(wanted)
            self._armed = wanted

    def deadline(self) -> float:
        """Start + the socket timeout + the time the bytes so far need at the minimum throughput."""
        return self.started + self.timeout + self.transferred / self.limits.min_bytes_per_second

    def _check_deadline(self, force: bool = False) -> float:
        remaining = self.deadline() - time.monotonic()
        if remaining <= (0.05 if force else 0):
            took = time.monotonic() - self.started
            rate = self.limits.min_bytes_per_second
            self._trip(
                CommandTimeout(
                    f"the {self.side} server took {took:.1f} s over {self.command} and sent "
                    f"{self.received:,} bytes: slower than the {self.timeout:g} s allowed per command "
                    f"plus {rate:,} bytes per second"
                )
            )
        return remaining

    def _received(self, count: int) -> None:
        self.received += count
        self.transferred += count
        if self.received > self.limits.max_response_bytes:
            self._trip(self._too_many(f"more than {self.limits.max_response_bytes:,} bytes"))

    def _line(self, line: bytes) -> None:
        size = len(line)
        self.lines += 1
        self.received += size
        self.transferred += size
        self.response = (self.response + line)[-4096:] if self._continued else line[-4096:]
        if line.startswith(b"* ") or _TAGGED.match(line) is None:
            self.last_line = line[:200]  # the excerpt shows what the server sent, not its "OK"
        if self.lines > self.limits.max_untagged:
            self._trip(self._too_many(f"more than {self.limits.max_untagged:,} responses"))
        if self.received > self.limits.max_response_bytes:
            self._trip(self._too_many(f"more than {self.limits.max_response_bytes:,} bytes"))
        self._continued = line.endswith(b"}\r\n") and _LITERAL_AT_END.search(line) is not None
        opens = line.count(b"(")
        if self.depth + opens > self.limits.max_depth:
            self._nesting(line)  # the count includes quoted parentheses: an upper bound only
        self.depth = self.depth + opens - line.count(b")") if self._continued else 0

    def _nesting(self, line: bytes) -> None:
        text = _QUOTED.sub(b"", line) if b'"' in line else line
        depth = self.depth
        for match in _PARENS.finditer(text):
            depth += 1 if match.group() == b"(" else -1
            if depth > self.limits.max_depth:
                reason = f"parentheses nested more than {self.limits.max_depth} deep"
                self._trip(MalformedResponse(self._malformed(reason)))

    def _check_literal(self, size: int) -> None:
        cap, uid, announced = self._literal_cap()
        if size <= cap:
            return
        what = f" for UID {uid}" if uid is not None else ""
        sizes = f", whose RFC822.SIZE is {announced:,}" if announced is not None else ""
        self._trip(
            ResponseTooLarge(
                f"the {self.side} server announced a literal of {size:,} bytes in its response to "
                f"{self.command}{what}{sizes}; the limit is {cap:,} bytes, so the connection was dropped",
                uid=uid,
            )
        )

    def _literal_cap(self) -> tuple[int, int | None, int | None]:
        cap = min(self.limits.max_message_bytes, self.limits.max_response_bytes)
        match = _UID.search(self.response)
        uid = int(match.group(1)) if match else None
        expected = self.expected
        if expected is None:
            return cap, uid, None
        if expected.chunk is not None:
            cap = min(cap, expected.chunk)
        if uid is None and len(expected.sizes) == 1:
            uid = next(iter(expected.sizes))
        size = expected.sizes.get(uid) if uid is not None else None
        if size:  # 0: the server gave no RFC822.SIZE, so only the general limits apply
            return min(cap, literal_allowance(size)), uid, size
        if expected.sizes and min(expected.sizes.values()) > 0:
            cap = min(cap, literal_allowance(max(expected.sizes.values())))
        return cap, uid, None

    @property
    def commands_phrase(self) -> str:
        """ "one FETCH command", or "the pipelined EXAMINE and SEARCH commands"."""
        if " and " in self.command:
            return f"the pipelined {self.command} commands"
        return f"one {self.command} command"

    def _too_many(self, what: str) -> ResponseTooLarge:
        return ResponseTooLarge(
            f"the {self.side} server sent {what} to {self.commands_phrase}; "
            f"the connection was dropped (last: {self.excerpt()!r})"
        )

    def _malformed(self, reason: str) -> str:
        excerpt = self.excerpt()
        return f"the {self.side} server sent a malformed response to {self.command} ({reason}): {excerpt!r}"

    def _trip(self, error: CopyError) -> None:
        """Drop the connection (its stream is out of step now) and raise `error`."""
        self.tripped = error
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
        raise error


def _command_name(data: bytes) -> str:
    words = data.split(b" ", 3)
    name = words[2] if len(words) > 2 and words[1].upper() == b"UID" else words[1] if len(words) > 1 else b""
    return name.strip().decode("ascii", "replace").upper() or "command"


def current_guard() -> ResponseGuard | None:
    """The guard that last read a response in this thread: it holds the excerpt for an error raised
    while parsing that response (the parse runs in the same thread, right after the read)."""
    guard: Any = getattr(_current, "guard", None)
    return guard if isinstance(guard, ResponseGuard) else None


def malformed(error: BaseException, guard: ResponseGuard | None = None) -> MalformedResponse:
    """The typed error for whatever imaplib/imapclient raised on a reply it could not parse."""
    guard = guard or current_guard()
    if guard is None:
        return MalformedResponse(f"an IMAP server sent a malformed response ({type(error).__name__})")
    return MalformedResponse(
        f"the {guard.side} server sent a malformed response to {guard.command}: {guard.excerpt()!r}"
    )
