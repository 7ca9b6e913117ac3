"""Gmail as a source (docs/providers.md): labels are folders, and every message also sits in All Mail.

- `gmail_folders` finds All Mail, Important and Starred (SPECIAL-USE \\All, \\Important, \\Flagged,
  else their English names under `[Gmail]/` or `[Google Mail]/`); the folder copy leaves them out.
- `archived_messages` picks the All Mail messages that sit in no label folder (archived mail). The
  comparison uses X-GM-MSGID where the server offers X-GM-EXT-1, else the engine's identity
  (normalised Message-ID or header hash), counted as a multiset.
- gmail_archive.py copies them into the destination's \\Archive folder.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from workers.engine.fetcher import MessageMeta, iter_meta
from workers.engine.plan import Layout
from workers.engine.session import ImapSession

logger = logging.getLogger(__name__)

GMAIL_ROLES = {"\\all": "all", "\\important": "important", "\\flagged": "starred"}
GMAIL_NAMES = {"all mail": "all", "important": "important", "starred": "starred"}
GMAIL_PARENTS = ("[gmail]", "[google mail]")
GM_MSGID = "X-GM-MSGID"


@dataclass(frozen=True)
class GmailFolders:
    """Source folders that are views rather than labels; `all_mail` is None when there is none."""

    all_mail: str | None
    views: tuple[str, ...]  # All Mail, Important, Starred (as present)


def _kind(name: str, flags: frozenset[str], separator: str) -> str | None:
    for flag in flags:
        kind = GMAIL_ROLES.get(flag.lower())
        if kind:
            return kind
    parent, sep, leaf = name.rpartition(separator or "/")
    if sep and parent.lower() in GMAIL_PARENTS:
        return GMAIL_NAMES.get(leaf.lower())
    return None


def gmail_folders(layout: Layout) -> GmailFolders:
    """All Mail, Important and Starred of a Gmail source, by SPECIAL-USE first, else by name."""
    all_mail: str | None = None
    views: list[str] = []
    for folder in layout.folders:
        if not folder.selectable:
            continue
        kind = _kind(folder.name, folder.flags, layout.separator)
        if kind is None:
            continue
        views.append(folder.name)
        if kind == "all" and all_mail is None:
            all_mail = folder.name
    return GmailFolders(all_mail, tuple(views))


def without_views(layout: Layout, folders: GmailFolders) -> Layout:
    """The layout without Gmail's view folders: the folder copy never sees them."""
    views = set(folders.views)
    return Layout(layout.separator, layout.prefix, tuple(f for f in layout.folders if f.name not in views))


def label_folders(layout: Layout, folders: GmailFolders) -> list[str]:
    """Every selectable source folder that is a label (not All Mail, Important or Starred)."""
    views = set(folders.views)
    return [f.name for f in layout.folders if f.selectable and f.name not in views]


def _keys(session: ImapSession, folder: str, use_msgid: bool) -> list[tuple[int, str]]:
    """(uid, key) of every message in `folder`: X-GM-MSGID, or the engine's identity."""
    session.select(folder, readonly=True)
    uids = session.uids_from(1)
    if not use_msgid:
        return [(m.uid, m.identity or "") for m in iter_meta(session, uids, with_identity=True)]
    fetched = session.fetch(uids, [GM_MSGID])
    return [(uid, f"gm:{fetched[uid].get(GM_MSGID.encode())}") for uid in uids if uid in fetched]


def archived_messages(src: ImapSession, layout: Layout, folders: GmailFolders) -> list[MessageMeta]:
    """All Mail messages found in no label folder (with identity), in UID order.

    Multiset rule: All Mail holds an identity n times and the label folder holding it most often
    holds it m times; the first m are labelled mail, the other n - m are archived.
    """
    if folders.all_mail is None:
        return []
    use_msgid = src.info.has("X-GM-EXT-1")
    labelled: Counter[str] = Counter()
    for folder in label_folders(layout, folders):
        counts = Counter(key for _, key in _keys(src, folder, use_msgid))
        for key, count in counts.items():
            labelled[key] = max(labelled[key], count)
    archived: list[int] = []
    for uid, key in _keys(src, folders.all_mail, use_msgid):
        if labelled[key] > 0:
            labelled[key] -= 1
        else:
            archived.append(uid)
    src.select(folders.all_mail, readonly=True)
    return list(iter_meta(src, archived, with_identity=True))
