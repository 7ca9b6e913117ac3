"""The Dovecot test bed behaves as the engine and its tests expect."""

from __future__ import annotations

import socket
import ssl
import time

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from testbed.corpus import expected_snapshot, generate, load_corpus, new_messages, snapshot
from testbed.dovecot import (
    DST_MAX_MAIL_SIZE,
    SMALL_MAX_MAIL_SIZE,
    SMALL_USER_PREFIX,
    DovecotPair,
    ImapServer,
)
from tests.imap_fixtures import LoadedSource

pytestmark = pytest.mark.imap

ENGINE_CAPS = {
    b"IMAP4REV1",
    b"UIDPLUS",
    b"CONDSTORE",
    b"QRESYNC",
    b"SPECIAL-USE",
    b"NAMESPACE",
    b"LITERAL+",
    b"MULTIAPPEND",
}


def _message(size: int) -> bytes:
    head = b"From: a@example.com\r\nSubject: big\r\nMessage-ID: <big@example.com>\r\n\r\n"
    return head + b"x" * (size - len(head))


@pytest.mark.parametrize("which", ["src", "dst"])
@pytest.mark.parametrize("mode", ["plain", "starttls", "ssl"])
def test_login_on_every_port(imap_pair: DovecotPair, which: str, mode: str, imap_user: str) -> None:
    server = imap_pair.server(which)  # type: ignore[arg-type]
    client = server.connect(imap_user, mode)  # type: ignore[arg-type]
    try:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    finally:
        client.logout()


@pytest.mark.parametrize("which", ["src", "dst"])
def test_wrong_password_fails(imap_pair: DovecotPair, which: str, imap_user: str) -> None:
    server = imap_pair.server(which)  # type: ignore[arg-type]
    client = IMAPClient(server.host, server.port_plain, ssl=False, timeout=10)
    with pytest.raises(LoginError):
        client.login(imap_user, "not-" + server.password)
    client.shutdown()


def test_system_ca_store_rejects_the_test_certificate(src_server: ImapServer) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient(src_server.host, src_server.port_ssl, ssl=True, ssl_context=ssl.create_default_context())


@pytest.mark.parametrize("which", ["src", "dst"])
def test_capabilities_cover_the_engine(imap_pair: DovecotPair, which: str, imap_user: str) -> None:
    client = imap_pair.server(which).connect(imap_user)  # type: ignore[arg-type]
    try:
        assert set(client.capabilities()) >= ENGINE_CAPS
    finally:
        client.logout()


def test_namespaces_as_configured(src_server: ImapServer, dst_server: ImapServer, imap_user: str) -> None:
    for server, expected in ((src_server, ("", "/")), (dst_server, ("INBOX.", "."))):
        client = server.connect(imap_user)
        try:
            assert tuple(client.namespace().personal[0]) == expected
            assert (server.prefix, server.separator) == expected
        finally:
            client.logout()


def test_destination_has_special_use_folders(dst_server: ImapServer, imap_user: str) -> None:
    client = dst_server.connect(imap_user)
    try:
        found = {name: flags for flags, _, name in client.list_folders()}
    finally:
        client.logout()
    for logical, use in dst_server.special_use.items():
        assert use.encode() in found[dst_server.mailbox_name(logical)]


def test_source_special_use_folders_when_created(src_server: ImapServer, imap_user: str) -> None:
    client = src_server.connect(imap_user)
    try:
        client.create_folder("Sent Items")
        flags = {name: f for f, _, name in client.list_folders()}["Sent Items"]
    finally:
        client.logout()
    assert b"\\Sent" in flags


def test_destination_refuses_over_limit_message(dst_server: ImapServer, imap_user: str) -> None:
    client = dst_server.connect(imap_user)
    try:
        assert f"APPENDLIMIT={DST_MAX_MAIL_SIZE}".encode() in client.capabilities()
        with pytest.raises(IMAPClientError, match=r"LIMIT|size"):
            client.append("INBOX", _message(DST_MAX_MAIL_SIZE + 1024))
        client.append("INBOX", _message(2 * SMALL_MAX_MAIL_SIZE))
        assert client.select_folder("INBOX")[b"EXISTS"] == 1
    finally:
        client.logout()


