"""Fixtures of the proof suite: fresh users, raw loading of hostile mail, engine options for faults.

Everything runs against the shared Dovecot test pair (nothing here stops or restarts a server);
faults are injected by testbed/faultproxy.py between the engine and a server.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from imapclient import IMAPClient

from app.config import Settings
from testbed.dovecot import SMALL_USER_PREFIX, ImapServer
from tests.imap_fixtures import new_username
from tests.settings import make_test_settings
from workers.engine.copier import compare_mailbox
from workers.engine.imap import ImapEndpoint, TlsMode
from workers.engine.options import CopyOptions
from workers.engine.results import AccountComparison

# Short waits between reconnections, so retried faults cost tenths of seconds, not seconds.
FAST = CopyOptions(retry_wait=0.05, retry_wait_max=0.2)
_APPEND_BATCH = 200


def endpoint(
    server: ImapServer, username: str, mode: TlsMode = "plain", port: int | None = None, **kw: object
) -> ImapEndpoint:
    """An engine endpoint for `username` on `server` (or on `port`, e.g. a fault proxy in front of it)."""
    default = server.port_ssl if mode == "ssl" else server.port_plain
    values: dict[str, object] = {"ca_file": str(server.ca_file), "timeout": 20.0, **kw}
    return ImapEndpoint(server.host, port or default, mode, username, server.password, **values)  # type: ignore[arg-type]


def compare(src: ImapServer, dst: ImapServer, username: str) -> AccountComparison:
    """compare_mailbox straight to both servers (never through a proxy)."""
    return compare_mailbox(endpoint(src, username), endpoint(dst, username))


def message(tag: str, body_size: int = 200) -> bytes:
    """A plain, well-formed message with a unique Message-ID and a body of about `body_size` bytes."""
    line = b"The quick brown fox jumps over the lazy dog 0123456789.\r\n"
    body = (line * (body_size // len(line) + 1))[:body_size]
    head = (
        f"From: Proof <proof@example.com>\r\nTo: you@example.com\r\nSubject: {tag}\r\n"
        f"Date: Mon, 01 Jan 2024 10:00:00 +0000\r\nMessage-ID: <{tag}@proof.example>\r\n\r\n"
    )
    return head.encode() + body


def load_raw(server: ImapServer, username: str, folder: str, messages: Sequence[bytes]) -> list[int]:
    """APPEND `messages` as they are into `folder` (created when missing); their UIDs, in order."""
    client = server.connect(username)
    try:
        _ensure(client, folder)
        uids: list[int] = []
        for start in range(0, len(messages), _APPEND_BATCH):
            chunk = messages[start : start + _APPEND_BATCH]
            typ, data = client.multiappend(folder, list(chunk))
            assert typ == "OK", data
            uids.extend(_appenduids(b" ".join(d for d in data if isinstance(d, bytes))))
        return uids
    finally:
        client.logout()


def _ensure(client: IMAPClient, folder: str) -> None:
    if folder.upper() != "INBOX" and not client.folder_exists(folder):
        client.create_folder(folder)
        client.subscribe_folder(folder)


def _appenduids(text: bytes) -> list[int]:
    from workers.engine.appender import parse_appenduid

    uids = parse_appenduid(text)
    assert uids is not None, text
    return uids


def folder_uids(server: ImapServer, username: str, folder: str) -> list[int]:
    client = server.connect(username)
    try:
        client.select_folder(folder, readonly=True)
        return sorted(client.search(["ALL"]))
    finally:
        client.logout()


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The shared test settings, but GET /plan and the endpoint test (which waits IMAP_TIMEOUT_SECONDS)
    give up at once: no worker answers them here."""
    return make_test_settings(plan_timeout_seconds=0.2, imap_timeout_seconds=0.2)


@pytest.fixture()
def small_user(src_server: ImapServer, dst_server: ImapServer) -> Iterator[str]:
    """A fresh user whose destination mailbox refuses messages over 1 MiB."""
    username = new_username(SMALL_USER_PREFIX)
    yield username
    src_server.reset_user(username)
    dst_server.reset_user(username)
