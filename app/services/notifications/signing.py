"""Webhook signatures: `X-ImapCopier-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.

The timestamp is inside the signed text, so a receiver can reject a replayed delivery by its age.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-ImapCopier-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header value for `body` sent at `timestamp` (unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(
    secret: str, body: bytes, header: str, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> bool:
    """What a receiver does: the HMAC matches and the timestamp is recent."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