def test_small_users_have_a_one_megabyte_limit(dst_server: ImapServer) -> None:
    username = f"{SMALL_USER_PREFIX}-limit-test"
    dst_server.reset_user(username)
    client = dst_server.connect(username)
    try:
        with pytest.raises(IMAPClientError, match=r"LIMIT|size"):
            client.append("INBOX", _message(SMALL_MAX_MAIL_SIZE + 1024))
        client.append("INBOX", _message(SMALL_MAX_MAIL_SIZE // 2))
    finally:
        client.logout()
        dst_server.reset_user(username)


def test_start_is_idempotent(imap_pair: DovecotPair) -> None:
    pids = [(imap_pair.root / f"{w}/run/master.pid").read_text() for w in ("src", "dst")]
    started = time.monotonic()
    assert imap_pair.start() == imap_pair.servers()
    assert time.monotonic() - started < 2.0
    assert [(imap_pair.root / f"{w}/run/master.pid").read_text() for w in ("src", "dst")] == pids


def test_private_pair_restart_keeps_mail_and_stop_frees_ports(private_imap_pair: DovecotPair) -> None:
    pair = private_imap_pair
    src = pair.server("src")
    client = src.connect("u-restart")
    client.append("INBOX", _message(1000))
    client.logout()
    pid = (pair.root / "src/run/master.pid").read_text()
    pair.restart("src")
    assert (pair.root / "src/run/master.pid").read_text() != pid
    assert pair.status() == {"src": True, "dst": True}
    client = src.connect("u-restart", "ssl")
    try:
        assert client.select_folder("INBOX")[b"EXISTS"] == 1
    finally:
        client.logout()
    pair.stop()
    assert pair.status() == {"src": False, "dst": False}
    with pytest.raises(OSError):
        socket.create_connection((src.host, src.port_plain), timeout=1)


def test_reset_user_empties_the_mailbox(src_server: ImapServer, imap_user: str) -> None:
    client = src_server.connect(imap_user)
    client.append("INBOX", _message(1000))
    client.logout()
    src_server.reset_user(imap_user)
    client = src_server.connect(imap_user)
    try:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    finally:
        client.logout()


def test_folder_name_translation(src_server: ImapServer, dst_server: ImapServer) -> None:
    assert src_server.mailbox_name("Projects/2024") == "Projects/2024"
    assert dst_server.mailbox_name("Projects/2024") == "INBOX.Projects.2024"
    assert dst_server.mailbox_name("INBOX") == "INBOX"
    assert dst_server.logical_name("INBOX.Projects.2024") == "Projects/2024"


def test_loaded_source_round_trips_byte_identical(
    src_server: ImapServer, loaded_source: LoadedSource
) -> None:
    assert loaded_source.stats.messages == len(loaded_source.messages)
    got = snapshot(src_server, loaded_source.username)
    assert got == expected_snapshot(loaded_source.messages)


def test_loader_maps_folders_onto_the_destination(dst_server: ImapServer, imap_user: str) -> None:
    messages = list(generate("test", count=40)) + list(new_messages(3, folders=("Entwürfe", "R&D/Ideen")))
    load_corpus(dst_server, imap_user, messages)
    got = snapshot(dst_server, imap_user)
    expected = expected_snapshot(messages)
    # The destination also holds its auto-created, empty special folders.
    assert {k: v for k, v in got.items() if k in expected} == expected
    assert set(got) - set(expected) <= set(dst_server.special_use)
    client = dst_server.connect(imap_user)
    try:
        names = {name for _, _, name in client.list_folders()}
    finally:
        client.logout()
    assert {"INBOX.Entwürfe", "INBOX.R&D.Ideen"} <= names
