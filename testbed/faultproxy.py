"""A small TCP proxy on 127.0.0.1 that breaks connections on purpose, for fault tests and the WAN bench.

Modes:
- "pass": forward both ways (optionally only counting connections);
- "cut_up": cut a connection once the client has sent `after_bytes` bytes (mid-APPEND);
- "cut_down": cut once the server has sent `after_bytes` bytes (mid-FETCH);
- "cut_on": cut when the server is about to send a chunk containing `pattern` (the reply is lost,
  so the server has done the work but the client never learns it: the worst moment to drop);
- "blackhole": accept and never answer (timeouts);
- "delay": as "pass"; kept as a name for tests that switch a live proxy to a long `delay`.
`max_cuts` limits how many connections are cut (None: every one). Attributes may change while it runs.

In every mode:
- `delay` (seconds, each way) holds each chunk until `delay` after it arrived, then releases it:
  chunks stay in flight together, so pipelined traffic is not serialised (a 50 ms round-trip link
  is `delay=0.025`); `rate` (bytes/second per direction, shared by all connections) caps throughput;
- `offer` (testbed.imap_rules) refuses what the imitated provider does not offer: the client gets
  `* BYE [CLIENTBUG] <reason>`, the connection closes, and the reason is kept in `violations`;
- `rewrite` (regex, replacement) rewrites server replies: the match number `rewrite_skip` (from 0)
  and the `max_rewrites - 1` after it; `rewrites` counts them (a throttling reply mid-pipeline).
- `source_address` connects to the server from that loopback address (Dovecot's `remote` filters
  then pick a provider's capability set, see testbed/dovecot_config.py).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import socket
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Literal

from testbed.imap_rules import CommandStream, Offer

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
Mode = Literal["pass", "cut_up", "cut_down", "cut_on", "blackhole", "delay"]
_CHUNK = 64 * 1024
# (release time, chunk); None closes the connection.
Outbox = queue.Queue[tuple[float, bytes | None]]


class FaultProxy:
    """`with FaultProxy(target_port, mode="cut_up", after_bytes=300_000) as proxy: ... proxy.port`."""

    def __init__(
        self,
        target_port: int,
        mode: Mode = "pass",
        after_bytes: int = 0,
        pattern: bytes = b"",
        delay: float = 0.0,
        max_cuts: int | None = None,
        rate: float | None = None,
        offer: Offer | None = None,
        source_address: str = HOST,
        rewrite: tuple[bytes, bytes] | None = None,
        rewrite_skip: int = 0,
        max_rewrites: int = 1,
    ) -> None:
        self.target_port = target_port
        self.mode: Mode = mode
        self.after_bytes = after_bytes
        self.pattern = pattern
        self.delay = delay
        self.max_cuts = max_cuts
        self.rate = rate
        self.offer = offer
        self.source_address = source_address
        self.rewrite = rewrite
        self.rewrite_skip = rewrite_skip
        self.max_rewrites = max_rewrites
        self.connections = 0
        self.cuts = 0
        self.rewrites = 0
        self.violations: list[str] = []
        self._matches = 0
        self._free_at = {True: 0.0, False: 0.0}  # when each direction's capped link is free again
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server((HOST, 0))
        self._listener.settimeout(0.2)  # lets the accept loop notice stop() quickly
        self.port: int = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="faultproxy", daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            _close(sock)

    def cut_all(self) -> int:
        """Drop every open connection now (a flaky link, or a server ending sessions); how many."""
        with self._lock:
            sockets = list(self._open)
            self._open.clear()
            self.cuts += 1
        for sock in sockets:
            _close(sock)
        return len(sockets)

    @contextlib.contextmanager
    def cutting_every(self, seconds: float) -> Iterator[None]:
        """While inside, `cut_all()` every `seconds` from a background thread."""
        done = threading.Event()

        def loop() -> None:
            while not done.wait(seconds):
                self.cut_all()

        thread = threading.Thread(target=loop, name="faultproxy-cutter", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(timeout=5)

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.add(client)
            if self.mode == "blackhole":
                continue  # held open (and closed on stop), never read nor answered
            try:
                server = socket.create_connection(
                    (HOST, self.target_port), timeout=5, source_address=(self.source_address, 0)
                )
            except OSError:
                _close(client)
                continue
            server.settimeout(None)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._open.add(server)
            stream = CommandStream(self.offer) if self.offer is not None else None
            for src, dst, up in ((client, server, True), (server, client, False)):
                outbox: Outbox = queue.Queue()
                reader = threading.Thread(target=self._read, args=(src, dst, up, outbox, stream), daemon=True)
                reader.start()
                threading.Thread(target=self._write, args=(src, dst, up, outbox), daemon=True).start()

    def _should_cut(self, up: bool, sent: int, chunk: bytes) -> bool:
        """True when this chunk must not (entirely) go through; claims one cut under the lock."""
        mode = self.mode
        wanted = (
            (mode == "cut_up" and up and sent + len(chunk) > self.after_bytes)
            or (mode == "cut_down" and not up and sent + len(chunk) > self.after_bytes)
            or (mode == "cut_on" and not up and bool(self.pattern) and self.pattern in chunk)
        )
        if not wanted:
            return False
        with self._lock:
            if self.max_cuts is not None and self.cuts >= self.max_cuts:
                return False
            self.cuts += 1
            return True

    def _rewritten(self, chunk: bytes) -> bytes:
        if self.rewrite is None:
            return chunk
        pattern, replacement = self.rewrite

        def one(match: re.Match[bytes]) -> bytes:
            with self._lock:
                number = self._matches
                self._matches += 1
                if number < self.rewrite_skip or self.rewrites >= self.max_rewrites:
                    return match.group(0)
                self.rewrites += 1
            return match.expand(replacement)

        return re.sub(pattern, one, chunk)

    def _read(
        self,
        src: socket.socket,
        dst: socket.socket,
        up: bool,
        outbox: Outbox,
        stream: CommandStream | None,
    ) -> None:
        sent = 0
        try:
            while chunk := src.recv(_CHUNK):
                due = time.monotonic() + self.delay
                if up and stream is not None and (problem := stream.feed(chunk)):
                    with self._lock:
                        self.violations.append(problem)
                    logger.warning("faultproxy.refused reason=%s", problem)
                    with contextlib.suppress(OSError):
                        src.sendall(b"* BYE [CLIENTBUG] " + problem.encode() + b"\r\n")
                    break
                if self._should_cut(up, sent, chunk):
                    if self.mode != "cut_on":
                        outbox.put((due, chunk[: max(0, self.after_bytes - sent)]))
                    break
                if not up:
                    chunk = self._rewritten(chunk)
                outbox.put((due, chunk))
                sent += len(chunk)
        except OSError:
            logger.debug("faultproxy.closed up=%s sent=%d", up, sent)  # a peer or the other pump closed it
        outbox.put((time.monotonic() + self.delay, None))  # then close

    def _write(self, src: socket.socket, dst: socket.socket, up: bool, outbox: Outbox) -> None:
        try:
            while not self._stopped.is_set():
                due, chunk = outbox.get()
                if chunk is None:
                    break
                start = due
                if self.rate:
                    with self._lock:
                        start = max(due, self._free_at[up])
                        self._free_at[up] = start + len(chunk) / self.rate
                if (wait := start - time.monotonic()) > 0 and self._stopped.wait(wait):
                    break
                dst.sendall(chunk)
        except OSError:
            logger.debug("faultproxy.closed up=%s", up)
        _close(src)
        _close(dst)


def _close(sock: socket.socket) -> None:
    # shutdown() first, so that the pump blocked in recv() on this socket wakes up with EOF.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
