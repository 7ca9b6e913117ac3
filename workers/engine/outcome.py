"""What became of one APPEND: the destination UID (when the server says), or why it was refused."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workers.engine.errors import MessageRefused

_APPENDUID = re.compile(rb"\[APPENDUID (\d+) ([0-9:,]+)\]", re.IGNORECASE)


@dataclass(frozen=True)
class AppendOutcome:
    src_uid: int
    dst_uid: int | None = None
    error: MessageRefused | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_appenduid(text: bytes) -> list[int] | None:
    """Destination UIDs from `[APPENDUID <validity> <uid-set>]`, in append order; None if absent."""
    match = _APPENDUID.search(text)
    if not match:
        return None
    uids: list[int] = []
    for part in match.group(2).decode("ascii").split(","):
        first, _, last = part.partition(":")
        low, high = sorted((int(first), int(last or first)))
        uids.extend(range(low, high + 1))
    return uids
