"""A task's folder rules (pure): the destination names a mapping may hold, and which source folders
the exclusion list and the include/exclude regex rules leave out (docs/console.md, "Folder rules").

One implementation for the API (it refuses what breaks them, and previews the regex rules) and for
the workers (the copy job and the dry-run plan decide with `FolderRules.excluded_by`), so the
preview uses exactly the regex semantics of a run. The browser checks the same name rules as you
type, plus those that need the destination's separator and namespace, in
frontend/src/features/tasks/lib/folder-names.ts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MAX_PATTERNS = 50
MAX_PATTERN_LENGTH = 500
WILDCARDS = ("*", "%")
LIST_REASON = "list"
INCLUDE_REASON = "include rules"


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


def name_problem(name: str) -> str | None:
    """Why a destination folder name cannot be used whatever the server (None when it can)."""
    if not name.strip():
        return "Enter a folder name (or leave it empty for the automatic one)."
    if any(wildcard in name for wildcard in WILDCARDS):
        return 'A folder name cannot hold "*" or "%": IMAP reads them as LIST wildcards.'
    if any(_is_control(char) for char in name):
        return "A folder name cannot hold control characters (tabs, line breaks)."
    return None


def destination_key(name: str) -> str:
    """Names that are the same folder on every server: INBOX in any case."""
    return "INBOX" if name.upper() == "INBOX" else name


def mapping_problems(mapping: Mapping[str, str]) -> dict[str, str]:
    """Per source folder (`folder_mapping.<source>`), why its destination is refused: a bad name, or
    a destination another source folder is mapped to as well."""
    problems: dict[str, str] = {}
    by_destination: dict[str, list[str]] = {}
    for source, destination in mapping.items():
        problem = name_problem(destination)
        if problem is not None:
            problems[f"folder_mapping.{source}"] = problem
        else:
            by_destination.setdefault(destination_key(destination), []).append(source)
    for destination, sources in by_destination.items():
        if len(sources) < 2:
            continue
        for source in sources:
            others = ", ".join(f'"{other}"' for other in sources if other != source)
            problems[f"folder_mapping.{source}"] = (
                f'{others} also goes to "{destination}": two folders cannot share a destination.'
            )
    return problems


def pattern_problem(pattern: str) -> str | None:
    """Why a regex rule is refused (None when Python's `re` compiles it)."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f'"{pattern}" is not a valid regular expression: {exc}'
    return None


def slash_name(name: str, separator: str) -> str:
    """The folder's name with "/" between levels, whatever the source server's separator."""
    return name if separator in ("", "/") else name.replace(separator, "/")


def _listed(entry: str, name: str, separator: str) -> bool:
    """An exclusion-list entry: the folder's exact name (and its subtree), or a full-match regex."""
    if name == entry or (separator and name.startswith(entry + separator)):
        return True
    try:
        return re.fullmatch(entry, name) is not None
    except re.error:
        return False


@dataclass(frozen=True)
class FolderRules:
    """A task's folder selection: `listed` (exclude_folders), then the regex rules, matched with
    `re.search` against the name written with "/" between levels, case-sensitive unless a pattern
    says `(?i)`. INBOX is not special: rules apply to it too."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    listed: tuple[str, ...] = ()

    def decide(self, name: str, separator: str) -> tuple[bool, str | None]:
        """(copied, the rule that decided): "list", "exclude rule <pattern>", "include rules", or for
        a copied folder "include rule <pattern>" (None when no rule had a say)."""
        if any(_listed(entry, name, separator) for entry in self.listed):
            return False, LIST_REASON
        slashed = slash_name(name, separator)
        for pattern in self.exclude:
            if re.search(pattern, slashed):
                return False, f"exclude rule {pattern}"
        if not self.include:
            return True, None
        for pattern in self.include:
            if re.search(pattern, slashed):
                return True, f"include rule {pattern}"
        return False, INCLUDE_REASON

    def excluded_by(self, name: str, separator: str) -> str | None:
        """Why the folder is left out of a run, or None when it is copied."""
        copied, rule = self.decide(name, separator)
        return None if copied else rule

    def preview(self, names: Iterable[str], separator: str) -> list[tuple[str, bool, str | None]]:
        return [(name, *self.decide(name, separator)) for name in names]
