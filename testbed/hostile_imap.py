"""A misbehaving IMAP source server for tests: one mode per misbehaviour, chosen by the login name.

It serves one folder, INBOX, with `MESSAGES` small messages, well enough for the engine to list,
select, search and fetch; then, in the FETCH (or SELECT) it was told to spoil, it misbehaves:

- `healthy`: no misbehaviour (the control case).
- `huge_literal`: UID 2's body is announced as a 3 GB literal (RFC822.SIZE says 2,000), then
  streamed for as long as the client reads.
- `trickle`: bodies are sent one byte every 0.2 s.
- `exists_flood`: SELECT answers `* 1 EXISTS` without end.
- `deep_nesting`: FETCH replies carry an item nested 100,000 parentheses deep.
- `malformed_item`: FETCH replies carry `ENVELOPE NIL` (an envelope must be a list).
- `unexpected_line`: FETCH is answered with a line that is not IMAP at all.
- `endless_spool`: UID 2 claims 9 MB (above the engine's in-memory threshold) and every partial
  FETCH of it comes back full, so a reader that waits for a short chunk never stops.
- `long_lines`: FETCH is answered with untagged lines of 900 kB each, without end (the most memory
  a server can make one command hold).
- `continuations`: FETCH is answered with `+` continuation requests without end.
- `bad_status`: STATUS says `MESSAGES many` (a number is due).
- `greeting_literal`: on port `greeting_port`, the greeting itself announces a 3 GB literal (the
  login name is not known yet, so this mode has a port of its own).

Any username logs in with any password. Run it with `HostileImapServer()` as a context manager:
it listens on a free loopback port in a thread of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from dataclasses import dataclass, field
from types import TracebackType

MODES = (
    "healthy",
    "huge_literal",
    "trickle",
    "exists_flood",
    "deep_nesting",
    "malformed_item",
    "unexpected_line",
    "endless_spool",
    "long_lines",
    "continuations",
    "bad_status",
    "greeting_literal",
)
MESSAGES = 3
HOSTILE_UID = 2
ANNOUNCED = 2_000
HUGE = 3_000_000_000
SPOOL_SIZE = 9 * 1024 * 1024
_DATE = '"01-Jan-2024 10:00:00 +0000"'
_PARTIAL = re.compile(rb"BODY\.PEEK\[\]<(\d+)\.(\d+)>", re.IGNORECASE)


def message(uid: int) -> bytes:
    """The body of message `uid` in healthy form: exactly ANNOUNCED bytes."""
    head = f"From: a@example.com\r\nTo: b@example.com\r\nSubject: hostile test {uid}\r\n"
    head += f"Message-ID: <hostile-{uid}@example.com>\r\n\r\n"
    body = head.encode() + b"x" * ANNOUNCED
    return body[: ANNOUNCED - 2] + b"\r\n"


@dataclass
class _Session:
    mode: str = "healthy"
    writer: asyncio.StreamWriter | None = field(default=None, repr=False)

    def size(self, uid: int) -> int:
        return SPOOL_SIZE if self.mode == "endless_spool" and uid == HOSTILE_UID else ANNOUNCED

    async def send(self, data: bytes) -> None:
        assert self.writer is not None
        self.writer.write(data)
        await self.writer.drain()

    async def handle(self, tag: bytes, command: bytes, args: bytes) -> bool:
        """Answer one command; False once the connection should close."""
        if command == b"LOGIN":
            self.mode = args.split(b" ", 1)[0].strip(b'"').decode("ascii", "replace")
            await self.send(tag + b" OK [CAPABILITY IMAP4rev1 UIDPLUS] logged in\r\n")
        elif command == b"CAPABILITY":
            await self.send(b"* CAPABILITY IMAP4rev1 UIDPLUS\r\n" + tag + b" OK done\r\n")
        elif command in (b"LIST", b"LSUB"):
            await self.send(b'* %s (\\HasNoChildren) "/" INBOX\r\n%s OK done\r\n' % (command, tag))
        elif command == b"STATUS":
            count = "many" if self.mode == "bad_status" else MESSAGES
            line = f"* STATUS INBOX (MESSAGES {count} UIDNEXT {MESSAGES + 1} UIDVALIDITY 1)\r\n"
            await self.send(line.encode() + tag + b" OK done\r\n")
        elif command in (b"SELECT", b"EXAMINE"):
            await self.select(tag)
        elif command == b"SEARCH":
            uids = " ".join(str(uid) for uid in range(1, MESSAGES + 1))
            await self.send(f"* SEARCH {uids}\r\n".encode() + tag + b" OK done\r\n")
        elif command == b"FETCH":
            await self.fetch(tag, args)
        elif command == b"LOGOUT":
            await self.send(b"* BYE bye\r\n" + tag + b" OK done\r\n")
            return False
        else:
            await self.send(tag + b" OK done\r\n")
        return True

    async def select(self, tag: bytes) -> None:
        if self.mode == "exists_flood":
            while True:
                await self.send(b"* 1 EXISTS\r\n" * 1000)
        lines = [
            f"* {MESSAGES} EXISTS",
            "* FLAGS (\\Seen \\Answered)",
            "* OK [UIDVALIDITY 1] ok",
            f"* OK [UIDNEXT {MESSAGES + 1}] ok",
        ]
        await self.send(("\r\n".join(lines) + "\r\n").encode() + tag + b" OK [READ-ONLY] done\r\n")

    async def fetch(self, tag: bytes, args: bytes) -> None:
        uid_part, _, items = args.partition(b" ")
        uids = _uids(uid_part)
        if self.mode == "unexpected_line":
            await self.send(b"HTTP/1.1 400 Bad Request\r\n")
            return
        if self.mode == "continuations":
            while True:
                await self.send(b"+ go ahead\r\n" * 1000)
        if self.mode == "long_lines":
            line = b'* 1 FETCH (UID 1 X-HOSTILE "' + b"a" * 900_000 + b'")\r\n'
            while True:
                await self.send(line)
        for uid in uids:
            await self.fetch_one(uid, items)
        await self.send(tag + b" OK done\r\n")

    async def fetch_one(self, uid: int, items: bytes) -> None:
        head = b"* %d FETCH (UID %d FLAGS (\\Seen) INTERNALDATE %s" % (uid, uid, _DATE.encode())
        extra = b""
        if self.mode == "deep_nesting":
            extra = b" X-HOSTILE " + b"(" * 100_000 + b")" * 100_000
        elif self.mode == "malformed_item":
            extra = b" ENVELOPE NIL"
        if b"BODY" not in items.upper():
            await self.send(head + b" RFC822.SIZE %d%s)\r\n" % (self.size(uid), extra))
            return
        partial = _PARTIAL.search(items)
        if partial is not None:
            length = int(partial.group(2))
            key = b"BODY[]<%s>" % partial.group(1)
            await self.send(head + b" %s {%d}\r\n" % (key, length) + b"y" * length + b")\r\n")
            return
        body = message(uid)
        if self.mode == "huge_literal" and uid == HOSTILE_UID:
            await self.send(head + b" BODY[] {%d}\r\n" % HUGE)
            while True:
                await self.send(b"z" * 65536)
        await self.send(head + extra + b" BODY[] {%d}\r\n" % len(body))
        if self.mode == "trickle":
            for byte in body:
                await self.send(bytes([byte]))
                await asyncio.sleep(0.2)
        else:
            await self.send(body)
        await self.send(b")\r\n")


def _uids(text: bytes) -> list[int]:
    uids: list[int] = []
    for part in text.split(b","):
        first, _, last = part.partition(b":")
        high = MESSAGES if last == b"*" else int(last or first)
        uids.extend(range(int(first), min(high, MESSAGES) + 1))
    return uids


async def _greet_with_literal(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        writer.write(b"* OK {%d}\r\n" % HUGE)
        while True:
            writer.write(b"z" * 65536)
            await writer.drain()
    writer.close()


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    session = _Session(writer=writer)
    with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, ValueError):
        await session.send(b"* OK [CAPABILITY IMAP4rev1] hostile test server ready\r\n")
        while line := await reader.readline():
            words = line.rstrip(b"\r\n").split(b" ", 2)
            if len(words) < 2:
                continue
            tag, command = words[0], words[1].upper()
            args = words[2] if len(words) > 2 else b""
            if command == b"UID":
                command, _, args = args.partition(b" ")
                command = command.upper()
            if not await session.handle(tag, command, args):
                break
    writer.close()


class HostileImapServer:
    """The server on 127.0.0.1, on a free port, in a thread running its own event loop."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self.greeting_port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="hostile-imap", daemon=True)
        self._servers: list[asyncio.Server] = []

    def __enter__(self) -> HostileImapServer:
        for handler in (_serve, _greet_with_literal):
            server = self._loop.run_until_complete(asyncio.start_server(handler, self.host, 0, limit=1 << 20))
            self._servers.append(server)
        self.port = self._servers[0].sockets[0].getsockname()[1]
        self.greeting_port = self._servers[1].sockets[0].getsockname()[1]
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    async def _shutdown(self) -> None:
        for server in self._servers:
            server.close()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
