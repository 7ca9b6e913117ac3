"""Engine error types: what went wrong, in words a mail admin can act on.

Each class has a stable `code` (stored on runs, shown in the UI, used by scripts), a `kind` (what
went wrong, for people: connection, tls, login, folder, message...) and a short message without
traceback text; `side` says which server it came from ("src", "dst", or None when unknown), set
where that is known (docs/console.md, "Error items"). `imap.py` converts imaplib/socket/ssl errors
into these with `raise ... from exc`; callers decide on retry from the class alone, never the text.
"""

from __future__ import annotations


class CopyError(Exception):
    """Base of every error the engine raises on purpose."""

    code = "copy_error"
    kind = "protocol"
    side: str | None = None
    retryable = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def on_side(self, side: str) -> CopyError:
        """Name the server the error came from, unless already named; returns self (for raise)."""
        if self.side is None:
            self.side = side
        return self

    def __str__(self) -> str:
        return self.message


class AuthFailed(CopyError):
    """The server refused the username or password."""

    code = "auth_failed"
    kind = "login"


class TlsFailed(CopyError):
    """TLS could not be set up: bad certificate, no STARTTLS, protocol mismatch."""

    code = "tls_failed"
    kind = "tls"


class ConnectFailed(CopyError):
    """The server could not be reached: DNS, refused, timed out while connecting."""

    code = "connect_failed"
    kind = "connection"


class FolderUnavailable(CopyError):
    """A folder could not be selected, listed or created."""

    code = "folder_unavailable"
    kind = "folder"


class MessageRefused(CopyError):
    """The destination permanently refused one message (size limit, invalid content...)."""

    code = "message_refused"
    kind = "message"
    side = "dst"  # only the destination refuses a message


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def too_big(size: int, limit: int) -> MessageRefused:
    """The refusal for a message over the destination's APPENDLIMIT (sizes an admin can read)."""
    error = MessageRefused(
        f"message of {_mb(size)} is over the destination's limit of {_mb(limit)} ({size} > {limit} bytes)"
    )
    error.kind = "size"
    return error


class TransientImapError(CopyError):
    """The session broke mid-way (dropped connection, BYE, timeout): retry on a new connection."""

    code = "connection_lost"
    kind = "connection"
    retryable = True


class Throttled(TransientImapError):
    """The server asked us to slow down; retry after `retry_after` seconds."""

    code = "throttled"
    kind = "throttled"

    def __init__(self, message: str, retry_after: float = 30.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class MalformedResponse(CopyError):
    """A server sent a reply that does not parse (bad syntax, items of the wrong type, nesting too
    deep). Not retried within the job: a server that sends one usually sends it again."""

    code = "malformed_response"


class ResponseTooLarge(CopyError):
    """A server tried to make us read more than the limits allow: a literal far over the message's
    RFC822.SIZE or the maximum message size, or too many untagged responses to one command.
    `uid` names the message when the literal belongs to one."""

    code = "response_too_large"

    def __init__(self, message: str, uid: int | None = None) -> None:
        super().__init__(message)
        self.uid = uid


class CommandTimeout(CopyError):
    """One command took longer than its deadline (the socket timeout plus the time its bytes need at
    the minimum throughput): a server trickling its answer. The next run may fare better."""

    code = "timeout"
    retryable = True
