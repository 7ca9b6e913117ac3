"""Shared by the engine's Dovecot tests: endpoints for a test user, and expected destination views."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from imapclient import IMAPClient

from workers.corpus_imap import Snapshot
from workers.devservers import ImapServer
from workers.engine.imap import ImapEndpoint, TlsMode

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


def without_empty_extras(got: dict[str, list[Snapshot]], expected: dict[str, list[Snapshot]]) -> dict[str, list[Snapshot]]:
    """The destination view minus its auto-created special folders that stayed empty."""
    return {k: v for k, v in got.items() if k in expected or v}


@pytest.fixture()
def small_user(src_server: ImapServer, dst_server: ImapServer) -> Iterator[str]:
    """A fresh user whose destination mailbox refuses messages over 1 MB."""
    from tests.imap_fixtures import new_username
    from workers.devservers import SMALL_USER_PREFIX

    username = new_username(SMALL_USER_PREFIX)
    yield username
    src_server.reset_user(username)
    dst_server.reset_user(username)


def connect(server: ImapServer, username: str) -> IMAPClient:
    client = server.connect(username)
    client.normalise_times = False
    return client
