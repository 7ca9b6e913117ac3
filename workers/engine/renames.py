"""Destination names that had to change (pure): a destination separator inside a source folder name.

"Reports 1.5" on a "/" server cannot keep its name on a "." server, where "5" would become a child
folder: it becomes "Reports 1_5", and the plan says so (the item's `note`) instead of doing it
silently. When the escaped name is also the destination of another source folder ("a.b" and "a_b"
both on the source), the two would be merged into one destination folder, and a message present in
both would be found "already there" and copied once. The escaped folder gets a name of its own
instead ("a_b (2)"), and its subfolders follow it. Folders mapped together on purpose (explicit
mapping, special-use) are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Draft:
    """One source folder's destination before renames; `escaped`: a name component had a separator."""

    src: str
    dst: str
    escaped: bool


def escaped_note(dst_separator: str, substitute: str) -> str:
    return f"renamed: '{dst_separator}' separates folders on the destination, so it became '{substitute}'"


def resolve(
    drafts: Sequence[Draft], src_separator: str, dst_separator: str, substitute: str
) -> dict[str, tuple[str, str]]:
    """Source folder -> (destination, note) for every escaped folder; the others keep their draft."""
    owner = {d.dst: d.src for d in drafts if not d.escaped}
    taken = {d.dst for d in drafts}
    moved: list[tuple[str, str, str]] = []  # (source folder, old destination, new destination)
    result: dict[str, tuple[str, str]] = {}
    for draft in sorted((d for d in drafts if d.escaped), key=lambda d: d.src):  # parents first
        dst = _follow(draft, moved, src_separator, dst_separator)
        note = escaped_note(dst_separator, substitute)
        other = owner.get(dst)
        if other is not None and other != draft.src:
            unique = _unique(dst, taken)
            note += f"; {dst!r} is already the destination of {other!r}, so this one goes to {unique!r}"
            moved.append((draft.src, dst, unique))
            taken.add(unique)
            dst = unique
        owner[dst] = draft.src
        result[draft.src] = (dst, note)
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
