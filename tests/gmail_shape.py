"""A Gmail-shaped source for Dovecot tests (docs/providers.md): label folders, Starred and Important
views, and an All Mail holding every message plus archived ones."""

from __future__ import annotations

from dataclasses import replace

from testbed.corpus import CorpusMessage

ALL_MAIL = "[Gmail]/All Mail"


def gmail_source(labelled: list[CorpusMessage], archived: list[CorpusMessage]) -> list[CorpusMessage]:
    """Labels as folders (one message with two labels), Starred and Important views, and All Mail."""
    second_label = replace(labelled[1], folder="Travel")  # labelled[1] is in Work
    starred = [replace(labelled[0], folder="[Gmail]/Starred"), replace(archived[0], folder="[Gmail]/Starred")]
    important = [replace(archived[1], folder="[Gmail]/Important")]
    all_mail = [replace(m, folder=ALL_MAIL) for m in labelled] + archived
    return [*labelled, second_label, *starred, *important, *all_mail]
