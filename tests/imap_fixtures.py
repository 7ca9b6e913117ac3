"""pytest plugin: the two Dovecot test servers, fresh users and a loaded source mailbox.

Enable with `pytest_plugins = ["tests.imap_fixtures"]` in tests/conftest.py.

The servers are left running after the session so that reruns start instantly
(parallel xdist workers share them, so no worker may stop them under the others).
Set IMAPCOPIER_STOP_IMAP=1 to stop them at the end of a session that started them.
Tests that stop or restart a server (fault tests) must use `private_imap_pair`,
never the shared pair, or they would break tests running in parallel.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from testbed.dovecot import DovecotPair, ImapServer, data_root, free_ports

if TYPE_CHECKING:
    from testbed.corpus import CorpusMessage, LoadStats


@dataclass(frozen=True)
class LoadedSource:
    """A fresh user on the source server holding the whole "test" corpus."""

    username: str
    messages: list[CorpusMessage]
    stats: LoadStats


@pytest.fixture(scope="session")
def imap_pair() -> Iterator[DovecotPair]:
    """The test-profile Dovecot pair, started once (idempotent: reuses running servers)."""
    pair = DovecotPair("test")
    was_running = all(pair.status().values())
    pair.start()
    yield pair
    if not was_running and os.environ.get("IMAPCOPIER_STOP_IMAP") == "1":
        pair.stop()


@pytest.fixture(scope="session")
def src_server(imap_pair: DovecotPair) -> ImapServer:
    """The source server (separator `/`, no prefix, Exchange-like special folders)."""
    return imap_pair.server("src")


@pytest.fixture(scope="session")
def dst_server(imap_pair: DovecotPair) -> ImapServer:
    """The destination server (separator `.`, prefix `INBOX.`, size-limited APPEND)."""
    return imap_pair.server("dst")


@pytest.fixture()
def private_imap_pair() -> Iterator[DovecotPair]:
    """A pair of its own (free ports, own directory) that a test may stop and restart at will."""
    root = data_root() / f"imap-private-{uuid.uuid4().hex[:8]}"
    pair = DovecotPair("test", base_dir=root, ports=free_ports(4))  # type: ignore[arg-type]
    pair.start()
    yield pair
    pair.stop()
    shutil.rmtree(root, ignore_errors=True)


def new_username(prefix: str = "u") -> str:
    """A username no test has used before (any name logs in with the shared password)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture()
def imap_user(src_server: ImapServer, dst_server: ImapServer) -> Iterator[str]:
    """A fresh, empty user valid on both servers; its mail is deleted afterwards."""
    username = new_username()
    yield username
    src_server.reset_user(username)
    dst_server.reset_user(username)


@pytest.fixture(scope="session")
def test_corpus() -> list[CorpusMessage]:
    """The deterministic "test" corpus, generated once per session."""
    from testbed.corpus import generate

    return list(generate("test"))


@pytest.fixture()
def loaded_source(src_server: ImapServer, imap_user: str, test_corpus: list[CorpusMessage]) -> LoadedSource:
    """`imap_user` with the "test" corpus loaded on the source server."""
    from testbed.corpus import load_corpus

    stats = load_corpus(src_server, imap_user, test_corpus)
    return LoadedSource(imap_user, test_corpus, stats)
