"""Quota pre-flight: the destination's free storage (RFC 2087/9208 QUOTA) against the source's size.

Read once per plan and per run, before copying. When the account clearly cannot fit, the plan and
the run say so (a warning: the copy goes on, and refusals are counted as today). A server without
QUOTA, or without a STORAGE limit on the INBOX's quota root, gives no check.
"""

from __future__ import annotations

import imaplib
import logging
from collections.abc import Iterable

from workers.engine.errors import CopyError
from workers.engine.imap import imap_errors
from workers.engine.results import FolderPlanItem, QuotaCheck
from workers.engine.session import ImapSession

__all__ = ["check_quota", "needed_bytes", "storage_quota"]

logger = logging.getLogger(__name__)

_KIB = 1024  # STORAGE is counted in units of 1,024 octets


def storage_quota(dst: ImapSession) -> tuple[int, int] | None:
    """(used, limit) in bytes of the INBOX's STORAGE quota, or None when there is none to read."""
    if not dst.info.has("QUOTA"):
        return None
    try:
        with imap_errors("reading the quota"):
            _, quotas = dst.client.get_quota_root("INBOX")
    except CopyError as exc:
        logger.info("copy.quota_unreadable reason=%s", exc.message)
        return None
    except (IndexError, ValueError, imaplib.IMAP4.error):
        # Dovecot with no limit answers without a QUOTA line, which IMAPClient cannot parse.
        return None
    for quota in quotas:
        if str(quota.resource).upper() == "STORAGE" and quota.limit:
            return int(quota.usage) * _KIB, int(quota.limit) * _KIB
    return None


def needed_bytes(items: Iterable[FolderPlanItem]) -> int | None:
    """What the next copy may add: the size of every folder not known to be unchanged."""
    total = 0
    for item in items:
        if item.pending == 0:
            continue
        if item.size is None:
            return None
        total += item.size
    return total


def check_quota(quota: tuple[int, int], items: Iterable[FolderPlanItem]) -> QuotaCheck:
    """The check of `storage_quota()`'s (used, limit), with a warning when the account clearly
    cannot fit (`items` need their sizes: discover them `with_size`)."""
    used, limit = quota
    free = max(limit - used, 0)
    needed = needed_bytes(items)
    warning = None
    if needed is not None and needed > free:
        warning = (
            f"the source holds {_mb(needed)} to copy but the destination has {_mb(free)} free of its "
            f"{_mb(limit)} quota: the copy will stop at the limit (refused messages are counted as errors)"
        )
        logger.warning("copy.quota_short needed=%d free=%d limit=%d", needed, free, limit)
    return QuotaCheck(
        limit_bytes=limit, used_bytes=used, free_bytes=free, needed_bytes=needed, warning=warning
    )


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} kB"
