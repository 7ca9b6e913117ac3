"""One logged-in IMAP session with its probed capabilities, and the commands the engine uses."""

from __future__ import annotations

import contextlib
import imaplib
import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from imapclient import IMAPClient

from workers.engine.errors import CopyError, FolderUnavailable, MessageRefused
from workers.engine.guard import Expectation
from workers.engine.guarded_client import GuardedClient
from workers.engine.imap import (
    ImapEndpoint,
    connect,
    imap_errors,
    is_throttle_response,
    reply_bytes,
    throttled,
)
from workers.engine.plan import FolderInfo, Layout
from workers.engine.search_reply import parse_reply, reply_name, search_args, uid_search
from workers.engine.special_use import create_with_role

logger = logging.getLogger(__name__)

FetchResult = dict[int, dict[bytes, Any]]
# imapclient sends UID lists comma-separated; 2,000 UIDs keep a command well under Dovecot's 64 kB line limit.
FETCH_CHUNK = 2000


@dataclass(frozen=True)
class ServerInfo:
    """What the server offers, probed once per session (after login: capabilities may grow)."""

    capabilities: frozenset[str]
    separator: str
    prefix: str
    other_prefixes: tuple[str, ...] = ()  # other users' and shared namespaces (NAMESPACE)

    def has(self, capability: str) -> bool:
        return capability.upper() in self.capabilities

    @property
    def append_limit(self) -> int | None:
        """Largest message APPEND accepts (RFC 7889), when the server says so for every folder."""
        for capability in self.capabilities:
            name, _, value = capability.partition("=")
            if name == "APPENDLIMIT" and value.isdigit():
                return int(value)
        return None

    @property
    def condstore(self) -> bool:
        return self.has("CONDSTORE") or self.has("QRESYNC")


@dataclass(frozen=True)
class FolderStatus:
    messages: int
    uidnext: int
    uidvalidity: int
    highest_modseq: int | None
    size: int | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """A message ready to APPEND: the exact source bytes, flags and INTERNALDATE."""

    src_uid: int
    body: bytes
    flags: frozenset[str]
    internaldate: datetime | None


def folder_status(raw: dict[bytes, Any]) -> FolderStatus:
    """From STATUS response items (keys as the server sent them, upper-cased by Dovecot and others)."""
    items = {key.upper(): value for key, value in raw.items()}
    modseq = items.get(b"HIGHESTMODSEQ")
    size = items.get(b"SIZE")
    return FolderStatus(
        int(items[b"MESSAGES"]),
        int(items[b"UIDNEXT"]),
        int(items[b"UIDVALIDITY"]),
        None if modseq is None else int(modseq),
        None if size is None else int(size),
    )


def uid_set(uids: Iterable[int]) -> str:
    """Compact IMAP sequence set: [1, 2, 3, 7] -> "1:3,7" (keeps command lines short)."""
    ordered = sorted(set(uids))
    parts: list[str] = []
    start = prev = None
    for uid in ordered:
        if prev is not None and uid == prev + 1:
            prev = uid
            continue
        if start is not None:
            parts.append(f"{start}:{prev}" if start != prev else str(start))
        start = prev = uid
    if start is not None:
        parts.append(f"{start}:{prev}" if start != prev else str(start))
    return ",".join(parts)


