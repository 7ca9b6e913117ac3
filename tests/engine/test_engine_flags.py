"""Flag sync on later passes: source changes come over, destination-side changes survive."""

from __future__ import annotations

import pytest

from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import connect, pair
from tests.imap_fixtures import LoadedSource
from workers.engine.copier import compare_mailbox, copy_mailbox
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap


def _flags(server: ImapServer, username: str, folder: str) -> dict[int, set[bytes]]:
    client = connect(server, username)
    try:
        client.select_folder(folder, readonly=True)
        fetched = client.fetch(client.search(["ALL"]), ["FLAGS"])
    finally:
        client.logout()
    return {uid: set(item[b"FLAGS"]) - {b"\\Recent"} for uid, item in fetched.items()}


def test_source_flag_changes_propagate_and_destination_changes_survive(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    username = loaded_source.username
    src, dst = pair(src_server, dst_server, username)
    state = MemoryState()
    copy_mailbox(src, dst, None, state)
    before = _flags(src_server, username, "INBOX")
    # Messages were appended in UID order into an empty folder: the Nth source UID is the Nth destination UID.
    src_uids = sorted(before)
    seen = [uid for uid in src_uids if b"\\Seen" in before[uid]]
    unflagged = [uid for uid in src_uids if b"\\Flagged" not in before[uid]]
    flag_on, unseen_on_src, label_on_dst, unseen_on_dst = unflagged[0], seen[1], seen[2], seen[3]
    client = connect(src_server, username)
    try:
        client.select_folder("INBOX")
        client.add_flags([flag_on], [b"\\Flagged", b"$Important"])
        client.remove_flags([unseen_on_src], [b"\\Seen"])
    finally:
        client.logout()
    client = connect(dst_server, username)
    try:
        client.select_folder("INBOX")
        client.add_flags([src_uids.index(label_on_dst) + 1], [b"$Label9"])
        client.remove_flags([src_uids.index(unseen_on_dst) + 1], [b"\\Seen"])
    finally:
        client.logout()

    second = copy_mailbox(src, dst, None, state)

    assert (second.copied, second.flags_updated) == (0, 2)
    after = _flags(dst_server, username, "INBOX")
    dst_uid = {uid: src_uids.index(uid) + 1 for uid in src_uids}
    assert {b"\\Flagged", b"$Important"} <= after[dst_uid[flag_on]]
    assert b"\\Seen" not in after[dst_uid[unseen_on_src]]
    assert b"$Label9" in after[dst_uid[label_on_dst]]  # the destination user's change is kept
    assert b"\\Seen" not in after[dst_uid[unseen_on_dst]]  # ... and so is this one
    assert compare_mailbox(src, dst).flag_differences == 2

    third = copy_mailbox(src, dst, None, state)
    assert third.flags_updated == 0
    assert {f.status for f in third.folders} == {"unchanged"}
