"""Connecting to an IMAP server, and turning imaplib/socket/ssl failures into engine errors.

Everything that can raise from the network goes through `connect()` or `imap_errors()`, so callers
only ever see `workers.engine.errors` types.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from imapclient import IMAPClient
from imapclient.exceptions import LoginError, ProtocolError

from workers.engine.errors import (
    AuthFailed,
    CommandTimeout,
    ConnectFailed,
    CopyError,
    FolderUnavailable,
    Throttled,
    TlsFailed,
    TransientImapError,
)
from workers.engine.guard import ReadLimits, ResponseGuard, malformed
from workers.engine.guarded_client import GuardedClient
from workers.engine.sasl import SaslMechanism, TokenProvider
from workers.engine.sasl import login as sasl_login

logger = logging.getLogger(__name__)

TlsMode = Literal["ssl", "starttls", "plain"]
# Replies that mean "slow down / come back later" (RFC 5530 UNAVAILABLE, Exchange's THROTTLED and
# "Request is throttled. Suggested Backoff Time: N milliseconds", Gmail's "Account exceeded command or
# bandwidth limits"): docs/providers.md.
_THROTTLE_CODES = re.compile(
    rb"\[(UNAVAILABLE|THROTTLED|INUSE)\]|too many (simultaneous )?connections|rate limit"
    rb"|request is throttled|suggested backoff time|exceeded command or bandwidth limits",
    re.IGNORECASE,
)
_SUGGESTED = re.compile(rb"suggested backoff time: *(\d+) *milliseconds", re.IGNORECASE)
# What imaplib and imapclient raise on a reply they cannot parse (imapclient's parser raises plain
# Python errors on items of the wrong type, and recurses once per nested parenthesis).
PARSE_ERRORS = (ProtocolError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)
# imaplib's own words for a line it cannot make sense of (raised as IMAP4.abort, not a lost connection).
_UNPARSABLE = re.compile(r"unexpected response|unterminated line|got more than")


@dataclass(frozen=True)
class ImapEndpoint:
    """Where and how to log in. The password never appears in repr() or logs.

    With a `token_provider`, the login is SASL XOAUTH2/OAUTHBEARER with a token asked for at every
    connect (workers/engine/sasl.py) and `password` is unused.
    """

    host: str
    port: int
    tls_mode: TlsMode
    username: str
    password: str = field(repr=False)
    verify_tls: bool = True
    timeout: float = 30.0
    ca_file: str | None = None
    limits: ReadLimits = field(default_factory=ReadLimits)
    token_provider: TokenProvider | None = field(default=None, repr=False, compare=False)
    sasl_mechanism: SaslMechanism = "auto"

    def describe(self) -> str:
        return f"{self.username}@{self.host}:{self.port}"


def ssl_context(endpoint: ImapEndpoint) -> ssl.SSLContext | None:
    """Verifying context (system store, or `ca_file`), or a non-verifying one when opted out."""
    if endpoint.tls_mode == "plain":
        return None  # loading the CA store costs milliseconds per connection
    context = ssl.create_default_context(cafile=endpoint.ca_file)
    if not endpoint.verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _tls_message(exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted: {exc.verify_message}"
    if exc.reason in ("WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "HTTP_REQUEST"):
        # The usual cause: implicit TLS against a plain/STARTTLS port (143).
        return "the server does not speak TLS on this port: for port 143 choose STARTTLS (or plain)"
    return f"TLS handshake failed: {exc.reason or exc.__class__.__name__}"


def _open(endpoint: ImapEndpoint, side: str) -> GuardedClient:
    where = endpoint.describe()
    context = ssl_context(endpoint)
    try:
        client = GuardedClient(
            ResponseGuard(endpoint.limits, endpoint.timeout, side),
            endpoint.host,
            port=endpoint.port,
            ssl=endpoint.tls_mode == "ssl",
            ssl_context=context,
            timeout=endpoint.timeout,
        )
    except ssl.SSLError as exc:
        raise TlsFailed(f"{_tls_message(exc)} ({endpoint.host}:{endpoint.port})") from exc
    except socket.gaierror as exc:
        raise ConnectFailed(f"cannot resolve host {endpoint.host}") from exc
    except ConnectionRefusedError as exc:
        raise ConnectFailed(f"connection refused by {endpoint.host}:{endpoint.port}") from exc
    except (TimeoutError, CommandTimeout) as exc:  # the greeting never came (the guard's deadline)
        hint = ""
        if endpoint.tls_mode != "ssl":
            # A plain/STARTTLS client on an implicit-TLS port (993) waits for a greeting that the
            # server, waiting for a TLS handshake, never sends.
            hint = "; if this port expects implicit TLS (usually 993), choose TLS mode ssl"
        timed_out = ConnectFailed(f"timed out connecting to {endpoint.host}:{endpoint.port}{hint}")
        timed_out.kind = "timeout"
        raise timed_out from exc
    except (ConnectionResetError, BrokenPipeError, imaplib.IMAP4.abort) as exc:
        # Accepted, then dropped before the greeting: typically a server restarting. Worth another
        # try (a refused or silent port, by contrast, is a configuration error and fails at once).
        raise TransientImapError(f"{endpoint.host}:{endpoint.port} dropped the connection: {exc}") from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ConnectFailed(f"cannot connect to {endpoint.host}:{endpoint.port}: {exc}") from exc
    client.normalise_times = False  # keep INTERNALDATE's own zone offset when copying it
    # IMAPClient sets imaplib's debug level to 5 to forward its messages to logging; imaplib then
    # formats every untagged response with %r (whole message bodies) before the logger drops it.
    # That costs about a third of a full copy's CPU time.
    client._imap.debug = 0
    if endpoint.tls_mode == "starttls":
        _starttls(client, context, where)
    return client


def _starttls(client: GuardedClient, context: ssl.SSLContext | None, where: str) -> None:
    try:
        if not client.has_capability("STARTTLS"):
            raise TlsFailed(f"{where} does not offer STARTTLS; use implicit TLS or plain explicitly")
        client.starttls(context)
    except ssl.SSLError as exc:
        raise TlsFailed(f"{_tls_message(exc)} ({where})") from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise TlsFailed(f"STARTTLS failed on {where}: {exc}") from exc


def connect(endpoint: ImapEndpoint, side: str = "IMAP") -> GuardedClient:
    """Open, secure and log in (a password, or an OAuth2 token from the endpoint's provider);
    `side` ("source", "destination") names the server in errors.

    Raises:
        ConnectFailed, TlsFailed, AuthFailed, TokenFailed; CommandTimeout, ResponseTooLarge,
        MalformedResponse.
    """
    client = _open(endpoint, side)
    try:
        if endpoint.token_provider is None:
            client.login(endpoint.username, endpoint.password)
        else:
            sasl_login(client, endpoint.username, endpoint.token_provider, endpoint.sasl_mechanism)
    except CopyError:
        _close_quietly(client)  # TokenFailed: the token endpoint refused us
        raise
    except LoginError as exc:
        _close_quietly(client)
        if is_throttle_response(str(exc).encode("utf-8", "replace")):
            # "[UNAVAILABLE] Temporary authentication failure", "too many connections": not the password.
            raise Throttled(f"{endpoint.host} refused the login for now: {_short(exc)}") from exc
        if endpoint.token_provider:
            raise AuthFailed(f"{endpoint.host} refused the OAuth2 token for {endpoint.username}") from exc
        raise AuthFailed(f"login refused for {endpoint.username} on {endpoint.host}") from exc
    except PARSE_ERRORS as exc:
        _close_quietly(client)
        raise malformed(exc) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        _close_quietly(client)
        raise ConnectFailed(f"connection to {endpoint.describe()} lost during login: {exc}") from exc
    logger.debug("imap.connected endpoint=%s", endpoint.describe())
    return client


def _close_quietly(client: IMAPClient) -> None:
    # Closing a connection that is already broken may fail again; there is nothing left to save.
    with contextlib.suppress(OSError, imaplib.IMAP4.error, CopyError):
        client.shutdown()


def close(client: IMAPClient) -> None:
    """LOGOUT, or drop the socket when the session is already broken (or the server misbehaved:
    its stream is out of step, and a LOGOUT would only read more of it)."""
    if isinstance(client, GuardedClient) and client.guard.tripped is not None:
        _close_quietly(client)
        return
    try:
        client.logout()
    except (OSError, imaplib.IMAP4.error, CopyError, *PARSE_ERRORS):
        _close_quietly(client)


def test_login(endpoint: ImapEndpoint) -> frozenset[str]:
    """Connect and log in once (the account "test" button); the server's capabilities on success.

    Raises:
        ConnectFailed, TlsFailed, AuthFailed.
    """
    client = connect(endpoint)
    try:
        with imap_errors("reading capabilities"):
            return frozenset(c.decode("ascii", "replace").upper() for c in client.capabilities())
    finally:
        close(client)


@contextlib.contextmanager
def imap_errors(action: str, permanent: type[CopyError] = FolderUnavailable) -> Iterator[None]:
    """Translate failures while `action` runs: broken sessions are transient, refusals permanent."""
    try:
        yield
    except CopyError:
        raise
    except PARSE_ERRORS as exc:
        raise malformed(exc) from exc
    except imaplib.IMAP4.abort as exc:
        if _UNPARSABLE.search(str(exc)):
            raise malformed(exc) from exc
        raise TransientImapError(f"connection lost while {action}: {_short(exc)}") from exc
    except (ssl.SSLError, OSError, EOFError) as exc:
        # IMAP4.abort covers BYE and EOF; OSError covers resets and socket timeouts mid-session.
        raise TransientImapError(f"connection lost while {action}: {_short(exc)}") from exc
    except imaplib.IMAP4.error as exc:
        text = str(exc).encode("utf-8", "replace")
        if _THROTTLE_CODES.search(text):
            raise throttled(f"server is throttling us while {action}: {_short(exc)}", text) from exc
        raise permanent(f"{action} failed: {_short(exc)}") from exc


def reply_bytes(data: Sequence[Any]) -> bytes:
    """A tagged reply's text: imaplib's data items (bytes, or None and tuples) joined."""
    return b" ".join(d for d in data if isinstance(d, bytes))


def is_throttle_response(text: bytes) -> bool:
    return _THROTTLE_CODES.search(text) is not None


def suggested_wait(text: bytes) -> float | None:
    """Exchange's "Suggested Backoff Time: N milliseconds", in seconds; None when the reply has none."""
    match = _SUGGESTED.search(text)
    return int(match.group(1)) / 1000 if match else None


def throttled(reason: str, text: bytes) -> Throttled:
    """The Throttled error for a throttling reply: its retry wait is the server's suggestion if any."""
    wait = suggested_wait(text)
    return Throttled(reason) if wait is None else Throttled(reason, retry_after=wait)


def _short(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return text if len(text) <= 300 else text[:297] + "..."