class ImapSession:
    """A logged-in connection. Every method raises only `workers.engine.errors` types."""

    def __init__(self, endpoint: ImapEndpoint, side: str = "IMAP") -> None:
        self.endpoint = endpoint
        self.client: GuardedClient = connect(endpoint, side)
        self.selected: str | None = None
        with imap_errors("probing capabilities"):
            self.info = self._probe()

    def _probe(self) -> ServerInfo:
        capabilities = frozenset(c.decode("ascii", "replace").upper() for c in self.client.capabilities())
        prefix, separator = "", "/"
        others: tuple[str, ...] = ()
        if "NAMESPACE" in capabilities:
            namespaces = self.client.namespace()
            personal = namespaces.personal
            if personal:
                prefix, separator = personal[0][0], personal[0][1] or ""
            others = tuple(ns[0] for ns in (*(namespaces.other or ()), *(namespaces.shared or ())) if ns[0])
        else:
            listed = self.client.list_folders(pattern="INBOX")
            if listed and listed[0][1]:
                separator = listed[0][1].decode("ascii")
        return ServerInfo(capabilities, separator, prefix, others)

    def close(self) -> None:
        """LOGOUT without waiting for the server's goodbye: it ends the session either way, and over
        a 50 ms link each wait costs a round trip at the end of every pass (docs/performance.md)."""
        imap = self.client._imap
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            imap.send(imap._new_tag() + b" LOGOUT\r\n")
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            self.client.shutdown()

    @property
    def broken(self) -> bool:
        """The server broke a limit and the connection was dropped: reconnect before going on."""
        return self.client.guard.tripped is not None

    def layout(self) -> Layout:
        """All folders with their attributes (Dovecot and most servers send special-use in LIST)."""
        with imap_errors("listing folders"):
            listed = self.client.list_folders()
        return self.layout_from(listed)

    def layout_from(self, listed: Iterable[tuple[Sequence[bytes], Any, str]]) -> Layout:
        """A Layout from imapclient's parsed LIST responses (flags, delimiter, unicode name)."""
        folders = tuple(
            FolderInfo(name, frozenset(f.decode("ascii", "replace") for f in flags))
            for flags, _, name in listed
        )
        return Layout(self.info.separator, self.info.prefix, folders)

    def status_items(self, with_size: bool = False) -> list[str]:
        items = ["MESSAGES", "UIDNEXT", "UIDVALIDITY"]
        if self.info.condstore:
            items.append("HIGHESTMODSEQ")
        if with_size and self.info.has("STATUS=SIZE"):
            items.append("SIZE")
        return items

    def status(self, folder: str, with_size: bool = False) -> FolderStatus:
        with imap_errors(f"reading the status of {folder}"):
            return folder_status(self.client.folder_status(folder, self.status_items(with_size)))

    def pipeline(
        self, action: str, commands: Sequence[tuple[str | bytes, ...]]
    ) -> list[tuple[str, list[Any]]]:
        """Send `commands` back to back, then read their tagged replies: one round trip for all.

        The replies are (type, data) as imaplib gives them; a NO or BAD does not raise, so each
        command's refusal is the caller's to judge. Their untagged responses stay in imaplib's
        `untagged_responses` for the caller to take.

        Raises:
            TransientImapError when the session breaks.
        """
        imap = self.client._imap
        with imap_errors(action):
            tags = [imap._command(*command) for command in commands]
            return [imap._get_tagged_response(tag) for tag in tags]

    def select_status(self, folder: str) -> FolderStatus:
        """SELECT `folder` read-write and its counters from the SELECT reply, where a separate
        STATUS then SELECT would cost two round trips. A server that leaves UIDNEXT out of the
        reply (RFC 3501 allows it) gets a STATUS as well."""
        self.selected = None
        with imap_errors(f"selecting {folder}"):
            raw = self.client.select_folder(folder, readonly=False)
        self.selected = folder
        items = {key.upper(): value for key, value in raw.items()}
        if b"UIDNEXT" not in items or b"UIDVALIDITY" not in items or b"EXISTS" not in items:
            return self.status(folder)
        modseq = items.get(b"HIGHESTMODSEQ") if self.info.condstore else None
        return FolderStatus(
            int(items[b"EXISTS"]),
            int(items[b"UIDNEXT"]),
            int(items[b"UIDVALIDITY"]),
            None if modseq is None else int(modseq),
        )

    def examine_uids_from(self, folder: str, first_uid: int) -> list[int]:
        """EXAMINE `folder` and UID SEARCH its UIDs >= first_uid, sent back to back: one round trip
        where `select` then `uids_from` cost two (docs/performance.md)."""
        if self.selected == folder:
            return self.uids_from(first_uid)
        imap = self.client._imap
        self.selected = None
        imap.untagged_responses = {}  # as imaplib's own select(): the reply starts afresh
        esearch = self.info.has("ESEARCH")
        search = ("UID", "SEARCH", *search_args(["UID", f"{first_uid}:*"], esearch))
        name = self.client._normalise_folder(folder)
        with imap_errors(f"selecting {folder}"):
            select_tag = imap._command("EXAMINE", name)
            imap.state = "SELECTED"  # imaplib refuses UID commands before a SELECT's reply otherwise
            search_tag = imap._command(*search)
            typ, data = imap._get_tagged_response(select_tag)
            search_typ, search_data = imap._get_tagged_response(search_tag)
            imap.is_readonly = True
            if typ != "OK":
                imap.state = "AUTH"  # a failed SELECT leaves no folder selected (RFC 3501)
                raise imaplib.IMAP4.error(f"EXAMINE command error: {typ} {_text(data)}")
            if search_typ != "OK":
                raise imaplib.IMAP4.error(f"SEARCH command error: {search_typ} {_text(search_data)}")
        self.selected = folder
        with imap_errors(f"searching {folder}"):
            found = parse_reply(imap.untagged_responses.pop(reply_name(esearch), []), esearch)
        return [uid for uid in found.uids if uid >= first_uid]

    def select(self, folder: str, readonly: bool) -> None:
        if self.selected == folder:
            return
        self.selected = None
        with imap_errors(f"selecting {folder}"):
            self.client.select_folder(folder, readonly=readonly)
        self.selected = folder

    def search_uids(self, criteria: Sequence[str]) -> list[int]:
        """UID SEARCH on the selected folder, ascending (any legal reply form: see search_reply.py)."""
        with imap_errors(f"searching {self.selected}"):
            return list(uid_search(self.client, criteria, esearch=self.info.has("ESEARCH")).uids)

    def uids_from(self, first_uid: int) -> list[int]:
        """UIDs >= first_uid ("n:*" also matches the highest UID when n is above it, so filter)."""
        return [uid for uid in self.search_uids(["UID", f"{first_uid}:*"]) if uid >= first_uid]

    def fetch(
        self, uids: Sequence[int], items: Sequence[str], expect: Expectation | None = None
    ) -> FetchResult:
        """UID FETCH on the selected folder, FETCH_CHUNK UIDs per command (bounded command lines).

        `expect` (RFC822.SIZE per UID, or a partial FETCH's length) bounds the literals accepted."""
        result: FetchResult = {}
        with imap_errors(f"fetching from {self.selected}"), self.client.guard.expecting(expect):
            for start in range(0, len(uids), FETCH_CHUNK):
                result.update(self.client.fetch(list(uids[start : start + FETCH_CHUNK]), list(items)))
        return result

    def create_folder(self, folder: str, role: str | None = None) -> None:
        """CREATE (with its special-use `role` where the server offers CREATE-SPECIAL-USE) and
        SUBSCRIBE; a folder that exists already (say, a \\Noselect parent) is fine."""
        try:
            with imap_errors(f"creating folder {folder}", permanent=FolderUnavailable):
                with_role = bool(role) and self.info.has("CREATE-SPECIAL-USE")
                if not (with_role and create_with_role(self.client, folder, role or "")):
                    self.client.create_folder(folder)
        except FolderUnavailable as exc:
            if not _already_exists(exc.message):
                raise
        with imap_errors(f"subscribing folder {folder}", permanent=FolderUnavailable):
            self.client.subscribe_folder(folder)

    def create_folders(self, folders: Sequence[tuple[str, str | None]]) -> dict[str, FolderUnavailable]:
        """CREATE (with its special-use role where the server offers CREATE-SPECIAL-USE) and
        SUBSCRIBE each (folder, role), every command sent back to back: one round trip for all,
        not two per folder. Commands run in order, so parents listed first exist before their
        children. Returns the folders that could not be created, with why; one that exists already
        is fine, and a refused role ([USEATTR]) is created again without it, on its own.

        Raises:
            Throttled when a reply says so; TransientImapError when the session breaks.
        """
        with_roles = self.info.has("CREATE-SPECIAL-USE")
        commands: list[tuple[str | bytes, ...]] = []
        for folder, role in folders:
            name = self.client._normalise_folder(folder)
            commands.append(("CREATE", name, f"(USE ({role}))") if role and with_roles else ("CREATE", name))
            commands.append(("SUBSCRIBE", name))
        replies = self.pipeline("creating folders", commands)
        failed: dict[str, FolderUnavailable] = {}
        for (folder, _role), created, subscribed in zip(folders, replies[::2], replies[1::2], strict=True):
            text = _text(created[1])
            for typ, data in (created, subscribed):
                if typ != "OK" and is_throttle_response(reply_bytes(data)):
                    raise throttled(
                        f"server is throttling us while creating {folder}: {_text(data)}", reply_bytes(data)
                    )
            if created[0] != "OK" and "[USEATTR]" in text.upper():
                logger.info("copy.role_refused folder=%s reply=%r", folder, text[:200])
                try:
                    self.create_folder(folder)
                except FolderUnavailable as exc:
                    failed[folder] = exc
            elif created[0] != "OK" and not _already_exists(text):
                failed[folder] = FolderUnavailable(
                    f"creating folder {folder} failed: CREATE {created[0]} {text}"
                )
            elif subscribed[0] != "OK":
                reason = f"SUBSCRIBE {subscribed[0]} {_text(subscribed[1])}"
                failed[folder] = FolderUnavailable(f"subscribing folder {folder} failed: {reason}")
        return failed

    def multiappend(self, folder: str, messages: Sequence[OutgoingMessage]) -> tuple[bool, bytes]:
        """One MULTIAPPEND (RFC 3502: all or nothing). (accepted, response text)."""
        items = [_append_item(m) for m in messages]
        try:
            with imap_errors(f"appending to {folder}", permanent=MessageRefused):
                typ, data = self.client.multiappend(folder, items)
        except MessageRefused as exc:
            # BAD (say, a flag the server rejects): let the caller retry one by one to find the culprit.
            return False, exc.message.encode("utf-8", "replace")
        text = reply_bytes(data)
        return typ == "OK", text

    def append(self, folder: str, message: OutgoingMessage) -> bytes:
        """One APPEND; the response text (carries APPENDUID under UIDPLUS).

        Not imapclient's `append`: imaplib rewrites every bare CR or LF of the message to CRLF with a
        regex, so the copy would differ from its source (and, without a Message-ID, no longer match
        its identity: the next stateless pass appends it again), and the rewrite holds about four
        times the message size in memory. imapclient's MULTIAPPEND code sends the literal untouched,
        and with one message it is a plain RFC 3501 APPEND that every server takes, so we call it
        past its capability check.

        Raises:
            MessageRefused when the server says NO; Throttled when it pushes back;
            TransientImapError when the session breaks.
        """
        with imap_errors(f"appending to {folder}", permanent=MessageRefused):
            typ, data = IMAPClient.multiappend.__wrapped__(self.client, folder, [_append_item(message)])
        text = reply_bytes(data)
        if typ != "OK":
            reason = text.decode("utf-8", "replace")[:300]
            if is_throttle_response(text):
                raise throttled(f"server is throttling us while appending to {folder}: {reason}", text)
            raise MessageRefused(f"appending to {folder} failed: {reason}")
        return text

    def store_flags(self, uids: Sequence[int], flags: Iterable[str], add: bool) -> None:
        sorted_flags = sorted(flags)
        with imap_errors(f"storing flags in {self.selected}"):
            if add:
                self.client.add_flags(uid_set(uids), sorted_flags, silent=True)
            else:
                self.client.remove_flags(uid_set(uids), sorted_flags, silent=True)


