"""LIST with STATUS (RFC 5819): the folder tree and every folder's counters in one round trip.

A pass starts by listing the source and reading each mapped folder's STATUS; with one STATUS round
trip per folder, a 100-folder account on a server 50 ms away spends five seconds on that before it
copies anything, and a no-change pass is nothing else. Where the server offers LIST-STATUS the
whole of it is one command. Servers without it (or refusing the extended syntax) get the plain LIST,
and `pipelined_status` sends every folder's STATUS back to back: one round trip in all, not one each.
"""

from __future__ import annotations

import logging
from typing import Any

from imapclient.imap_utf7 import decode as decode_utf7
from imapclient.response_parser import parse_response
from imapclient.util import chunk

from workers.engine.errors import FolderUnavailable
from workers.engine.imap import imap_errors
from workers.engine.plan import Layout
from workers.engine.session import FolderStatus, ImapSession, folder_status

logger = logging.getLogger(__name__)


def list_with_status(session: ImapSession, with_size: bool = False) -> tuple[Layout, dict[str, FolderStatus]]:
    """The folder layout, and the STATUS of every folder the server reported one for.

    Folders missing from the second part (no LIST-STATUS, or left out by the server) need a STATUS
    of their own.

    Raises:
        TransientImapError when the session breaks; FolderUnavailable when even LIST fails.
    """
    if session.info.has("LIST-STATUS"):
        try:
            return _extended_list(session, with_size)
        except FolderUnavailable as exc:
            logger.info("imap.list_status_refused reason=%s", exc.message)
    return session.layout(), {}


def _extended_list(session: ImapSession, with_size: bool) -> tuple[Layout, dict[str, FolderStatus]]:
    imap = session.client._imap
    returns = ["STATUS ({})".format(" ".join(session.status_items(with_size)))]
    if session.info.has("SPECIAL-USE"):
        returns.insert(0, "SPECIAL-USE")  # RFC 6154: attributes a LIST-EXTENDED server may otherwise omit
    for name in ("LIST", "STATUS"):
        imap.untagged_responses.pop(name, None)  # leftovers of earlier commands
    with imap_errors("listing folders with their status"):
        typ, data = imap._simple_command("LIST", '""', '"*"', "RETURN ({})".format(" ".join(returns)))
        listed = imap.untagged_responses.pop("LIST", [])
        status_lines = imap.untagged_responses.pop("STATUS", [])
        if typ != "OK":
            raise FolderUnavailable(f"LIST RETURN (STATUS) answered {typ}: {data!r}"[:300])
        layout = session.layout_from(session.client._proc_folder_list(listed))
        statuses = _statuses(session, status_lines)
    return layout, statuses


def _statuses(session: ImapSession, lines: list[Any]) -> dict[str, FolderStatus]:
    found: dict[str, FolderStatus] = {}
    parsed = parse_response([line for line in lines if line not in (b"", None)])
    for raw_name, items in chunk(parsed, size=2):
        if isinstance(raw_name, int):
            name = str(raw_name)  # an all-digit folder name parses as a number
        elif session.client.folder_encode:
            name = decode_utf7(raw_name)
        else:
            name = raw_name.decode("utf-8", "replace") if isinstance(raw_name, bytes) else str(raw_name)
        try:
            found[name] = folder_status(dict(chunk(items, size=2)))
        except (KeyError, TypeError, ValueError):
            logger.info("imap.list_status_unreadable folder=%s", name)  # read it with STATUS instead
    return found


def pipelined_status(
    session: ImapSession, folders: list[str], with_size: bool = False
) -> dict[str, FolderStatus]:
    """STATUS of `folders`, the commands sent back to back and the replies read after.

    A folder the server refuses (deleted since the LIST, unreadable) is left out: the copy reports
    it for that folder alone.

    Raises:
        TransientImapError when the session breaks.
    """
    imap = session.client._imap
    items = "({})".format(" ".join(session.status_items(with_size)))
    imap.untagged_responses.pop("STATUS", None)  # leftovers of earlier commands
    commands = [("STATUS", session.client._normalise_folder(f), items) for f in folders]
    replies = session.pipeline("reading folder status", commands)
    status_lines = imap.untagged_responses.pop("STATUS", [])
    for folder, (typ, data) in zip(folders, replies, strict=True):
        if typ != "OK":
            logger.warning("copy.status_failed folder=%s reply=%r", folder, data[:1])
    statuses = _statuses(session, status_lines)
    return {folder: statuses[folder] for folder in folders if folder in statuses}
