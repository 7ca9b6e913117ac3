"""The archive pass of a Gmail source (docs/providers.md): after the label folders, the messages
found only in All Mail go to the destination's \\Archive folder.

The pass keeps no state: it scans the destination's Archive by identity each time and appends only
what is not there yet, so a retry after a dropped connection, or a delta pass, adds nothing twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

from workers.engine.appender import append_batch
from workers.engine.dedup import scan_destination
from workers.engine.errors import FolderUnavailable, MessageRefused, TransientImapError
from workers.engine.events import FolderStarted
from workers.engine.fetcher import MessageMeta, batches, fetch_bodies
from workers.engine.gmail import GmailFolders, archived_messages
from workers.engine.mailbox_copy import MailboxCopy
from workers.engine.plan import Layout, role_folders
from workers.engine.results import FolderResult
from workers.engine.session import ImapSession

logger = logging.getLogger(__name__)


@dataclass
class ArchiveTally:
    copied: int = 0
    skipped: int = 0
    bytes: int = 0
    refused: list[tuple[int, MessageRefused]] = field(default_factory=list)


def archive_folder(dst: ImapSession) -> str:
    """The destination's \\Archive folder, created (with that role) when it has none.

    Raises:
        FolderUnavailable when it cannot be created.
    """
    found = role_folders(dst.layout()).get("\\Archive")
    if found:
        return found
    name = dst.info.prefix + "Archive"
    dst.create_folder(name, "\\Archive")
    logger.info("copy.folder_created folder=%s role=\\Archive", name)
    return name


def copy_archived(
    src: ImapSession,
    dst: ImapSession,
    all_mail: str,
    archive: str,
    archived: Sequence[MessageMeta],
    batch: tuple[int, int],
    stopping: Callable[[], bool],
) -> ArchiveTally:
    """Append the archived messages that the destination's Archive does not hold yet (by identity).

    Raises:
        TransientImapError (and Throttled) when a session breaks or a server pushes back.
    """
    present = scan_destination(dst, archive, 1, ())
    tally = ArchiveTally()
    todo: list[MessageMeta] = []
    for meta in archived:
        if present.take(meta.identity or "") is not None:
            tally.skipped += 1
        else:
            todo.append(meta)
    src.select(all_mail, readonly=True)
    for group in batches(todo, *batch):
        if stopping():
            break
        outgoing = fetch_bodies(src, group)
        sizes = {m.src_uid: len(m.body) for m in outgoing}
        for outcome in append_batch(dst, archive, outgoing).outcomes:
            if outcome.error is None:
                tally.copied += 1
                tally.bytes += sizes.get(outcome.src_uid, 0)
            else:
                tally.refused.append((outcome.src_uid, outcome.error))
    return tally


def archive_pass(run: MailboxCopy, layout: Layout, folders: GmailFolders) -> None:
    """Copy a Gmail source's archived mail (see module doc); the result is one folder line.

    Raises:
        TransientImapError when the connection keeps dropping; AuthFailed/TlsFailed on reconnect.
    """
    all_mail = folders.all_mail
    if all_mail is None or run.stopping():
        return
    started = time.monotonic()
    archive = "\\Archive"
    tally = ArchiveTally()
    retrying = Retrying(
        retry=retry_if_exception_type(TransientImapError),
        stop=stop_after_attempt(run.options.retries + 1),
        wait=run._wait,
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                if attempt.retry_state.attempt_number > 1 or run.lane.broken:
                    run.lane.reconnect()
                archive = archive_folder(run.dst)
                if attempt.retry_state.attempt_number == 1:
                    run.emit(FolderStarted(all_mail, archive))
                archived = archived_messages(run.src, layout, folders)
                batch = (run.options.batch_bytes, run.options.batch_messages)
                tally = copy_archived(run.src, run.dst, all_mail, archive, archived, batch, run.stopping)
    except FolderUnavailable as exc:
        run.report(exc, all_mail, None)
        run._done(FolderResult(folder=all_mail, dst_folder=archive, status="failed"))
        return
    for uid, error in tally.refused:
        run.report(error, all_mail, uid)
    logger.info(
        "copy.gmail_archived folder=%s archive=%s copied=%d skipped=%d",
        all_mail,
        archive,
        tally.copied,
        tally.skipped,
    )
    result = FolderResult(
        folder=all_mail,
        dst_folder=archive,
        status="partial" if tally.refused else "ok",
        copied=tally.copied,
        skipped=tally.skipped,
        errors=len(tally.refused),
        bytes=tally.bytes,
        seconds=round(time.monotonic() - started, 3),
        note="archived mail (in no label)",
    )
    run._done(result)
