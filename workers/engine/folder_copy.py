"""Copying one folder: delta detection, flag sync, dedup, batches, checkpoints.

The invariants (see state.py): every source UID <= last_uid is on the destination; every message
appended before a checkpoint is either in the message map or above the checkpointed destination
UIDNEXT, where the next pass looks for it by identity before appending anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from workers.engine.appender import AppendOutcome, append_batch
from workers.engine.dedup import scan_destination
from workers.engine.errors import CopyError, MessageRefused, too_big
from workers.engine.events import EventSink, Progress
from workers.engine.fetcher import MessageMeta, batches, fetch_bodies, iter_meta
from workers.engine.flag_sync import sync_flags
from workers.engine.identity import IdentityIndex
from workers.engine.large import SpooledMessage, append_spooled, spool
from workers.engine.options import CopyOptions
from workers.engine.plan import FolderMapping
from workers.engine.prefetch import prefetched
from workers.engine.results import FolderStatusName
from workers.engine.session import FetchResult, FolderStatus, ImapSession, OutgoingMessage
from workers.engine.state import FolderCheckpoint, MessageRecord, SyncState
from workers.engine.verify import Sent, altered_uids

logger = logging.getLogger(__name__)


@dataclass
class FolderTally:
    """Running counts of one folder; kept across reconnections so a retry does not reset them."""

    copied: int = 0
    skipped: int = 0
    errors: int = 0
    bytes: int = 0
    flags_updated: int = 0
    altered: int = 0
    done: int = 0
    total: int = 0
    # UIDs whose literal broke the limits: left out of the retries, and the checkpoint stays below them.
    refused: set[int] = field(default_factory=set)
    # Appended, not yet checked against what was sent (verify.py); a retry still checks them.
    unchecked: list[Sent] = field(default_factory=list)

    @property
    def progress(self) -> int:
        """Grows whenever a try gets further: messages checkpointed, or set aside as refused."""
        return self.done + len(self.refused)


@dataclass
class PreparedBatch:
    """One batch read from the source: already on the destination, too big, or to append
    (in memory, or spooled to disk when larger than `large_message_bytes`)."""

    metas: list[MessageMeta]
    found: list[MessageRecord] = field(default_factory=list)
    too_big: list[MessageMeta] = field(default_factory=list)
    over_max: list[MessageMeta] = field(default_factory=list)
    messages: list[OutgoingMessage] = field(default_factory=list)
    spooled: list[SpooledMessage] = field(default_factory=list)

    def close(self) -> None:
        """Delete the spooled messages' temporary files."""
        for message in self.spooled:
            message.close()


