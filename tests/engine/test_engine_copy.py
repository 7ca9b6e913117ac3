"""copy_mailbox against the two real Dovecot servers: complete, byte-identical, incremental."""

from __future__ import annotations

import pytest

from testbed.corpus import load_corpus, new_messages, snapshot
from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import (
    connect,
    expected_destination,
    pair,
    without_empty_extras,
)
from tests.imap_fixtures import LoadedSource
from workers.engine.copier import compare_mailbox, copy_mailbox, plan_mailbox
from workers.engine.events import EngineEvent, FolderDone, FolderStarted, PlanMade, Progress
from workers.engine.options import CopyOptions
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap


def test_full_copy_is_complete_and_byte_identical_then_the_second_pass_copies_nothing(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    state = MemoryState()
    events: list[EngineEvent] = []

    first = copy_mailbox(src, dst, CopyOptions(), state, on_event=events.append)

    assert first.status == "ok", first.error_list
    assert (first.copied, first.skipped, first.errors) == (len(loaded_source.messages), 0, 0)
    assert first.bytes == loaded_source.stats.bytes
    expected = expected_destination(snapshot(src_server, loaded_source.username))
    assert without_empty_extras(snapshot(dst_server, loaded_source.username), expected) == expected
    comparison = compare_mailbox(src, dst)
    assert comparison.complete
    assert (comparison.missing, comparison.duplicated, comparison.flag_differences) == (0, 0, 0)

    assert isinstance(events[0], PlanMade)
    started = [e.folder for e in events if isinstance(e, FolderStarted)]
    done = [e.result.folder for e in events if isinstance(e, FolderDone)]
    assert started == done == [f.folder for f in first.folders]
    assert sum(1 for e in events if isinstance(e, Progress)) >= 13

    second = copy_mailbox(src, dst, CopyOptions(), state)
    assert (second.status, second.copied, second.skipped, second.errors) == ("ok", 0, 0, 0)
    assert {f.status for f in second.folders} == {"unchanged"}


def test_special_use_and_namespace_translation(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    plan = {f.src: f for f in plan_mailbox(src, dst).folders}
    assert plan["Sent Items"].dst == "INBOX.Sent"
    assert plan["Deleted Items"].dst == "INBOX.Trash"
    assert plan["Junk E-mail"].dst == "INBOX.Junk"
    assert plan["Sent Items"].reason == "special-use"
    assert plan["Projects/2024/Q1"].dst == "INBOX.Projects.2024.Q1"
    assert plan["Réunions/Équipe"].dst == "INBOX.Réunions.Équipe"
    assert plan["R&D"].dst == "INBOX.R&D"
    assert plan["INBOX"].messages == sum(1 for m in loaded_source.messages if m.folder == "INBOX")
    assert plan["INBOX"].size and plan["INBOX"].size > 3_000_000
    assert not plan["Projects"].dst_exists

    client = connect(dst_server, loaded_source.username)
    try:
        names = {name for _, _, name in client.list_folders()}
        assert "INBOX.Projects" not in names  # the dry run wrote nothing
    finally:
        client.logout()
    copy_mailbox(src, dst)
    client = connect(dst_server, loaded_source.username)
    try:
        listed = {name: flags for flags, _, name in client.list_folders()}
        subscribed = {name for _, _, name in client.list_sub_folders()}
    finally:
        client.logout()
    assert {"INBOX.Réunions.Équipe", "INBOX.R&D", "INBOX.Entwürfe", "INBOX.Projects.2024.Q1"} <= set(listed)
    assert "INBOX.Sent Items" not in listed
    assert "INBOX.Réunions.Équipe" in subscribed


def test_delta_pass_copies_exactly_the_new_messages(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    state = MemoryState()
    copy_mailbox(src, dst, None, state)
    fresh = list(new_messages(20, folders=("INBOX", "Projects/2024", "Sent Items")))
    load_corpus(src_server, loaded_source.username, fresh)

    delta = copy_mailbox(src, dst, None, state)

    assert (delta.status, delta.copied, delta.skipped, delta.errors) == ("ok", 20, 0, 0)
    by_folder = {f.folder: f for f in delta.folders}
    copied = [by_folder[name].copied for name in ("INBOX", "Projects/2024", "Sent Items")]
    assert copied == [7, 7, 6]
    assert by_folder["Archive"].status == "unchanged"
    assert compare_mailbox(src, dst).complete
    assert copy_mailbox(src, dst, None, state).copied == 0


def test_include_exclude_and_explicit_mapping(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    options = CopyOptions(
        folder_mapping={"Archive": "INBOX.Old Archive"}, include=("Archive", "Drafts"), exclude=("Drafts",)
    )
    result = copy_mailbox(src, dst, options)
    assert [f.folder for f in result.folders] == ["Archive", "Archive/2019"]
    assert [f.dst_folder for f in result.folders] == ["INBOX.Old Archive", "INBOX.Old Archive.2019"]
    assert result.copied == sum(1 for m in loaded_source.messages if m.folder.startswith("Archive"))
    comparison = compare_mailbox(src, dst, options)
    assert comparison.complete and len(comparison.folders) == 2


def test_a_message_already_on_the_destination_is_not_copied_again(
    src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    """No state, but the destination already holds part of the mailbox (say, from imapsync)."""
    username = loaded_source.username
    already = [m for m in loaded_source.messages if m.folder == "INBOX"][:30]
    load_corpus(dst_server, username, already)
    src, dst = pair(src_server, dst_server, username)

    result = copy_mailbox(src, dst)

    assert result.skipped == 30
    assert result.copied == len(loaded_source.messages) - 30
    comparison = compare_mailbox(src, dst)
    assert comparison.complete, comparison.folders


def test_a_large_message_copies_intact(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    head = b"From: a@example.com\r\nSubject: big\r\nMessage-ID: <big-1@example.com>\r\n\r\n"
    body = head + b"0123456789abcdef\r\n" * (24 * 1024 * 1024 // 18)
    client = connect(src_server, imap_user)
    try:
        client.append("INBOX", b"Subject: small\r\n\r\nhi\r\n")
        client.append("INBOX", body, [b"\\Seen"])
    finally:
        client.logout()
    src, dst = pair(src_server, dst_server, imap_user)
    result = copy_mailbox(src, dst, CopyOptions(batch_bytes=1024 * 1024))
    assert (result.copied, result.errors) == (2, 0)
    got = snapshot(dst_server, imap_user)["INBOX"]
    assert got[1].raw == body and got[1].flags == {"\\Seen"}


def test_bare_carriage_returns_survive_single_appends(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    """imaplib's own APPEND rewrites lone CRs to CRLF; ours must send the bytes untouched."""
    raw = b"Subject: lone cr\r\nFrom: a@example.com\r\n\r\nbefore\rafter\r\n"
    client = connect(src_server, imap_user)
    try:
        client.multiappend("INBOX", [{"msg": raw, "flags": [b"$Label1"]}])
    finally:
        client.logout()
    src, dst = pair(src_server, dst_server, imap_user)
    result = copy_mailbox(src, dst, CopyOptions(batch_messages=1))
    assert (result.copied, result.errors) == (1, 0)
    assert snapshot(dst_server, imap_user)["INBOX"] == snapshot(src_server, imap_user)["INBOX"]
    assert snapshot(dst_server, imap_user)["INBOX"][0].raw == raw
    assert compare_mailbox(src, dst).complete


def test_a_folder_renamed_for_the_destination_separator_is_reported_and_kept_apart(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    """ "a.b" becomes "a_b" on a "." server; the source's own "a_b" keeps that name, "a.b" gets another."""
    client = connect(src_server, imap_user)
    try:
        for folder in ("Reports 1.5", "a.b", "a_b"):
            client.create_folder(folder)
            for tag in (f"only-in-{folder}", "in-both"):
                raw = f"Subject: {tag}\r\nMessage-ID: <{tag}@example.com>\r\n\r\n{tag}\r\n".encode()
                client.append(folder, raw)
    finally:
        client.logout()
    src, dst = pair(src_server, dst_server, imap_user)

    plan = {f.src: f for f in plan_mailbox(src, dst).folders}
    assert (plan["Reports 1.5"].dst, plan["a_b"].dst, plan["a.b"].dst) == (
        "INBOX.Reports 1_5",
        "INBOX.a_b",
        "INBOX.a_b (2)",
    )
    assert plan["Reports 1.5"].note and "separates folders" in plan["Reports 1.5"].note
    assert plan["a.b"].note and "already the destination of 'a_b'" in plan["a.b"].note
    assert plan["a_b"].note is None

    result = copy_mailbox(src, dst)
    assert (result.status, result.copied) == ("ok", 6)
    assert compare_mailbox(src, dst).complete
    copied = snapshot(dst_server, imap_user)
    assert [len(copied[name]) for name in ("Reports 1_5", "a_b", "a_b (2)")] == [2, 2, 2]
