"""Shared by the engine's Dovecot tests: endpoints for a test user, and expected destination views."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator, Sequence

import pytest
from imapclient import IMAPClient

from testbed.corpus_imap import Snapshot
from testbed.dovecot import ImapServer
from workers.engine.copier import compare_mailbox
from workers.engine.imap import ImapEndpoint, TlsMode
from workers.engine.state import FolderCheckpoint, MemoryState, MessageRecord

# Where the source's Exchange-style special folders land on the destination (logical names).
SPECIAL_RENAMES = {"Sent Items": "Sent", "Deleted Items": "Trash", "Junk E-mail": "Junk"}


def endpoint(server: ImapServer, username: str, mode: TlsMode = "plain", **kw: object) -> ImapEndpoint:
    port = server.port_ssl if mode == "ssl" else server.port_plain
    values: dict[str, object] = {"ca_file": str(server.ca_file), "timeout": 20.0, **kw}
    return ImapEndpoint(server.host, port, mode, username, server.password, **values)  # type: ignore[arg-type]


def pair(src: ImapServer, dst: ImapServer, username: str) -> tuple[ImapEndpoint, ImapEndpoint]:
    return endpoint(src, username), endpoint(dst, username)


def renamed(folder: str) -> str:
    top, sep, rest = folder.partition("/")
    return SPECIAL_RENAMES.get(top, top) + sep + rest


def expected_destination(source: dict[str, list[Snapshot]]) -> dict[str, list[Snapshot]]:
    return {renamed(folder): messages for folder, messages in source.items()}


def without_empty_extras(
    got: dict[str, list[Snapshot]], expected: dict[str, list[Snapshot]]
) -> dict[str, list[Snapshot]]:
    """The destination view minus its auto-created special folders that stayed empty."""
    return {k: v for k, v in got.items() if k in expected or v}


@pytest.fixture()
def small_user(src_server: ImapServer, dst_server: ImapServer) -> Iterator[str]:
    """A fresh user whose destination mailbox refuses messages over 1 MB."""
    from testbed.dovecot import SMALL_USER_PREFIX
    from tests.imap_fixtures import new_username

    username = new_username(SMALL_USER_PREFIX)
    yield username
    src_server.reset_user(username)
    dst_server.reset_user(username)


def connect(server: ImapServer, username: str) -> IMAPClient:
    client = server.connect(username)
    client.normalise_times = False
    return client


class CuttingProxy:
    """A TCP relay to a real server that cuts its first `cuts` connections (after the first `spare`)
    after `after` bytes sent by the client: a connection dropped mid-APPEND, as a flaky network or a
    server restart does. It counts the connections it relays."""

    def __init__(self, port: int, after: int, cuts: int, spare: int = 0) -> None:
        self.target = ("127.0.0.1", port)
        self.after = after
        self.cuts = cuts
        self.spare = spare
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            cut = self.spare < self.connections <= self.spare + self.cuts
            limit = self.after if cut else None
            server = socket.create_connection(self.target)
            threading.Thread(target=self._pump, args=(client, server, limit), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, None), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while data := source.recv(65536):
                if limit is not None and sent + len(data) > limit:
                    sink.sendall(data[: limit - sent])
                    break
                sink.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self._listener.close()


class Killed(Exception):
    """Stands for the worker process dying at that point."""


class KilledBeforeCheckpoint(MemoryState):
    """State whose checkpoint after `survive` others never happens: the batch is appended but not
    recorded, as when a worker dies between the APPEND and the checkpoint."""

    def __init__(self, survive: int) -> None:
        super().__init__()
        self.survive = survive

    def checkpoint(self, state: FolderCheckpoint, records: Sequence[MessageRecord] = ()) -> None:
        if records:
            if self.survive == 0:
                raise Killed
            self.survive -= 1
        super().checkpoint(state, records)


def assert_complete(src_server: ImapServer, dst_server: ImapServer, username: str) -> None:
    """Nothing missing and nothing duplicated on the destination."""
    comparison = compare_mailbox(*pair(src_server, dst_server, username))
    assert (comparison.missing, comparison.duplicated) == (0, 0), comparison.folders