def _text(data: Sequence[Any]) -> str:
    """A reply's text, for messages."""
    return reply_bytes(data).decode("utf-8", "replace")[:300]


def _already_exists(text: str) -> bool:
    return "ALREADYEXISTS" in text.upper() or "ALREADY EXISTS" in text.upper()


def _append_item(message: OutgoingMessage) -> dict[str, object]:
    item: dict[str, object] = {"msg": message.body, "flags": sorted(message.flags)}
    if message.internaldate is not None:
        item["date"] = message.internaldate
    return item


def open_sessions(src: ImapEndpoint, dst: ImapEndpoint) -> tuple[ImapSession, ImapSession]:
    """Both sessions, or neither. The two logins run at the same time (a login costs several round
    trips and the server's password check); when both fail, the source's error is the one raised."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="login") as pool:
        pending = pool.submit(ImapSession, dst, "destination")
        try:
            source = ImapSession(src, "source")
        except CopyError as exc:
            with contextlib.suppress(Exception):
                pending.result().close()
            exc.on_side("src")
            raise
        except BaseException:
            with contextlib.suppress(Exception):
                pending.result().close()
            raise
        try:
            return source, pending.result()
        except CopyError as exc:
            source.close()
            exc.on_side("dst")
            raise
        except BaseException:
            source.close()
            raise
