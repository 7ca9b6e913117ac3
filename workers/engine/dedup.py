"""Destination scan: which messages are already there, so an APPEND is never repeated.

Only destination messages the message map does not account for are read (those above the
checkpointed destination UIDNEXT, minus the ones we recorded): after a crash that is the batch
appended before the checkpoint, on a first copy into a non-empty folder it is the whole folder.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from workers.engine.fetcher import identities
from workers.engine.identity import IdentityIndex
from workers.engine.session import ImapSession

logger = logging.getLogger(__name__)


def scan_destination(dst: ImapSession, folder: str, from_uid: int, known: Collection[int]) -> IdentityIndex:
    """Identities of the messages in `folder` with UID >= from_uid that are not in `known`."""
    dst.select(folder, readonly=False)
    uids = [uid for uid in dst.uids_from(from_uid) if uid not in known]
    index = IdentityIndex((identity, uid) for uid, identity, _ in identities(dst, uids))
    logger.info("copy.dst_scanned folder=%s from_uid=%d messages=%d", folder, from_uid, len(index))
    return index
