"""UID SEARCH and its replies in every legal form (RFC 3501, RFC 4731 ESEARCH, RFC 7162 CONDSTORE).

IMAPClient's `search()` refuses a reply it does not expect: Cyrus answers a `MODSEQ` search that
matches nothing with `* SEARCH (MODSEQ 1)`, and IMAPClient raises ValueError. So the command goes
through IMAPClient (quoting, tagging, response collection, its tokenizer) and the reply is read
here. The forms read:

    * SEARCH                          nothing matched
    * SEARCH 2 5 9                    (possibly over several untagged lines)
    * SEARCH 2 5 9 (MODSEQ 917)       CONDSTORE: the highest mod-sequence of the matches
    * SEARCH (MODSEQ 1)               nothing matched, with a mod-sequence anyway (Cyrus)
    * ESEARCH (TAG "A4") UID ALL 2,5:9 MODSEQ 917 (also MIN/MAX/COUNT, any order, or no result)
"""

from __future__ import annotations

import imaplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from imapclient import IMAPClient
from imapclient.response_parser import parse_response

from workers.engine.errors import FolderUnavailable


class SearchReplyError(FolderUnavailable):
    """The server's SEARCH/ESEARCH reply is not one of the forms the RFCs allow (the folder fails)."""

    code = "protocol_error"


@dataclass(frozen=True)
class SearchResult:
    uids: tuple[int, ...]
    modseq: int | None = None


def uid_search(client: IMAPClient, criteria: Sequence[str], esearch: bool = False) -> SearchResult:
    """UID SEARCH on the selected folder; with `esearch`, asks for `RETURN (ALL)` (compact ranges).

    Raises:
        imaplib.IMAP4.error / abort as IMAPClient does; SearchReplyError on an illegal reply.
    """
    args = search_args(criteria, esearch)
    data = client._raw_command_untagged(b"SEARCH", args, response_name=reply_name(esearch))
    return parse_reply(data, esearch)


def search_args(criteria: Sequence[str], esearch: bool) -> list[bytes]:
    """The arguments of UID SEARCH: with `esearch`, `RETURN (ALL)` first (compact ranges)."""
    args = [c.encode("utf-8") for c in criteria]
    return [b"RETURN", b"(ALL)", *args] if esearch else args


def reply_name(esearch: bool) -> str:
    """The untagged response carrying the result."""
    return "ESEARCH" if esearch else "SEARCH"


def parse_reply(lines: Iterable[bytes | None], esearch: bool) -> SearchResult:
    return parse_esearch(lines) if esearch else parse_search(lines)


def parse_search(lines: Iterable[bytes | None]) -> SearchResult:
    """The untagged `SEARCH` lines (their text after the word SEARCH) of one command."""
    uids: list[int] = []
    modseq: int | None = None
    for line in lines:
        for token in _tokens(line):
            if isinstance(token, int):
                uids.append(token)
            elif isinstance(token, tuple) and len(token) == 2 and _word(token[0]) == "MODSEQ":
                modseq = _number(token[1])
            else:
                raise SearchReplyError(f"unexpected item in a SEARCH reply: {token!r}")
    return SearchResult(tuple(sorted(set(uids))), modseq)


def parse_esearch(lines: Iterable[bytes | None]) -> SearchResult:
    """The untagged `ESEARCH` line(s) of one command (RFC 4731: a tag correlator, UID, then pairs)."""
    uids: set[int] = set()
    modseq: int | None = None
    for line in lines:
        tokens = list(_tokens(line))
        if tokens and isinstance(tokens[0], tuple):
            tokens.pop(0)  # (TAG "A4")
        if tokens and _word(tokens[0]) == "UID":
            tokens.pop(0)
        if len(tokens) % 2:
            raise SearchReplyError(f"unpaired item in an ESEARCH reply: {line!r}")
        for name, value in zip(tokens[::2], tokens[1::2], strict=True):
            word = _word(name)
            if word == "ALL":
                uids.update(sequence_set(value))
            elif word in ("MIN", "MAX"):
                uids.add(_number(value))
            elif word == "MODSEQ":
                modseq = _number(value)
            # COUNT and extensions' return data carry no UIDs.
    return SearchResult(tuple(sorted(uids)), modseq)


def sequence_set(value: object) -> list[int]:
    """UIDs of an IMAP sequence set such as `2,5:9` (no `*`: a result never holds one)."""
    text = value.decode("ascii") if isinstance(value, bytes) else str(value)
    uids: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition(":")
        try:
            low, high = sorted((int(first), int(last or first)))
        except ValueError as exc:
            raise SearchReplyError(f"not a sequence set: {text!r}") from exc
        uids.extend(range(low, high + 1))
    return uids


def _tokens(line: bytes | None) -> tuple[Any, ...]:
    if not line or not line.strip():
        return ()
    try:
        return tuple(parse_response([line]))
    except (ValueError, imaplib.IMAP4.error) as exc:  # imapclient's ProtocolError is an IMAP4.error
        raise SearchReplyError(f"unreadable SEARCH reply {line[:200]!r}") from exc


def _word(token: object) -> str:
    return token.decode("ascii", "replace").upper() if isinstance(token, bytes) else ""


def _number(token: object) -> int:
    if isinstance(token, int):
        return token
    if isinstance(token, bytes) and token.isdigit():
        return int(token)
    raise SearchReplyError(f"expected a number in a SEARCH reply, got {token!r}")
