"""Comparing one mapped folder pair as identity multisets: missing, duplicated, flags differing."""

from __future__ import annotations

from collections import defaultdict

from workers.engine.fetcher import identities
from workers.engine.flags import flags_equal
from workers.engine.plan import FolderMapping
from workers.engine.results import FolderComparison
from workers.engine.session import ImapSession
from workers.engine.verify import body_digests

_MAX_LISTED_UIDS = 50

Side = dict[str, list[tuple[int, frozenset[str]]]]


def _read_side(session: ImapSession, folder: str) -> tuple[Side, int]:
    session.select(folder, readonly=True)
    uids = session.search_uids(["ALL"])
    side: Side = defaultdict(list)
    for uid, identity, flags in identities(session, uids):
        side[identity].append((uid, flags))
    return side, len(uids)


def compare_folder(
    src: ImapSession, dst: ImapSession, mapping: FolderMapping, deep: bool = False
) -> FolderComparison:
    """Pair source and destination messages identity by identity, in UID order; `deep` also hashes
    every paired message on both sides to find those the destination stored altered."""
    source, src_count = _read_side(src, mapping.src)
    target: Side = {}
    dst_count = 0
    if mapping.dst_exists:
        target, dst_count = _read_side(dst, mapping.dst)
    missing: list[int] = []
    duplicated: list[int] = []
    flag_differences = 0
    paired: list[tuple[int, int]] = []
    for identity in source.keys() | target.keys():
        ours, theirs = source.get(identity, []), target.get(identity, [])
        missing.extend(uid for uid, _ in ours[len(theirs) :])
        duplicated.extend(uid for uid, _ in theirs[len(ours) :])
        flag_differences += sum(
            1 for (_, a), (_, b) in zip(ours, theirs, strict=False) if not flags_equal(a, b)
        )
        paired.extend((a, b) for (a, _), (b, _) in zip(ours, theirs, strict=False))
    altered = _altered(src, dst, mapping, paired) if deep and paired else []
    return FolderComparison(
        src=mapping.src,
        dst=mapping.dst,
        src_messages=src_count,
        dst_messages=dst_count,
        missing=len(missing),
        duplicated=len(duplicated),
        flag_differences=flag_differences,
        missing_uids=tuple(sorted(missing)[:_MAX_LISTED_UIDS]),
        duplicated_uids=tuple(sorted(duplicated)[:_MAX_LISTED_UIDS]),
        dst_exists=mapping.dst_exists,
        altered=len(altered),
        altered_uids=tuple(sorted(altered)[:_MAX_LISTED_UIDS]),
    )


def _altered(
    src: ImapSession, dst: ImapSession, mapping: FolderMapping, paired: list[tuple[int, int]]
) -> list[int]:
    """Source UIDs whose paired destination message differs in any byte."""
    src.select(mapping.src, readonly=True)
    theirs = body_digests(src, sorted(a for a, _ in paired))
    dst.select(mapping.dst, readonly=True)
    ours = body_digests(dst, sorted(b for _, b in paired))
    return [a for a, b in paired if a in theirs and b in ours and theirs[a] != ours[b]]
