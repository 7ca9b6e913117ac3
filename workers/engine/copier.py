"""The engine's entry points: `copy_mailbox`, `plan_mailbox` (dry run) and `compare_mailbox`.

`copy_mailbox` never raises for IMAP or data problems: they end up in the returned
`AccountResult` (status "failed" for connection/login/TLS trouble or a connection lost for good,
"partial" when some messages or folders failed, "cancelled" when `should_stop` said so).
Exceptions raised by `on_event` itself are the caller's and propagate.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from workers.engine.compare import compare_folder
from workers.engine.errors import CopyError
from workers.engine.events import EngineEvent, PlanMade, ignore_event
from workers.engine.folders import account_plan, create_missing, discover
from workers.engine.gmail_archive import archive_pass
from workers.engine.guard import malformed
from workers.engine.imap import PARSE_ERRORS, ImapEndpoint
from workers.engine.lanes import copy_folders
from workers.engine.mailbox_copy import MailboxCopy
from workers.engine.options import CopyOptions
from workers.engine.quota import check_quota, storage_quota
from workers.engine.results import AccountComparison, AccountPlan, AccountResult, QuotaCheck
from workers.engine.session import open_sessions
from workers.engine.state import MemoryState, SyncState

logger = logging.getLogger(__name__)


def _never() -> bool:
    return False


def copy_mailbox(
    src: ImapEndpoint,
    dst: ImapEndpoint,
    options: CopyOptions | None = None,
    state: SyncState | None = None,
    on_event: Callable[[EngineEvent], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> AccountResult:
    """Copy every (mapped, not excluded) folder of one account; a delta pass when `state` has history."""
    run = MailboxCopy(
        src,
        dst,
        options or CopyOptions(),
        state if state is not None else MemoryState(),
        on_event or ignore_event,
        should_stop or _never,
    )
    started = time.monotonic()
    try:
        run.connect()
    except CopyError as exc:
        run.report(exc, None, None)
        return run.result("failed", started, exc)
    try:
        return _copy_folders(run, started)
    finally:
        run.close()


def _copy_folders(run: MailboxCopy, started: float) -> AccountResult:
    try:
        quota = storage_quota(run.dst)
        gmail = run.options.gmail_source
        discovery = discover(run.src, run.dst, run.options.rules, with_size=True, gmail=gmail)  # + bytes
        saved = run.state.load_folders()
        run.order = {mapping.src: i for i, mapping in enumerate(discovery.plan.mappings)}
        items = discovery.items(saved)
        check = check_quota(quota, items) if quota is not None else None
        run.emit(PlanMade(items, discovery.plan.excluded, check))
        unavailable = create_missing(run.dst, discovery.plan, run.report)
        work = []
        for mapping in discovery.plan.mappings:
            if mapping.dst in unavailable:
                run.skip_folder(mapping)
            else:
                work.append(mapping)
        if copy_folders(run, work, saved, discovery.statuses):
            return run.result("cancelled", started)
        if discovery.gmail is not None and discovery.src_layout is not None:
            archive_pass(run, discovery.src_layout, discovery.gmail)  # archived mail: docs/providers.md
            if run.should_stop():
                return run.result("cancelled", started)
    except CopyError as exc:
        # Only account-wide trouble gets here: a connection lost for good, or login refused on reconnect.
        run.report(exc, None, None)
        return run.result("failed", started, exc)
    except PARSE_ERRORS as exc:
        # A server value of the wrong type that got past the session's error mapping (say, a STATUS
        # item that is not a number). Its traceback goes to the log (INFO: a worker keeps it, the
        # CLI shows it only with -v) in case the bug is ours after all.
        logger.info("copy.malformed_response error=%r", exc, exc_info=True)
        error = malformed(exc)
        run.report(error, None, None)
        return run.result("failed", started, error)
    return run.result("partial" if run.error_count else "ok", started)


def plan_mailbox(
    src: ImapEndpoint,
    dst: ImapEndpoint,
    options: CopyOptions | None = None,
    state: SyncState | None = None,
) -> AccountPlan:
    """Dry run: the folder plan with message counts and sizes. Nothing is written anywhere.

    Raises:
        CopyError subclasses (AuthFailed, TlsFailed, ConnectFailed, TransientImapError...).
    """
    options = options or CopyOptions()
    source, destination = open_sessions(src, dst)
    try:
        discovery = discover(source, destination, options.rules, with_size=True, gmail=options.gmail_source)
        saved = state.load_folders() if state is not None else {}
        plan = account_plan(discovery, source, destination, saved)
        quota = storage_quota(destination)
        return plan if quota is None else plan.model_copy(update={"quota": check_quota(quota, plan.folders)})
    finally:
        source.close()
        destination.close()


def quota_preflight(
    src: ImapEndpoint, dst: ImapEndpoint, options: CopyOptions | None = None
) -> QuotaCheck | None:
    """For the connection test: the destination's storage quota against the source account's size
    (every folder's); None when the destination reports no limit (then the source is not read).

    Raises:
        CopyError subclasses when a server cannot be reached.
    """
    opts = options or CopyOptions()
    source, destination = open_sessions(src, dst)
    try:
        quota = storage_quota(destination)
        if quota is None:
            return None
        found = discover(source, destination, opts.rules, with_size=True, gmail=opts.gmail_source)
        return check_quota(quota, found.items())
    finally:
        source.close()
        destination.close()


def compare_mailbox(
    src: ImapEndpoint, dst: ImapEndpoint, options: CopyOptions | None = None, deep: bool = False
) -> AccountComparison:
    """Per mapped folder: messages missing on the destination, duplicated there, and flag differences;
    with `deep`, also messages stored altered (whole messages hashed on both sides).

    Raises:
        CopyError subclasses when a server cannot be reached or a folder cannot be read.
    """
    opts = options or CopyOptions()
    source, destination = open_sessions(src, dst)
    try:
        discovery = discover(source, destination, opts.rules, gmail=opts.gmail_source)
        folders = tuple(compare_folder(source, destination, m, deep) for m in discovery.plan.mappings)
    finally:
        source.close()
        destination.close()
    missing = sum(f.missing for f in folders)
    duplicated = sum(f.duplicated for f in folders)
    return AccountComparison(
        folders=folders,
        missing=missing,
        duplicated=duplicated,
        flag_differences=sum(f.flag_differences for f in folders),
        complete=missing == 0 and duplicated == 0,
        altered=sum(f.altered for f in folders),
    )
