"""A small TCP proxy on 127.0.0.1 that breaks connections on purpose, for fault tests.

Modes:
- "pass": forward both ways (optionally only counting connections);
- "cut_up": cut a connection once the client has sent `after_bytes` bytes (mid-APPEND);
- "cut_down": cut once the server has sent `after_bytes` bytes (mid-FETCH);
- "cut_on": cut when the server is about to send a chunk containing `pattern` (the reply is lost,
  so the server has done the work but the client never learns it: the worst moment to drop);
- "blackhole": accept and never answer (timeouts);
- "delay": wait `delay` seconds before forwarding each chunk.
`max_cuts` limits how many connections are cut (None: every one). Attributes may change while it runs.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Literal

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
Mode = Literal["pass", "cut_up", "cut_down", "cut_on", "blackhole", "delay"]
_CHUNK = 64 * 1024


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
    ) -> None:
        self.target_port = target_port
        self.mode: Mode = mode
        self.after_bytes = after_bytes
        self.pattern = pattern
        self.delay = delay
        self.max_cuts = max_cuts
        self.connections = 0
        self.cuts = 0
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
                server = socket.create_connection((HOST, self.target_port), timeout=5)
            except OSError:
                _close(client)
                continue
            server.settimeout(None)
            with self._lock:
                self._open.add(server)
            for src, dst, up in ((client, server, True), (server, client, False)):
                threading.Thread(target=self._pump, args=(src, dst, up), daemon=True).start()

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

    def _pump(self, src: socket.socket, dst: socket.socket, up: bool) -> None:
        sent = 0
        try:
            while chunk := src.recv(_CHUNK):
                if self.mode == "delay" and self.delay > 0:
                    time.sleep(self.delay)
                if self._should_cut(up, sent, chunk):
                    if self.mode != "cut_on":
                        dst.sendall(chunk[: max(0, self.after_bytes - sent)])
                    break
                dst.sendall(chunk)
                sent += len(chunk)
        except OSError:
            logger.debug("faultproxy.closed up=%s sent=%d", up, sent)  # a peer or the other pump closed it
        _close(src)
        _close(dst)


def _close(sock: socket.socket) -> None:
    # shutdown() first, so that the pump blocked in recv() on this socket wakes up with EOF.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
