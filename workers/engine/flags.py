"""Message flags (pure): normalisation, storage form, and the source-side change to bring over."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# \Recent is session state that a client can neither set nor copy (RFC 3501 6.4.6).
_NOT_COPIED = frozenset({"\\recent"})


def normalise_flags(raw: Iterable[bytes | str]) -> frozenset[str]:
    """Flags as FETCH returns them -> a set of str, without \\Recent."""
    flags = set()
    for flag in raw:
        text = flag.decode("ascii", "replace") if isinstance(flag, bytes) else flag
        if text and text.lower() not in _NOT_COPIED:
            flags.add(text)
    return frozenset(flags)


def flags_to_text(flags: Iterable[str]) -> str:
    """Storage form: sorted and space-separated (flags are atoms, they never contain spaces)."""
    return " ".join(sorted(flags))


def flags_from_text(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _fold(flags: frozenset[str]) -> dict[str, str]:
    # System flags are case-insensitive; compare them on a folded key but send the source spelling.
    return {flag.lower() if flag.startswith("\\") else flag: flag for flag in flags}


@dataclass(frozen=True)
class FlagChange:
    added: frozenset[str]
    removed: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


def source_change(last_synced: frozenset[str], current: frozenset[str]) -> FlagChange:
    """What changed on the source since the last sync; the destination's own changes are not touched."""
    before, after = _fold(last_synced), _fold(current)
    added = frozenset(after[key] for key in after.keys() - before.keys())
    removed = frozenset(before[key] for key in before.keys() - after.keys())
    return FlagChange(added, removed)


def flags_equal(left: frozenset[str], right: frozenset[str]) -> bool:
    return _fold(left).keys() == _fold(right).keys()