@dataclass
class FolderCopy:
    src: ImapSession
    dst: ImapSession
    mapping: FolderMapping
    state: SyncState
    options: CopyOptions
    emit: EventSink
    should_stop: Callable[[], bool]
    report: Callable[[CopyError, str, int | None], None]
    tally: FolderTally = field(default_factory=FolderTally)
    blocked_at: int | None = None
    dst_uids_unknown: bool = False

    def run(self, saved: FolderCheckpoint | None, status: FolderStatus | None = None) -> FolderStatusName:
        """Copy what is new; "unchanged" when the source STATUS shows nothing to do.

        `status` is the source folder's STATUS when the caller already has a fresh one.
        """
        self.blocked_at = min(self.tally.refused, default=None)
        self.dst_uids_unknown = False
        status = status or self.src.status(self.mapping.src)
        saved = self._still_valid(saved, status.uidvalidity)
        if saved is not None and self._unchanged(saved, status):
            self._check()  # left by a try that lost its connection
            return "unchanged"
        # The two servers answer at the same time: the destination's SELECT (selected for the
        # appends' checks) and the source's EXAMINE + SEARCH (docs/performance.md).
        first_uid = saved.last_uid + 1 if saved is not None else 1
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dst-select") as pool:
            selecting = pool.submit(self.dst.select_status, self.mapping.dst)
            # On a source error, leaving the block still waits for the SELECT (its error is dropped).
            candidates = self.src.examine_uids_from(self.mapping.src, first_uid)
            dst_status = selecting.result()
        if saved is not None and saved.dst_uidvalidity != dst_status.uidvalidity:
            logger.warning("copy.folder_reset folder=%s reason=dst_uidvalidity", self.mapping.src)
            self.state.reset_folder(self.mapping.src)
            saved = None
            candidates = self.src.uids_from(1)
        if saved is None:
            # Empty destination folder: nothing to scan. Otherwise compare the whole folder once.
            scan_from = dst_status.uidnext if dst_status.messages == 0 else 1
            base = FolderCheckpoint(self.mapping.src, self.mapping.dst, status.uidvalidity, 0)
        else:
            scan_from = saved.dst_uidnext or 1
            base = saved
        base = base.replace(uidnext=None, dst_uidvalidity=dst_status.uidvalidity, dst_uidnext=scan_from)
        if saved is not None and self.options.sync_flags:
            records = sync_flags(self.src, self.dst, saved, self.state)
            if records:
                self.state.checkpoint(base, records)
                self.tally.flags_updated += len(records)
        base = base.replace(highest_modseq=status.highest_modseq)
        return self._copy_new(base, status, candidates, dst_status.uidnext, saved is not None)

    def _still_valid(self, saved: FolderCheckpoint | None, uidvalidity: int) -> FolderCheckpoint | None:
        if saved is None:
            return None
        if saved.uidvalidity != uidvalidity or saved.dst_folder != self.mapping.dst:
            reason = "uidvalidity" if saved.uidvalidity != uidvalidity else "mapping"
            logger.warning("copy.folder_reset folder=%s reason=%s", self.mapping.src, reason)
            self.state.reset_folder(self.mapping.src)
            return None
        return saved

    def _unchanged(self, saved: FolderCheckpoint, status: FolderStatus) -> bool:
        if saved.uidnext is None or saved.uidnext != status.uidnext:
            return False
        if not self.options.sync_flags:
            return True
        return saved.highest_modseq is not None and saved.highest_modseq == status.highest_modseq

    def _copy_new(
        self,
        base: FolderCheckpoint,
        status: FolderStatus,
        candidates: list[int],
        dst_uidnext: int,
        has_map: bool,
    ) -> FolderStatusName:
        """Copy `candidates` (the source UIDs above the checkpoint) not yet mapped or refused."""
        above = self.state.messages_above(base.folder, base.last_uid)
        skip = above.keys() | self.tally.refused
        new_uids = [uid for uid in candidates if uid not in skip]
        self.tally.total = self.tally.done + len(new_uids)  # a retry continues where it stopped
        index = IdentityIndex()
        scan_from = base.dst_uidnext or 1
        if new_uids and dst_uidnext > scan_from:
            known = self._mapped_dst_uids() if has_map else set()
            index = scan_destination(self.dst, base.dst_folder, scan_from, known)
        highest_dst_uid = dst_uidnext - 1
        state = base
        metas = iter_meta(self.src, new_uids, with_identity=len(index) > 0)
        limit = self.dst.info.append_limit
        groups = batches(metas, self.options.batch_bytes, self.options.batch_messages)
        prepared = prefetched(self._prepare(batch, index, limit) for batch in groups)
        try:
            for batch in prepared:
                try:
                    if self.should_stop():
                        self._check()
                        return "cancelled"
                    records, highest = self._apply(batch)
                finally:
                    batch.close()
                highest_dst_uid = max(highest_dst_uid, highest)
                if self.blocked_at is None:
                    state = state.replace(last_uid=batch.metas[-1].uid)
                self.state.checkpoint(state, records)
                self.tally.done += len(batch.metas)
                self.emit(Progress(base.folder, *self._counts()))
        finally:
            prepared.close()  # waits for a prefetch in flight: the source session is ours again
        return self._finish(state, status, new_uids, highest_dst_uid + 1)

    def _mapped_dst_uids(self) -> set[int]:
        records = self.state.messages_above(self.mapping.src, 0).values()
        return {r.dst_uid for r in records if r.dst_uid is not None}

    def _counts(self) -> tuple[int, int, int, int, int, int]:
        t = self.tally
        return t.copied, t.skipped, t.errors, t.bytes, t.done, t.total

    def _prepare(self, batch: list[MessageMeta], index: IdentityIndex, limit: int | None) -> PreparedBatch:
        """Source side of a batch (runs in the prefetch thread): dedup decisions, then bodies."""
        prepared = PreparedBatch(batch)
        outgoing: list[MessageMeta] = []
        max_size = self.src.endpoint.limits.max_message_bytes
        for meta in batch:
            dst_uid = index.take(meta.identity) if meta.identity is not None else None
            if dst_uid is not None:
                prepared.found.append(MessageRecord(meta.uid, dst_uid, meta.flags))
            elif limit is not None and meta.size > limit:
                prepared.too_big.append(meta)
            elif meta.size > max_size:
                prepared.over_max.append(meta)
            else:
                outgoing.append(meta)
        threshold = self.options.large_message_bytes
        in_memory = [meta for meta in outgoing if meta.size <= threshold]
        if in_memory:
            prepared.messages = fetch_bodies(self.src, in_memory)
        try:
            for meta in outgoing:
                if meta.size > threshold and (spooled := spool(self.src, meta)) is not None:
                    prepared.spooled.append(spooled)
        except BaseException:
            prepared.close()
            raise
        return prepared

    def _apply(self, batch: PreparedBatch) -> tuple[list[MessageRecord], int]:
        """Destination side of a batch: append, count, and the message records to checkpoint.

        What the destination stored is checked one batch late, in the next batch's round trip
        (`tally.unchecked`), or right away where MULTIAPPEND leaves no pipeline to ride in."""
        records = list(batch.found)
        self.tally.skipped += len(batch.found)
        limit = self.dst.info.append_limit
        for meta in batch.too_big:
            self._failed(meta.uid, too_big(meta.size, limit or 0))
        max_size = self.src.endpoint.limits.max_message_bytes
        for meta in batch.over_max:
            reason = f"message of {meta.size:,} bytes is over the maximum message size of {max_size:,} bytes"
            self._failed(meta.uid, MessageRefused(f"{reason}; not read"))
        highest = 0
        sent: list[Sent] = []  # what the destination should now hold, to check
        if batch.messages:
            pending = [s.dst_uid for s in self.tally.unchecked]
            appended = append_batch(self.dst, self.mapping.dst, batch.messages, pending)
            if appended.stored is not None:
                self._check(appended.stored)
            for message, outcome in zip(batch.messages, appended.outcomes, strict=True):
                highest = max(highest, self._appended(outcome, len(message.body), message.flags, records))
                if outcome.dst_uid is not None:
                    sent.append(Sent.of(outcome.dst_uid, message.body))
        for spooled in batch.spooled:
            outcome = append_spooled(self.dst, self.mapping.dst, spooled)
            highest = max(highest, self._appended(outcome, spooled.size, spooled.flags, records))
            if outcome.dst_uid is not None:
                sent.append(Sent(outcome.dst_uid, spooled.size, None))
        self.tally.unchecked.extend(sent)
        if self.dst.info.has("MULTIAPPEND"):
            self._check()
        return records, highest

    def _check(self, stored: FetchResult | None = None) -> None:
        """Compare what the destination stored with what was sent, for `tally.unchecked`."""
        if self.tally.unchecked:
            self.tally.altered += len(altered_uids(self.dst, self.mapping.dst, self.tally.unchecked, stored))
            self.tally.unchecked = []

    def _appended(
        self, outcome: AppendOutcome, size: int, flags: frozenset[str], records: list[MessageRecord]
    ) -> int:
        """Count one append outcome; the destination UID (0 when unknown or refused)."""
        if outcome.error is not None:
            self._failed(outcome.src_uid, outcome.error)
            return 0
        self.tally.copied += 1
        self.tally.bytes += size
        records.append(MessageRecord(outcome.src_uid, outcome.dst_uid, flags))
        if outcome.dst_uid is None:
            self.dst_uids_unknown = True
        return outcome.dst_uid or 0

    def _failed(self, uid: int, error: CopyError) -> None:
        self.tally.errors += 1
        if self.blocked_at is None or uid < self.blocked_at:
            self.blocked_at = uid
        self.report(error, self.mapping.src, uid)

    def _finish(
        self, state: FolderCheckpoint, status: FolderStatus, new_uids: list[int], dst_uidnext: int
    ) -> FolderStatusName:
        """Final checkpoint. Destination messages below the new dst_uidnext are all accounted for:
        mapped, or seen by this pass's scan (leftovers there are not ours)."""
        self._check()
        clean = self.blocked_at is None
        if clean and new_uids:
            state = state.replace(last_uid=max(state.last_uid, new_uids[-1]))
        if self.dst_uids_unknown:
            dst_uidnext = self.dst.status(self.mapping.dst).uidnext
        state = state.replace(uidnext=status.uidnext if clean else None, dst_uidnext=dst_uidnext)
        self.state.checkpoint(state)
        return "ok" if clean and self.tally.errors == 0 else "partial"
