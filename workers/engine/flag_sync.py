"""Flag sync on later passes: bring source flag changes over, leave destination-side changes alone.

For each message whose source flags changed since the last pass (CONDSTORE: SEARCH MODSEQ, else
every message), the change is the difference with the flags last synced (the message map), and
only that difference is STOREd on the destination: a flag a user set or cleared on the destination
after cut-over survives unless the source changes that same flag.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from workers.engine.flags import normalise_flags, source_change
from workers.engine.session import ImapSession
from workers.engine.state import FolderCheckpoint, MessageRecord, SyncState

logger = logging.getLogger(__name__)


def changed_source_uids(src: ImapSession, saved: FolderCheckpoint) -> list[int]:
    """Source UIDs (<= last_uid) whose flags may have changed since the last pass."""
    if saved.last_uid <= 0:
        return []
    uid_range = f"1:{saved.last_uid}"
    if src.info.condstore and saved.highest_modseq is not None:
        return src.search_uids(["MODSEQ", str(saved.highest_modseq + 1), "UID", uid_range])
    return [uid for uid in src.search_uids(["UID", uid_range]) if uid <= saved.last_uid]


def sync_flags(
    src: ImapSession, dst: ImapSession, saved: FolderCheckpoint, state: SyncState
) -> list[MessageRecord]:
    """Apply source flag changes to the destination; the updated message records (to checkpoint)."""
    uids = changed_source_uids(src, saved)
    if not uids:
        return []
    fetched = src.fetch(uids, ["FLAGS"])
    records = state.messages(saved.folder, uids)
    additions: dict[frozenset[str], list[int]] = defaultdict(list)
    removals: dict[frozenset[str], list[int]] = defaultdict(list)
    updated: list[MessageRecord] = []
    for uid, record in records.items():
        if uid not in fetched or record.dst_uid is None:
            continue
        current = normalise_flags(fetched[uid].get(b"FLAGS") or ())
        change = source_change(record.flags, current)
        if not change:
            continue
        if change.added:
            additions[change.added].append(record.dst_uid)
        if change.removed:
            removals[change.removed].append(record.dst_uid)
        updated.append(MessageRecord(uid, record.dst_uid, current))
    if updated:
        dst.select(saved.dst_folder, readonly=False)
        for flags, dst_uids in additions.items():
            dst.store_flags(dst_uids, flags, add=True)
        for flags, dst_uids in removals.items():
            dst.store_flags(dst_uids, flags, add=False)
        logger.info("copy.flags_synced folder=%s messages=%d", saved.folder, len(updated))
    return updated
