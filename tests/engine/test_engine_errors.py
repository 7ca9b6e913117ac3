"""Distinct, readable errors: login, TLS, unreachable server, and a message over the size limit."""

from __future__ import annotations

import dataclasses
import socket

import pytest

from testbed.corpus import CorpusMessage, load_corpus
from testbed.dovecot import SMALL_MAX_MAIL_SIZE, ImapServer
from tests.engine.engine_fixtures import endpoint, pair, small_user  # noqa: F401 - fixture
from workers.engine.copier import compare_mailbox, copy_mailbox
from workers.engine.errors import AuthFailed, ConnectFailed, TlsFailed
from workers.engine.imap import ImapEndpoint
from workers.engine.imap import test_login as check_login
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap


def test_wrong_password(src_server: ImapServer, imap_user: str) -> None:
    wrong = dataclasses.replace(endpoint(src_server, imap_user), password="not-the-password")
    with pytest.raises(AuthFailed, match=f"login refused for {imap_user}"):
        check_login(wrong)
    result = copy_mailbox(wrong, endpoint(src_server, imap_user))
    assert (result.status, result.error_code, result.errors) == ("failed", "auth_failed", 1)
    first = result.error_list[0]
    assert (first.code, first.kind, first.side, first.folder) == ("auth_failed", "login", "src", None)
    backwards = copy_mailbox(endpoint(src_server, imap_user), wrong)  # the same refusal on the other side
    assert (backwards.error_list[0].kind, backwards.error_list[0].side) == ("login", "dst")


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_tls_with_the_private_ca_and_when_opted_out(
    src_server: ImapServer, imap_user: str, mode: str
) -> None:
    assert "IMAP4REV1" in check_login(endpoint(src_server, imap_user, mode))  # type: ignore[arg-type]
    unverified = endpoint(src_server, imap_user, mode, ca_file=None, verify_tls=False)  # type: ignore[arg-type]
    assert "IMAP4REV1" in check_login(unverified)


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_untrusted_certificate(src_server: ImapServer, imap_user: str, mode: str) -> None:
    system_store = endpoint(src_server, imap_user, mode, ca_file=None)  # type: ignore[arg-type]
    with pytest.raises(TlsFailed, match="certificate not trusted") as caught:
        check_login(system_store)
    assert caught.value.code == "tls_failed"


def test_unreachable_port(imap_user: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    nowhere = ImapEndpoint("127.0.0.1", free_port, "plain", imap_user, "secret", timeout=2)
    with pytest.raises(ConnectFailed, match="connection refused") as caught:
        check_login(nowhere)
    assert (caught.value.code, caught.value.kind) == ("connect_failed", "connection")
    result = copy_mailbox(ImapEndpoint("127.0.0.1", 1, "plain", imap_user, "x", timeout=2), nowhere)
    assert (result.error_list[0].kind, result.error_list[0].side) == ("connection", "src")


def test_message_over_the_destination_limit_is_an_error_and_the_rest_copy(
    src_server: ImapServer,
    dst_server: ImapServer,
    small_user: str,  # noqa: F811
    test_corpus: list[CorpusMessage],
) -> None:
    load_corpus(src_server, small_user, test_corpus)
    inbox = [m for m in test_corpus if m.folder == "INBOX"]
    too_big = next(uid for uid, m in enumerate(inbox, start=1) if len(m.raw) > SMALL_MAX_MAIL_SIZE)
    src, dst = pair(src_server, dst_server, small_user)
    state = MemoryState()

    result = copy_mailbox(src, dst, None, state)

    assert result.status == "partial"
    assert (result.errors, result.copied) == (1, len(test_corpus) - 1)
    error = result.error_list[0]
    assert (error.code, error.folder, error.kind, error.side) == ("message_refused", "INBOX", "size", "dst")
    assert error.uid == too_big
    assert "over the destination's limit of 1.0 MB (" in error.reason and "> 1048576 bytes)" in error.reason
    comparison = compare_mailbox(src, dst)
    assert (comparison.missing, comparison.duplicated) == (1, 0)

    again = copy_mailbox(src, dst, None, state)  # still refused, still reported, nothing duplicated
    assert (again.status, again.errors, again.copied) == ("partial", 1, 0)
    assert compare_mailbox(src, dst).duplicated == 0
