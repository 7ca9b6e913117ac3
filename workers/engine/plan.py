"""Folder mapping (pure): which destination folder each source folder is copied into.

Order of precedence, applied to the folder or its nearest mapped ancestor (children follow their
parent, so "Sent Items/2019" lands under the destination's Sent folder):
1. the explicit mapping (source name -> destination name, both full names as each server shows them);
2. the special-use role (RFC 6154 attributes, else the common names of Sent/Drafts/Trash/Junk/...);
3. translation of the hierarchy separator and the personal namespace prefix.
Names are unicode here; imapclient does the modified UTF-7 encoding on the wire.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from workers.engine import renames
from workers.engine.renames import Draft

ROLES = ("\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive", "\\All")
# Names that mean a role on servers without SPECIAL-USE (case-insensitive, relative to the prefix).
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "\\Sent": (
        "Sent",
        "Sent Items",
        "Sent Messages",
        "Sent Mail",
        "Sent-Mail",
        "Sent Email",
        "[Gmail]/Sent Mail",
        "Gesendet",
        "Gesendete Elemente",
        "Gesendete Objekte",
        "Envoyés",
        "Éléments envoyés",
        "Elementos enviados",
        "Posta inviata",
        "Verzonden items",
    ),
    "\\Drafts": ("Drafts", "Draft", "[Gmail]/Drafts", "Entwürfe", "Brouillons", "Borradores", "Bozze"),
    "\\Trash": (
        "Trash",
        "Deleted Items",
        "Deleted Messages",
        "Deleted",
        "Bin",
        "[Gmail]/Trash",
        "[Gmail]/Bin",
        "Papierkorb",
        "Gelöschte Elemente",
        "Gelöschte Objekte",
        "Corbeille",
        "Éléments supprimés",
        "Elementos eliminados",
        "Cestino",
        "Verwijderde items",
    ),
    "\\Junk": (
        "Junk",
        "Junk E-mail",
        "Junk Email",
        "Junk Mail",
        "Junk-E-Mail",
        "Spam",
        "Bulk Mail",
        "[Gmail]/Spam",
        "Courrier indésirable",
        "Correo no deseado",
        "Posta indesiderata",
        "Ongewenste e-mail",
    ),
    "\\Archive": ("Archive", "Archives", "Archiv", "Archivo", "Archivio", "Archief"),
    "\\All": ("All Mail", "[Gmail]/All Mail", "Alle Nachrichten"),
}
_UNSELECTABLE = frozenset({"\\noselect", "\\nonexistent"})
# Replaces a destination separator found inside a source name component ("Reports 1.5" on a
# "/" server must not become a child folder "5" on a "." server).
SEPARATOR_SUBSTITUTE = "_"


@dataclass(frozen=True)
class FolderInfo:
    """One folder as LISTed: unicode name and attributes such as "\\Sent" or "\\Noselect"."""

    name: str
    flags: frozenset[str] = frozenset()

    @property
    def selectable(self) -> bool:
        return not {flag.lower() for flag in self.flags} & _UNSELECTABLE

    @property
    def role(self) -> str | None:
        lowered = {flag.lower() for flag in self.flags}
        return next((role for role in ROLES if role.lower() in lowered), None)


@dataclass(frozen=True)
class Layout:
    """A server's folder tree and naming rules."""

    separator: str
    prefix: str
    folders: tuple[FolderInfo, ...]


# Why a folder is left out when no caller-given rule says otherwise (FolderPlan.excluded_by).
LISTED = "list"
NOT_INCLUDED = "include rules"
PROVIDER_VIEW = "provider"


@dataclass(frozen=True)
class MappingRules:
    """What the task or CLI asked for. `include`/`exclude` patterns: exact name (and its subtree) or a
    full-match regex. `select`, when given, decides instead: (source name, source separator) -> why
    the folder is left out, or None to copy it (a task's rules, app/folder_rules.py)."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    select: Callable[[str, str], str | None] | None = None


@dataclass(frozen=True)
class FolderMapping:
    src: str
    dst: str
    reason: str  # "explicit" | "special-use" | "inbox" | "translated"
    dst_exists: bool
    note: str | None = None  # why the destination name differs from what the reason alone gives
    role: str | None = None  # the source folder's special-use role, for a destination folder to create


@dataclass(frozen=True)
class FolderPlan:
    mappings: tuple[FolderMapping, ...]
    excluded: tuple[str, ...]
    excluded_by: Mapping[str, str] = field(default_factory=dict)  # excluded folder -> why


def _is_inbox(name: str) -> bool:
    return name.upper() == "INBOX"


def _relative(name: str, layout: Layout) -> str:
    if layout.prefix and name.startswith(layout.prefix) and not _is_inbox(name):
        return name[len(layout.prefix) :]
    return name


def role_folders(layout: Layout) -> dict[str, str]:
    """Role -> folder name: by special-use attribute, else by the first common name present."""
    roles: dict[str, str] = {}
    for folder in layout.folders:
        role = folder.role
        if role and role not in roles and folder.selectable:
            roles[role] = folder.name
    by_name = {_relative(f.name, layout).lower(): f.name for f in layout.folders if f.selectable}
    for role, names in COMMON_NAMES.items():
        if role in roles:
            continue
        for candidate in names:
            found = by_name.get(candidate.lower()) or by_name.get(
                f"inbox{layout.separator}{candidate}".lower()
            )
            if found:
                roles[role] = found
                break
    return roles


def _escape(parts: list[str], dst: Layout) -> tuple[list[str], bool]:
    """Source name components with the destination separator replaced; whether any had one."""
    if not dst.separator:
        return parts, False
    escaped = [part.replace(dst.separator, SEPARATOR_SUBSTITUTE) for part in parts]
    return escaped, escaped != parts


def _translate(name: str, src: Layout, dst: Layout) -> tuple[str, bool]:
    if _is_inbox(name):
        return "INBOX", False
    relative = _relative(name, src)
    parts, escaped = _escape(relative.split(src.separator) if src.separator else [relative], dst)
    if _is_inbox(parts[0]) and len(parts) > 1:
        return dst.separator.join(["INBOX", *parts[1:]]), escaped
    return dst.prefix + dst.separator.join(parts), escaped


def translate_name(name: str, src: Layout, dst: Layout) -> str:
    """Rewrite a source name for the destination's separator and namespace prefix."""
    return _translate(name, src, dst)[0]


