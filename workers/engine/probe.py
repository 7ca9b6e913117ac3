"""Probe one IMAP server for the endpoint form's "Test connection": TLS, the certificate, the
capabilities, the hierarchy separator and namespace prefix, and (optionally) a test login.

Nothing here raises for a server problem: every failure becomes the probe's `error`, so a caller can
show what was learnt before it failed.
"""

from __future__ import annotations

import contextlib
import imaplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from workers.engine.errors import CopyError
from workers.engine.imap import ImapEndpoint, _close_quietly, _open

LoginState = Literal["ok", "fail", "skipped"]


@dataclass
class Probe:
    tls: str | None = None  # the negotiated TLS version, None for a plain connection
    certificate: str | None = None
    capabilities: list[str] = field(default_factory=list)
    separator: str | None = None
    namespace_prefix: str | None = None
    login: LoginState = "skipped"
    error: str | None = None


def _name(parts: Any) -> str:
    """`CN=…` of a certificate's subject or issuer as getpeercert() returns it."""
    names = {key: value for rdn in parts or () for key, value in rdn}
    return str(names.get("commonName") or names.get("organizationName") or "?")


def _certificate(sock: Any, verified: bool) -> str | None:
    if not isinstance(sock, ssl.SSLSocket):
        return None
    cert = sock.getpeercert() if verified else None
    if not cert:
        return "not verified (certificate checks are off for this server)"
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(str(cert["notAfter"])), UTC)
    return (
        f"trusted: {_name(cert.get('subject'))}, issued by {_name(cert.get('issuer'))},"
        f" valid until {expires:%Y-%m-%d}"
    )


def _capabilities(client: IMAPClient) -> list[str]:
    return sorted(c.decode("ascii", "replace").upper() for c in client.capabilities())


def _text(value: str | bytes | None) -> str | None:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _layout(client: IMAPClient, probe: Probe) -> None:
    """Separator and personal namespace prefix (NAMESPACE, else the LIST "" "" delimiter)."""
    if client.has_capability("NAMESPACE"):
        personal = client.namespace().personal
        if personal:
            prefix, separator = personal[0]
            probe.namespace_prefix = _text(prefix) or ""
            probe.separator = _text(separator)
            return
    probe.namespace_prefix = ""
    reply = client._imap.list('""', '""')  # the hierarchy delimiter, per RFC 3501 6.3.8
    for line in reply[1] or ():
        if isinstance(line, bytes) and line.count(b'"') >= 2:
            probe.separator = line.split(b'"')[1].decode() or None


def probe_server(endpoint: ImapEndpoint, login: bool) -> Probe:
    """Connect (and log in when `login`), and report what was found."""
    probe = Probe()
    try:
        client = _open(endpoint, "IMAP")
    except CopyError as exc:
        probe.error = exc.message
        return probe
    try:
        sock = client.socket()
        probe.tls = sock.version() if isinstance(sock, ssl.SSLSocket) else None
        probe.certificate = _certificate(sock, endpoint.verify_tls)
        probe.capabilities = _capabilities(client)
        if not login:
            return probe
        try:
            client.login(endpoint.username, endpoint.password)
        except LoginError:
            probe.login, probe.error = "fail", f"login refused for {endpoint.username}"
            return probe
        probe.login = "ok"
        probe.capabilities = _capabilities(client)
        _layout(client, probe)
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    except (OSError, imaplib.IMAP4.error) as exc:
        probe.error = f"{endpoint.host}:{endpoint.port}: {exc or exc.__class__.__name__}"
    finally:
        _close_quietly(client)
    return probe
