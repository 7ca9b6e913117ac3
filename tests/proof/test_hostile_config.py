"""Hostile configuration: every wrong host, port, TLS mode or certificate gives a typed, readable error
(no traceback text, never the password) within a bounded time, and `copy_mailbox` returns, never raises.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from testbed.dovecot import ImapServer, free_ports
from testbed.faultproxy import FaultProxy
from tests.proof.conftest import FAST, endpoint
from workers.engine import imap as engine_imap
from workers.engine.copier import copy_mailbox
from workers.engine.errors import AuthFailed, ConnectFailed, CopyError, TlsFailed
from workers.engine.events import EngineEvent, FolderStarted
from workers.engine.imap import ImapEndpoint

pytestmark = pytest.mark.imap

PASSWORD = "Pw-7f3c-must-never-show"
NOW = dt.datetime.now(dt.UTC)


def _failure(target: ImapEndpoint, caplog: pytest.LogCaptureFixture) -> tuple[CopyError, float]:
    """The error of one login attempt and how long it took; checks that it reads well."""
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    with pytest.raises(CopyError) as info:
        engine_imap.test_login(target)
    seconds = time.monotonic() - started
    text = str(info.value)
    assert text and len(text) < 400 and "Traceback" not in text and 'File "' not in text, text
    assert PASSWORD not in text and PASSWORD not in caplog.text
    return info.value, seconds


def _with_password(target: ImapEndpoint) -> ImapEndpoint:
    return replace(target, password=PASSWORD)


def test_closed_port_fails_fast(src_server: ImapServer, caplog: pytest.LogCaptureFixture) -> None:
    (port,) = free_ports(1)
    target = ImapEndpoint("127.0.0.1", port, "plain", "someone", PASSWORD, timeout=10)
    error, seconds = _failure(target, caplog)
    assert isinstance(error, ConnectFailed) and "refused" in str(error) and seconds < 1
    result = copy_mailbox(target, _with_password(endpoint(src_server, "someone")))
    assert (result.status, result.error_code) == ("failed", "connect_failed")


@pytest.mark.parametrize("side", ["src", "dst"])
def test_port_that_never_answers_times_out(
    src_server: ImapServer, dst_server: ImapServer, side: str, caplog: pytest.LogCaptureFixture
) -> None:
    with FaultProxy(src_server.port_plain, mode="blackhole") as hole:
        silent = ImapEndpoint("127.0.0.1", hole.port, "plain", "someone", PASSWORD, timeout=2)
        error, seconds = _failure(silent, caplog)
        assert isinstance(error, ConnectFailed) and "timed out" in str(error) and seconds < 4
        good = endpoint(dst_server if side == "src" else src_server, "someone")
        started = time.monotonic()
        result = copy_mailbox(silent, good) if side == "src" else copy_mailbox(good, silent)
        assert time.monotonic() - started < 4
        assert hole.connections == 2  # one login test, one copy: nothing retried a dead port
    assert (result.status, result.error_code) == ("failed", "connect_failed")


def test_server_that_stops_answering_mid_session_fails_in_bounded_time(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    """Connected and logged in, then the source goes silent: the command's deadline ends it with a
    clear timeout (not retried within the job; the next run resumes from the checkpoint)."""
    from tests.proof.conftest import load_raw, message

    load_raw(src_server, imap_user, "INBOX", [message("hang")])
    with FaultProxy(src_server.port_plain) as proxy:

        def go_silent(event: EngineEvent) -> None:
            if isinstance(event, FolderStarted):
                proxy.mode, proxy.delay = "delay", 30.0

        src = endpoint(src_server, imap_user, port=proxy.port, timeout=1.0)
        started = time.monotonic()
        result = copy_mailbox(
            src, endpoint(dst_server, imap_user), replace(FAST, retries=1), on_event=go_silent
        )
        seconds = time.monotonic() - started
    assert (result.status, result.error_code) == ("failed", "timeout"), result
    assert result.retryable and "sent 0 bytes" in (result.message or "")
    assert seconds < 6 and "Traceback" not in (result.message or "")


@pytest.mark.parametrize(
    ("mode", "tls_port"),
    [("ssl", False), ("plain", True), ("starttls", True)],
    ids=["ssl-on-plain-port", "plain-on-tls-port", "starttls-on-tls-port"],
)
def test_wrong_tls_mode(
    src_server: ImapServer, mode: str, tls_port: bool, caplog: pytest.LogCaptureFixture
) -> None:
    port = src_server.port_ssl if tls_port else src_server.port_plain
    target = _with_password(endpoint(src_server, "someone", mode, port=port, timeout=2))  # type: ignore[arg-type]
    error, seconds = _failure(target, caplog)
    # A TLS port waits for a ClientHello while a plain client waits for the greeting: only a timeout.
    assert isinstance(error, (TlsFailed, ConnectFailed)) and seconds < 4, error
    if mode == "ssl":
        assert isinstance(error, TlsFailed) and "STARTTLS" in str(error)  # says which mode to pick
    else:
        assert "implicit TLS" in str(error)


def test_test_bed_ca_not_trusted_without_its_ca_file(
    src_server: ImapServer, caplog: pytest.LogCaptureFixture
) -> None:
    target = _with_password(endpoint(src_server, "someone", "ssl", ca_file=None))
    error, _ = _failure(target, caplog)
    assert isinstance(error, TlsFailed) and "not trusted" in str(error)
    relaxed = replace(target, verify_tls=False, password="secret")  # the explicit opt-out works
    assert "IMAP4REV1" in engine_imap.test_login(relaxed)


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _cert(
    subject_key: ec.EllipticCurvePrivateKey,
    issuer: tuple[ec.EllipticCurvePrivateKey, x509.Name] | None,
    valid: tuple[dt.datetime, dt.datetime],
    host: str = "127.0.0.1",
    ca: bool = False,
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "proof CA" if ca else host)])
    signer, issuer_name = issuer or (subject_key, name)
    san = x509.IPAddress(ipaddress.ip_address(host)) if host[0].isdigit() else x509.DNSName(host)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([san]), critical=False)
    return builder.sign(signer, hashes.SHA256())


@pytest.fixture(scope="module")
def proof_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[ec.EllipticCurvePrivateKey, x509.Name, Path]:
    key = _key()
    cert = _cert(key, None, (NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=30)), ca=True)
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert.subject, path


def _serve_tls(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey, tmp: Path) -> Iterator[int]:
    """An implicit-TLS "IMAP server" on loopback presenting `cert`; greets whoever completes the handshake."""
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.sendall(b"* OK [CAPABILITY IMAP4rev1] proof\r\n")
            except (OSError, ssl.SSLError):
                conn.close()  # the client refused our certificate: that is the point

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("expired", "expired"), ("self_signed", "self-signed"), ("wrong_host", "mismatch")],
)
def test_bad_certificate_with_verification_on(
    kind: str,
    expected: str,
    proof_ca: tuple[ec.EllipticCurvePrivateKey, x509.Name, Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ca_key, ca_name, ca_file = proof_ca
    key = _key()
    valid = (NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=30))
    if kind == "expired":
        cert = _cert(key, (ca_key, ca_name), (NOW - dt.timedelta(days=60), NOW - dt.timedelta(days=1)))
    elif kind == "self_signed":
        cert = _cert(key, None, valid)
    else:
        cert = _cert(key, (ca_key, ca_name), valid, host="mail.other.example")
    for port in _serve_tls(cert, key, tmp_path):
        target = ImapEndpoint("127.0.0.1", port, "ssl", "someone", PASSWORD, ca_file=str(ca_file), timeout=5)
        error, seconds = _failure(target, caplog)
        assert isinstance(error, TlsFailed) and expected in str(error).lower(), error
        assert seconds < 2
        result = copy_mailbox(target, target)
        assert (result.status, result.error_code) == ("failed", "tls_failed")
        assert expected in (result.message or "").lower()


def test_wrong_password_is_auth_failed(src_server: ImapServer, caplog: pytest.LogCaptureFixture) -> None:
    """The test bed accepts only "secret"; the wrong password must not appear anywhere."""
    target = _with_password(endpoint(src_server, "someone"))
    error, _ = _failure(target, caplog)
    assert isinstance(error, AuthFailed) and "someone" in str(error)
    result = copy_mailbox(target, target)
    assert (result.status, result.error_code) == ("failed", "auth_failed")
    assert PASSWORD not in result.model_dump_json()
