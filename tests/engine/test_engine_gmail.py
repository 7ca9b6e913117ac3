"""A Gmail-shaped source on Dovecot: label folders, an All Mail holding a copy of every message, and
archived messages only in All Mail (docs/providers.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from testbed.corpus import load_corpus, new_messages, snapshot
from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import pair
from tests.gmail_shape import ALL_MAIL, gmail_source
from workers.engine.copier import copy_mailbox, plan_mailbox
from workers.engine.options import CopyOptions
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap

GMAIL = CopyOptions(gmail_source=True)


def _bodies(view: dict[str, list[object]], folder: str) -> Counter[bytes]:
    return Counter(s.raw for s in view.get(folder, []))  # type: ignore[attr-defined]


def test_labels_once_archived_mail_in_archive_nothing_twice_and_a_delta_adds_nothing(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    labelled = list(new_messages(6, folders=("INBOX", "Work", "Travel"), batch=71))
    archived = [replace(m, folder=ALL_MAIL) for m in new_messages(3, batch=72)]
    load_corpus(src_server, imap_user, gmail_source(labelled, archived))
    src, dst = pair(src_server, dst_server, imap_user)

    plan = plan_mailbox(src, dst, GMAIL)
    assert {ALL_MAIL, "[Gmail]/Starred", "[Gmail]/Important"} <= {
        src_server.logical_name(name) for name in plan.excluded
    }

    state = MemoryState()
    first = copy_mailbox(src, dst, GMAIL, state)
    assert first.status == "ok", first.error_list
    assert (first.copied, first.errors) == (6 + 1 + 3, 0)  # one message has two labels

    view = snapshot(dst_server, imap_user)
    for folder in ("INBOX", "Work", "Travel"):
        expected = Counter(m.raw for m in labelled if m.folder == folder)
        if folder == "Travel":
            expected[labelled[1].raw] += 1
        assert _bodies(view, folder) == expected, folder
    assert _bodies(view, "Archive") == Counter(m.raw for m in archived)
    assert not {name for name in view if name.startswith("[Gmail]")} - {"[Gmail]"}
    everything = sum((Counter(s.raw for s in msgs) for msgs in view.values()), Counter[bytes]())
    assert everything == Counter(m.raw for m in [*labelled, labelled[1], *archived])  # nothing twice
    archived_line = next(f for f in first.folders if src_server.logical_name(f.folder) == ALL_MAIL)
    assert (archived_line.copied, archived_line.dst_folder) == (3, dst_server.mailbox_name("Archive"))

    second = copy_mailbox(src, dst, GMAIL, state)
    assert (second.status, second.copied, second.errors) == ("ok", 0, 0)
    assert snapshot(dst_server, imap_user) == view

    # A message archived since: the next pass brings it, and only it.
    later = [replace(m, folder=ALL_MAIL) for m in new_messages(1, batch=73)]
    load_corpus(src_server, imap_user, later)
    third = copy_mailbox(src, dst, GMAIL, state)
    assert (third.status, third.copied, third.errors) == ("ok", 1, 0)
    assert _bodies(snapshot(dst_server, imap_user), "Archive") == Counter(m.raw for m in [*archived, *later])
