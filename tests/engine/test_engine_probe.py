"""The server probe behind "Test connection": TLS, certificate, capabilities, layout, login."""

from __future__ import annotations

import dataclasses

import pytest

from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import endpoint
from workers.engine.imap import ImapEndpoint
from workers.engine.probe import probe_server

pytestmark = pytest.mark.imap


def test_ssl_with_login_reports_tls_certificate_and_layout(src_server: ImapServer, imap_user: str) -> None:
    probe = probe_server(endpoint(src_server, imap_user, "ssl"), login=True)
    assert probe.error is None and probe.login == "ok"
    assert probe.tls is not None and probe.tls.startswith("TLS")
    assert probe.certificate is not None and probe.certificate.startswith("trusted: ")
    assert "IMAP4REV1" in probe.capabilities
    assert probe.separator in (".", "/") and probe.namespace_prefix is not None


def test_without_login_and_with_a_wrong_password(dst_server: ImapServer, imap_user: str) -> None:
    plain = endpoint(dst_server, imap_user)
    anonymous = probe_server(plain, login=False)
    assert (anonymous.login, anonymous.tls, anonymous.certificate, anonymous.error) == (
        "skipped",
        None,
        None,
        None,
    )
    assert anonymous.capabilities and anonymous.separator is None
    refused = probe_server(dataclasses.replace(plain, password="wrong"), login=True)
    assert refused.login == "fail" and refused.error == f"login refused for {imap_user}"
    assert refused.capabilities  # what was learnt before the refusal is kept
    unverified = probe_server(
        endpoint(dst_server, imap_user, "ssl", ca_file=None, verify_tls=False), login=False
    )
    assert unverified.certificate is not None and unverified.certificate.startswith("not verified")


def test_an_untrusted_certificate_and_a_closed_port(src_server: ImapServer, imap_user: str) -> None:
    untrusted = probe_server(endpoint(src_server, imap_user, "ssl", ca_file=None), login=True)
    assert untrusted.error is not None and "certificate not trusted" in untrusted.error
    assert (untrusted.login, untrusted.capabilities) == ("skipped", [])
    closed = probe_server(ImapEndpoint("127.0.0.1", 1, "plain", "u", "p", timeout=2), login=False)
    assert closed.error == "connection refused by 127.0.0.1:1"
