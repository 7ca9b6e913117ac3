"""Message identity: when are a source and a destination message "the same message"?

The identity is the normalised Message-ID, or, for messages without one, a hash of the headers that
identify a message in practice (Date, From, To, Cc, Subject) plus its size. Identities are compared
as multisets: two source messages with the same Message-ID are two messages, and each needs its own
counterpart on the destination.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict, deque
from collections.abc import Iterable
from email.parser import BytesHeaderParser
from email.policy import compat32

# What to fetch (in bulk, without setting \Seen) to compute identities.
IDENTITY_FIELDS = ("MESSAGE-ID", "DATE", "FROM", "TO", "CC", "SUBJECT")
IDENTITY_FETCH = "BODY.PEEK[HEADER.FIELDS ({})]".format(" ".join(IDENTITY_FIELDS))
IDENTITY_RESPONSE_PREFIX = b"BODY[HEADER.FIELDS"

_HASHED_FIELDS = ("date", "from", "to", "cc", "subject")
_ANGLE_ID = re.compile(r"<([^<>]*)>")
_parser = BytesHeaderParser(policy=compat32)


def _collapse(value: str) -> str:
    return " ".join(value.split())


def normalise_message_id(raw: str | None) -> str | None:
    """`<Abc@Example.COM>` -> `Abc@example.com`; None when there is no usable id.

    The local part stays case-sensitive (RFC 5322), the domain does not. Whitespace inside the
    brackets comes from folding and is dropped.
    """
    if not raw:
        return None
    match = _ANGLE_ID.search(raw)
    value = match.group(1) if match else raw
    value = "".join(value.split())
    if not value:
        return None
    local, at, domain = value.rpartition("@")
    if not at:
        return value
    return f"{local}@{domain.lower()}"


def identity_from_headers(header_block: bytes, size: int) -> str:
    """Identity of a message from its identity header fields (see IDENTITY_FETCH) and RFC822.SIZE."""
    headers = _parser.parsebytes(header_block)
    message_id = normalise_message_id(headers.get("message-id"))
    if message_id is not None:
        return "mid:" + message_id
    digest = hashlib.sha256()
    for field in _HASHED_FIELDS:
        value = headers.get(field) or ""
        # compat32 keeps undecodable 8-bit bytes as surrogates; hash the original bytes.
        digest.update(_collapse(str(value)).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    digest.update(str(size).encode())
    return "hdr:" + digest.hexdigest()[:32]


def header_block(fetched: dict[bytes, object]) -> bytes:
    """The identity header block from one FETCH response item (the key carries the field list)."""
    for key, value in fetched.items():
        if key.startswith(IDENTITY_RESPONSE_PREFIX) and isinstance(value, bytes):
            return value
    return b""


class IdentityIndex:
    """Multiset of identities on one side, each with the UIDs carrying it (lowest first).

    `take` consumes one occurrence, so duplicates are matched one for one.
    """

    def __init__(self, items: Iterable[tuple[str, int]] = ()) -> None:
        self._uids: dict[str, deque[int]] = defaultdict(deque)
        self._count = 0
        for identity, uid in items:
            self.add(identity, uid)

    def add(self, identity: str, uid: int) -> None:
        self._uids[identity].append(uid)
        self._count += 1

    def take(self, identity: str) -> int | None:
        """Consume one occurrence of `identity`; its UID, or None when there is none left."""
        uids = self._uids.get(identity)
        if not uids:
            return None
        self._count -= 1
        return uids.popleft()

    def count(self, identity: str) -> int:
        uids = self._uids.get(identity)
        return len(uids) if uids else 0

    def identities(self) -> list[str]:
        return [identity for identity, uids in self._uids.items() if uids]

    def __len__(self) -> int:
        return self._count
