"""Destination names that had to change (pure): escaped separators and folders that would merge.

"Reports 1.5" on a "/" server cannot keep its name on a "." server, where "5" would become a child
folder: it becomes "Reports 1_5", and the plan says so (the item's `note`) instead of doing it
silently.

Two source folders never share a destination folder unless the user mapped them there explicitly:
merged, a message present in both would be found "already there" and copied once. Collisions come
from escaped names ("a.b" and "a_b"), from the INBOX namespace ("INBOX/Unterordner" and
"Unterordner" both become "INBOX.Unterordner" under an `INBOX.` prefix) and from special-use roles
(the source's Junk folder and a user folder named like the destination's Junk folder). An explicit
mapping is never moved, and may send a folder into another's destination on purpose. Otherwise one
folder keeps the name, by a fixed priority: special-use before translated, a name that needed no
escaping before an escaped one, the shallower source folder, then the first by name. The other gets
a name of its own ("INBOX.Unterordner (2)"), its subfolders follow it, and its note says why. The
priority depends only on the folders' names and roles, so every pass finds the same names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_RANK = {"explicit": 0, "inbox": 0, "special-use": 1}


@dataclass(frozen=True)
class Draft:
    """One source folder's destination before renames; `escaped`: a name component had a separator."""

    src: str
    dst: str
    escaped: bool
    reason: str = "translated"


def escaped_note(dst_separator: str, substitute: str) -> str:
    return f"renamed: '{dst_separator}' separates folders on the destination, so it became '{substitute}'"


def collision_note(dst: str, other: str, unique: str) -> str:
    return f"{dst!r} is already the destination of {other!r}, so this one goes to {unique!r}"


def resolve(
    drafts: Sequence[Draft], src_separator: str, dst_separator: str, substitute: str
) -> dict[str, tuple[str, str | None]]:
    """Source folder -> (destination, note) for every folder whose destination had to change."""

    def priority(draft: Draft) -> tuple[int, bool, int, str]:
        depth = draft.src.count(src_separator) if src_separator else 0
        return (_RANK.get(draft.reason, 2), draft.escaped, depth, draft.src)

    # Explicit mappings never move and claim nothing: the user may send folders anywhere, also into
    # the destination of another folder (which then keeps it).
    owner: dict[str, str] = {}
    for draft in sorted(drafts, key=priority):
        if draft.reason != "explicit":
            owner.setdefault(draft.dst, draft.src)
    taken = {d.dst for d in drafts}
    moved: list[tuple[str, str, str]] = []  # (source folder, old destination, new destination)
    result: dict[str, tuple[str, str | None]] = {}
    for draft in sorted(drafts, key=lambda d: d.src):  # parents first
        notes = [escaped_note(dst_separator, substitute)] if draft.escaped else []
        if draft.reason == "explicit":
            if notes:
                result[draft.src] = (draft.dst, notes[0])
            continue
        dst = _follow(draft, moved, src_separator, dst_separator)
        other = owner.get(dst)
        if other is not None and other != draft.src:
            unique = _unique(dst, taken)
            notes.append(collision_note(dst, other, unique))
            moved.append((draft.src, dst, unique))
            taken.add(unique)
            dst = unique
        owner[dst] = draft.src
        if dst != draft.dst or notes:
            result[draft.src] = (dst, "; ".join(notes) or None)
    return result


def _follow(draft: Draft, moved: list[tuple[str, str, str]], src_sep: str, dst_sep: str) -> str:
    """The draft's destination under its renamed ancestor, if one was renamed."""
    for src, old, new in moved:
        if src_sep and draft.src.startswith(src + src_sep) and draft.dst.startswith(old + dst_sep):
            return new + draft.dst[len(old) :]
    return draft.dst


def _unique(dst: str, taken: set[str]) -> str:
    n = 2
    while f"{dst} ({n})" in taken:
        n += 1
    return f"{dst} ({n})"
