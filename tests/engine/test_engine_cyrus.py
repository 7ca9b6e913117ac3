"""Defects Cyrus IMAP shows, each reproduced on the test bed's Cyrus server (testbed/cyrus.py).

See docs/servers.md for the differences between the servers and how the engine handles them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testbed.corpus import CorpusMessage, load_corpus, new_messages
from testbed.cyrus import CyrusImapServer
from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import pair
from tests.engine.test_engine_cli import as_json, run, urls
from tests.imap_fixtures import new_username
from workers.engine.copier import copy_mailbox
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap


@pytest.fixture()
def cyrus_user(
    cyrus_server: CyrusImapServer, src_server: ImapServer, dst_server: ImapServer
) -> Iterator[str]:
    """A fresh user on Cyrus and on both Dovecot servers."""
    username = new_username()
    cyrus_server.add_user(username)
    yield username
    cyrus_server.reset_user(username)
    src_server.reset_user(username)
    dst_server.reset_user(username)


def few(count: int, batch: int = 1, folders: tuple[str, ...] = ("INBOX",)) -> list[CorpusMessage]:
    return list(new_messages(count, folders=folders, batch=batch))


def test_a_delta_pass_from_cyrus_copies_the_new_message(
    cyrus_server: CyrusImapServer, dst_server: ImapServer, cyrus_user: str
) -> None:
    load_corpus(cyrus_server, cyrus_user, few(3))
    src, dst = pair(cyrus_server, dst_server, cyrus_user)
    state = MemoryState()
    first = copy_mailbox(src, dst, state=state)
    assert (first.status, first.copied) == ("ok", 3), first.error_list

    # Nothing changed its flags since: Cyrus answers the MODSEQ search with `* SEARCH (MODSEQ n)`.
    load_corpus(cyrus_server, cyrus_user, few(1, batch=2))
    second = copy_mailbox(src, dst, state=state)
    assert (second.status, second.copied, second.errors) == ("ok", 1, 0), second.error_list


def test_the_cli_delta_pass_from_cyrus_exits_clean(
    cyrus_server: CyrusImapServer, dst_server: ImapServer, cyrus_user: str, tmp_path: Path
) -> None:
    load_corpus(cyrus_server, cyrus_user, few(2))
    where = [*urls(cyrus_server, dst_server, cyrus_user), "--state-file", str(tmp_path / "state.json")]
    assert run("copy", *where).returncode == 0
    load_corpus(cyrus_server, cyrus_user, few(1, batch=2))
    done = run("copy", *where, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert as_json(done)["copied"] == 1
