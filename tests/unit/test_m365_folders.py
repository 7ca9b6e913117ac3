"""Microsoft 365 mailboxes without SPECIAL-USE: the localized folder names still map by role."""

from __future__ import annotations

import pytest

from workers.engine.plan import FolderInfo, Layout, role_folders

M365_NAMES = {
    "en": ("Sent Items", "Deleted Items", "Junk Email", "Archive", "Drafts"),
    "de": ("Gesendete Elemente", "Gelöschte Elemente", "Junk-E-Mail", "Archiv", "Entwürfe"),
    "fr": ("Éléments envoyés", "Éléments supprimés", "Courrier indésirable", "Archives", "Brouillons"),
    "es": ("Elementos enviados", "Elementos eliminados", "Correo no deseado", "Archivo", "Borradores"),
}


@pytest.mark.parametrize("language", sorted(M365_NAMES))
def test_localized_microsoft365_folders_map_by_role(language: str) -> None:
    sent, trash, junk, archive, drafts = M365_NAMES[language]
    names = ("INBOX", sent, trash, junk, archive, drafts, "Outbox", "Conversation History")
    layout = Layout("/", "", tuple(FolderInfo(name, frozenset()) for name in names))
    assert role_folders(layout) == {
        "\\Sent": sent,
        "\\Trash": trash,
        "\\Junk": junk,
        "\\Archive": archive,
        "\\Drafts": drafts,
    }