def _pattern_matches(pattern: str, name: str, separator: str) -> bool:
    if name == pattern or (separator and name.startswith(pattern + separator)):
        return True
    try:
        return re.fullmatch(pattern, name) is not None
    except re.error:
        return False


def excluded_by(name: str, rules: MappingRules, separator: str) -> str | None:
    """Why the folder is left out: `rules.select`'s answer when set; else "list" when an exclude
    pattern matches, "include rules" when include patterns exist and none matches; None: copied."""
    if rules.select is not None:
        return rules.select(name, separator)
    if any(_pattern_matches(p, name, separator) for p in rules.exclude):
        return LISTED
    if rules.include and not any(_pattern_matches(p, name, separator) for p in rules.include):
        return NOT_INCLUDED
    return None


def is_excluded(name: str, rules: MappingRules, separator: str) -> bool:
    return excluded_by(name, rules, separator) is not None


def _ancestors(name: str, separator: str) -> list[tuple[str, str]]:
    """(ancestor-or-self, remainder) pairs, the folder itself first."""
    if not separator:
        return [(name, "")]
    parts = name.split(separator)
    return [(separator.join(parts[:i]), separator.join(parts[i:])) for i in range(len(parts), 0, -1)]


def _under(base: str, remainder: str, src: Layout, dst: Layout) -> tuple[str, bool]:
    if not remainder:
        return base, False
    parts, escaped = _escape(remainder.split(src.separator), dst)
    return dst.separator.join([base, *parts]), escaped


def map_folder(
    name: str,
    src: Layout,
    dst: Layout,
    rules: MappingRules,
    roles: tuple[dict[str, str], dict[str, str]] | None = None,
) -> tuple[str, str]:
    """(destination name, reason) for one source folder; `roles` caches role_folders() of both sides."""
    dst_name, reason, _ = _map_folder(name, src, dst, rules, roles)
    return dst_name, reason


def _map_folder(
    name: str,
    src: Layout,
    dst: Layout,
    rules: MappingRules,
    roles: tuple[dict[str, str], dict[str, str]] | None = None,
) -> tuple[str, str, bool]:
    """(destination name, reason, whether a name component had to be escaped)."""
    ancestors = _ancestors(name, src.separator)
    for ancestor, rest in ancestors:
        if ancestor in rules.mapping:
            dst_name, escaped = _under(rules.mapping[ancestor], rest, src, dst)
            return dst_name, "explicit", escaped
    if _is_inbox(name):
        return "INBOX", "inbox", False
    src_by_role, dst_roles = roles or (role_folders(src), role_folders(dst))
    src_roles = {folder: role for role, folder in src_by_role.items()}
    for ancestor, rest in ancestors:
        role = src_roles.get(ancestor)
        if role and role in dst_roles:
            dst_name, escaped = _under(dst_roles[role], rest, src, dst)
            return dst_name, "special-use", escaped
    dst_name, escaped = _translate(name, src, dst)
    return dst_name, "translated", escaped


def plan_folders(src: Layout, dst: Layout, rules: MappingRules) -> FolderPlan:
    """Map every selectable, non-excluded source folder; INBOX first, then by name."""
    dst_names = {f.name for f in dst.folders if f.selectable}
    roles = (role_folders(src), role_folders(dst))
    src_roles = {folder: role for role, folder in roles[0].items()}
    drafts: list[tuple[Draft, str]] = []
    excluded: dict[str, str] = {}
    for folder in src.folders:
        if not folder.selectable:
            continue
        why = excluded_by(folder.name, rules, src.separator)
        if why is not None:
            excluded[folder.name] = why
            continue
        dst_name, reason, escaped = _map_folder(folder.name, src, dst, rules, roles)
        drafts.append((Draft(folder.name, dst_name, escaped, reason), reason))
    renamed = renames.resolve([d for d, _ in drafts], src.separator, dst.separator, SEPARATOR_SUBSTITUTE)
    mappings: list[FolderMapping] = []
    for draft, reason in drafts:
        dst_name, note = renamed.get(draft.src, (draft.dst, None))
        exists = dst_name in dst_names or _is_inbox(dst_name)
        # A source role the destination has no folder for: the folder is created with that role.
        role = src_roles.get(draft.src) if reason == "translated" and not note else None
        mappings.append(FolderMapping(draft.src, dst_name, reason, exists, note, role))
    mappings.sort(key=lambda m: (not _is_inbox(m.src), m.src))  # a parent sorts before its children
    return FolderPlan(tuple(mappings), tuple(excluded), excluded)


def folders_to_create(plan: FolderPlan, separator: str) -> Sequence[str]:
    """Destination folders to create, each once, parents before children."""
    missing = {mapping.dst for mapping in plan.mappings if not mapping.dst_exists}
    return sorted(missing, key=lambda name: (name.count(separator or "\0"), name))
