"""Folder discovery on live sessions: list both sides, map, read counts, create what is missing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from workers.engine.errors import CopyError
from workers.engine.gmail import GmailFolders, gmail_folders, without_views
from workers.engine.listing import list_with_status, pipelined_status
from workers.engine.plan import (
    PROVIDER_VIEW,
    FolderMapping,
    FolderPlan,
    Layout,
    MappingRules,
    folders_to_create,
    plan_folders,
)
from workers.engine.results import AccountPlan, FolderPlanItem
from workers.engine.session import FolderStatus, ImapSession
from workers.engine.state import FolderCheckpoint

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Discovery:
    plan: FolderPlan
    statuses: dict[str, FolderStatus]
    src_layout: Layout | None = None
    gmail: GmailFolders | None = None  # a Gmail source's view folders (left out of the plan)

    def items(self, saved: dict[str, FolderCheckpoint] | None = None) -> tuple[FolderPlanItem, ...]:
        return tuple(self._item(m, (saved or {}).get(m.src)) for m in self.plan.mappings)

    def _item(self, mapping: FolderMapping, saved: FolderCheckpoint | None) -> FolderPlanItem:
        status = self.statuses.get(mapping.src)
        return FolderPlanItem(
            src=mapping.src,
            dst=mapping.dst,
            reason=mapping.reason,
            dst_exists=mapping.dst_exists,
            messages=status.messages if status else 0,
            size=status.size if status else None,
            pending=_pending(status, saved),
            note=mapping.note,
        )


def _pending(status: FolderStatus | None, saved: FolderCheckpoint | None) -> int | None:
    """Messages a copy would look at: all on a first pass, 0 when the folder is known unchanged."""
    if status is None:
        return None
    if saved is None or saved.uidvalidity != status.uidvalidity:
        return status.messages
    if saved.uidnext == status.uidnext:
        return 0
    return None  # something changed: only a copy (or compare) can tell how much


def discover(
    src: ImapSession, dst: ImapSession, rules: MappingRules, with_size: bool = False, gmail: bool = False
) -> Discovery:
    """Map the folders and read each source folder's STATUS: with the LIST where the server offers
    LIST-STATUS, else with every STATUS pipelined (one round trip for all). A Gmail source's All
    Mail, Important and Starred are left out of the plan (listed as excluded; see gmail.py)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="list") as pool:
        dst_layout = pool.submit(dst.layout)  # both LISTs in the same round trip
        src_layout, statuses = list_with_status(src, with_size)
        views = gmail_folders(src_layout) if gmail else None
        copied = without_views(src_layout, views) if views else src_layout
        plan = plan_folders(copied, dst_layout.result(), rules)
        if views and views.views:
            reasons = {**plan.excluded_by, **dict.fromkeys(views.views, PROVIDER_VIEW)}
            plan = FolderPlan(plan.mappings, (*plan.excluded, *views.views), reasons)
    missing = [mapping.src for mapping in plan.mappings if mapping.src not in statuses]
    if missing:
        statuses.update(pipelined_status(src, missing, with_size))
    return Discovery(plan, statuses, src_layout, views)


def create_missing(
    dst: ImapSession, plan: FolderPlan, report: Callable[[CopyError, str, int | None], None]
) -> set[str]:
    """Create (and subscribe) missing destination folders; the ones that could not be created."""
    roles = {m.dst: m.role for m in plan.mappings if m.role}
    names = folders_to_create(plan, dst.info.separator)
    if not names:
        return set()
    failed = dst.create_folders([(name, roles.get(name)) for name in names])
    for name in names:
        if name in failed:
            report(failed[name].on_side("dst"), name, None)
        else:
            logger.info("copy.folder_created folder=%s", name)
    return set(failed)


def account_plan(
    discovery: Discovery, src: ImapSession, dst: ImapSession, saved: dict[str, FolderCheckpoint]
) -> AccountPlan:
    return AccountPlan(
        folders=discovery.items(saved),
        excluded=discovery.plan.excluded,
        excluded_by=dict(discovery.plan.excluded_by),
        src_separator=src.info.separator,
        dst_separator=dst.info.separator,
        dst_prefix=dst.info.prefix,
        dst_other_prefixes=dst.info.other_prefixes,
    )
