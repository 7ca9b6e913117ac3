"""Defects Cyrus IMAP shows, each reproduced on the test bed's Cyrus server (testbed/cyrus.py).

See docs/servers.md for the differences between the servers and how the engine handles them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from testbed.corpus import CorpusMessage, load_corpus, new_messages
from testbed.cyrus import CyrusImapServer
from testbed.dovecot import ImapServer
from testbed.faultproxy import FaultProxy
from tests.engine.engine_fixtures import pair
from tests.engine.test_engine_cli import as_json, run, urls
from tests.imap_fixtures import new_username
from workers.engine.copier import compare_mailbox, copy_mailbox, plan_mailbox
from workers.engine.events import EngineEvent, PlanMade
from workers.engine.options import CopyOptions
from workers.engine.search_reply import uid_search
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap


@pytest.fixture()
def cyrus_user(
    cyrus_server: CyrusImapServer, src_server: ImapServer, dst_server: ImapServer
) -> Iterator[str]:
    """A fresh user on Cyrus and on both Dovecot servers."""
    username = new_username()
    cyrus_server.add_user(username)
    yield username
    cyrus_server.reset_user(username)
    src_server.reset_user(username)
    dst_server.reset_user(username)


def few(count: int, batch: int = 1, folders: tuple[str, ...] = ("INBOX",)) -> list[CorpusMessage]:
    return list(new_messages(count, folders=folders, batch=batch))


def test_a_delta_pass_from_cyrus_copies_the_new_message(
    cyrus_server: CyrusImapServer, dst_server: ImapServer, cyrus_user: str
) -> None:
    load_corpus(cyrus_server, cyrus_user, few(3))
    src, dst = pair(cyrus_server, dst_server, cyrus_user)
    state = MemoryState()
    first = copy_mailbox(src, dst, state=state)
    assert (first.status, first.copied) == ("ok", 3), first.error_list

    # Nothing changed its flags since: Cyrus answers the MODSEQ search with `* SEARCH (MODSEQ n)`.
    load_corpus(cyrus_server, cyrus_user, few(1, batch=2))
    second = copy_mailbox(src, dst, state=state)
    assert (second.status, second.copied, second.errors) == ("ok", 1, 0), second.error_list


def test_the_cli_delta_pass_from_cyrus_exits_clean(
    cyrus_server: CyrusImapServer, dst_server: ImapServer, cyrus_user: str, tmp_path: Path
) -> None:
    load_corpus(cyrus_server, cyrus_user, few(2))
    where = [*urls(cyrus_server, dst_server, cyrus_user), "--state-file", str(tmp_path / "state.json")]
    assert run("copy", *where).returncode == 0
    load_corpus(cyrus_server, cyrus_user, few(1, batch=2))
    done = run("copy", *where, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert as_json(done)["copied"] == 1


def test_two_source_folders_never_share_a_destination_folder(
    src_server: ImapServer, cyrus_server: CyrusImapServer, cyrus_user: str
) -> None:
    # "INBOX/Unterordner" and "Unterordner" both translate to INBOX.Unterordner on Cyrus; the user
    # folder "Junk" translates to INBOX.Junk, Cyrus's \Junk folder, where "Junk E-mail" (\Junk) goes.
    message, other = few(2)
    folders = ("INBOX/Unterordner", "Unterordner", "Junk E-mail", "Junk")
    load_corpus(src_server, cyrus_user, [replace(m, folder=f) for f in folders for m in (message, other)])
    src, dst = pair(src_server, cyrus_server, cyrus_user)

    plan = {f.src: f for f in plan_mailbox(src, dst).folders}
    destinations = [plan[f].dst for f in folders]
    assert len(set(destinations)) == 4, destinations
    assert plan["Unterordner"].dst == "INBOX.Unterordner" and plan["Unterordner"].note is None
    assert plan["Junk E-mail"].dst == "INBOX.Junk" and plan["Junk E-mail"].note is None
    for moved in ("INBOX/Unterordner", "Junk"):
        assert plan[moved].note and "already the destination of" in plan[moved].note
    assert plan_mailbox(src, dst).folders == tuple(plan_mailbox(src, dst).folders)  # stable

    result = copy_mailbox(src, dst)
    assert (result.status, result.copied) == ("ok", 8), result.error_list
    comparison = compare_mailbox(src, dst)
    assert (comparison.missing, comparison.duplicated) == (0, 0), comparison.folders
    again = {f.src: f.dst for f in plan_mailbox(src, dst).folders}
    assert [again[f] for f in folders] == destinations  # the next pass finds the same names


EIGHT_BIT = (
    b"From: =?utf-8?q?J=C3=BCrgen?= <j@example.com>\r\nTo: a@example.com\r\n"
    b"Subject: Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln\r\nMessage-ID: <raw-8bit@example.com>\r\n"
    b"Date: Mon, 02 Mar 2026 10:00:00 +0100\r\n\r\nHallo\r\n"
)


def test_a_message_the_destination_alters_is_reported_as_a_warning(
    src_server: ImapServer, cyrus_server: CyrusImapServer, cyrus_user: str
) -> None:
    plain = few(3)
    load_corpus(src_server, cyrus_user, [*plain, replace(plain[0], raw=EIGHT_BIT)])
    src, dst = pair(src_server, cyrus_server, cyrus_user)

    result = copy_mailbox(src, dst)  # Cyrus's munge8bit rewrites the raw 8-bit Subject to X

    assert (result.status, result.copied, result.errors) == ("ok", 4, 0), result.error_list
    assert result.altered == 1
    assert {f.folder: f.altered for f in result.folders}["INBOX"] == 1
    shallow = compare_mailbox(src, dst)
    assert shallow.complete and shallow.altered == 0  # identities match: only a deep compare sees it
    deep = compare_mailbox(src, dst, deep=True)
    assert deep.complete and deep.altered == 1
    assert {f.src: f.altered for f in deep.folders}["INBOX"] == 1


def test_alterations_are_found_when_appends_are_pipelined_and_checked_a_batch_late(
    src_server: ImapServer, cyrus_server: CyrusImapServer, cyrus_user: str
) -> None:
    """Without MULTIAPPEND (hidden here by the proxy) the check of a batch rides in the next batch's
    round trip, and the last batch's is made on its own: an altered message is found in both."""
    plain = few(6)
    second = EIGHT_BIT.replace(b"raw-8bit@", b"raw-8bit-last@")
    load_corpus(src_server, cyrus_user, [*plain[:2], replace(plain[0], raw=EIGHT_BIT), *plain[2:]])
    load_corpus(src_server, cyrus_user, [replace(plain[1], raw=second)])  # in the last batch
    hide = (rb" MULTIAPPEND", b"")
    with FaultProxy(cyrus_server.port_plain, rewrite=hide, max_rewrites=1_000) as proxy:
        src, dst = pair(src_server, cyrus_server, cyrus_user)
        dst = replace(dst, port=proxy.port)
        result = copy_mailbox(src, dst, CopyOptions(batch_messages=3, parallel_folders=1))
        assert proxy.rewrites > 0  # the engine was told there is no MULTIAPPEND

    assert (result.status, result.copied, result.errors) == ("ok", 8, 0), result.error_list
    assert result.altered == 2
    assert compare_mailbox(src, replace(dst, port=cyrus_server.port_plain), deep=True).altered == 2


def test_an_unaltered_copy_reports_no_alteration(
    src_server: ImapServer, dst_server: ImapServer, cyrus_server: CyrusImapServer, cyrus_user: str
) -> None:
    load_corpus(src_server, cyrus_user, [*few(3), replace(few(1)[0], raw=EIGHT_BIT)])
    src, dst = pair(src_server, dst_server, cyrus_user)  # Dovecot stores what it is sent
    result = copy_mailbox(src, dst)
    assert (result.status, result.copied, result.altered) == ("ok", 4, 0), result.error_list
    assert compare_mailbox(src, dst, deep=True).altered == 0


def test_the_cli_reports_renamed_folders_and_altered_messages(
    src_server: ImapServer, cyrus_server: CyrusImapServer, cyrus_user: str, tmp_path: Path
) -> None:
    message = few(1)[0]
    folders = ("INBOX/Unterordner", "Unterordner")
    load_corpus(src_server, cyrus_user, [replace(message, folder=f, raw=EIGHT_BIT) for f in folders])
    where = [*urls(src_server, cyrus_server, cyrus_user), "--state-file", str(tmp_path / "state.json")]

    plan = run("copy", *where, "--dry-run")
    assert plan.returncode == 0 and "already the destination of 'Unterordner'" in plan.stdout, plan.stdout

    done = run("copy", *where, "--json")
    assert done.returncode == 0, done.stdout + done.stderr  # alterations are warnings: exit 0
    result = as_json(done)
    assert (result["copied"], result["errors"], result["altered"]) == (2, 0, 2)
    by_folder = {f["folder"]: f for f in result["folders"]}
    assert by_folder["INBOX/Unterordner"]["dst_folder"] == "INBOX.Unterordner (2)"
    assert "already the destination" in by_folder["INBOX/Unterordner"]["note"]
    assert by_folder["Unterordner"]["note"] is None

    text = run("compare", *urls(src_server, cyrus_server, cyrus_user), "--deep")
    assert text.returncode == 0 and "stored altered by the destination" in text.stdout, text.stdout
    deep = as_json(run("compare", *urls(src_server, cyrus_server, cyrus_user), "--deep", "--json"))
    assert (deep["missing"], deep["duplicated"], deep["altered"]) == (0, 0, 2)


def test_a_folder_the_engine_creates_gets_its_special_use_role(
    src_server: ImapServer, cyrus_server: CyrusImapServer, cyrus_user: str
) -> None:
    load_corpus(src_server, cyrus_user, few(2, folders=("Archive",)))  # \Archive on the source
    src, dst = pair(src_server, cyrus_server, cyrus_user)
    assert {f.src: f.dst for f in plan_mailbox(src, dst).folders}["Archive"] == "INBOX.Archive"

    assert copy_mailbox(src, dst).copied == 2
    client = cyrus_server.connect(cyrus_user)
    try:
        listed = {name: {f.decode().lower() for f in flags} for flags, _, name in client.list_folders()}
    finally:
        client.logout()
    assert "\\archive" in listed["INBOX.Archive"]
    again = {f.src: f for f in plan_mailbox(src, dst).folders}["Archive"]
    assert (again.dst, again.reason) == ("INBOX.Archive", "special-use")


def test_the_plan_and_the_run_warn_when_the_account_cannot_fit_the_destination_quota(
    src_server: ImapServer, cyrus_server: CyrusImapServer, cyrus_user: str, tmp_path: Path
) -> None:
    messages = few(6)  # 1 to 20 kB each
    load_corpus(src_server, cyrus_user, messages)
    cyrus_server.connect(cyrus_user).logout()  # the first login creates the mailbox
    cyrus_server.set_quota(cyrus_user, 20)  # KiB
    src, dst = pair(src_server, cyrus_server, cyrus_user)

    plan = plan_mailbox(src, dst)
    assert plan.quota is not None
    assert (plan.quota.limit_bytes, plan.quota.needed_bytes) == (20 * 1024, sum(len(m.raw) for m in messages))
    assert plan.quota.warning and "has 20 kB free of its 20 kB quota" in plan.quota.warning

    events: list[EngineEvent] = []
    result = copy_mailbox(src, dst, on_event=events.append)
    planned = next(e for e in events if isinstance(e, PlanMade))
    assert planned.quota is not None and planned.quota.warning  # said before copying
    assert result.errors > 0 and result.copied < len(messages)  # the server refused at the limit
    assert all(e.code == "message_refused" for e in result.error_list)

    state = ["--state-file", str(tmp_path / "state.json")]
    text = run("copy", *urls(src_server, cyrus_server, cyrus_user), *state, "--dry-run")
    assert "destination quota:" in text.stdout and "warning: quota:" in text.stdout, text.stdout


def test_no_quota_check_without_a_storage_limit(
    src_server: ImapServer, dst_server: ImapServer, cyrus_server: CyrusImapServer, cyrus_user: str
) -> None:
    load_corpus(src_server, cyrus_user, few(1))
    assert plan_mailbox(*pair(src_server, cyrus_server, cyrus_user)).quota is None  # Cyrus, no limit
    assert plan_mailbox(*pair(src_server, dst_server, cyrus_user)).quota is None  # Dovecot: QUOTA, no root


@pytest.mark.parametrize("esearch", [False, True], ids=["SEARCH", "ESEARCH"])
def test_cyrus_search_replies_with_and_without_matches(
    cyrus_server: CyrusImapServer, cyrus_user: str, esearch: bool
) -> None:
    load_corpus(cyrus_server, cyrus_user, few(2))
    client = cyrus_server.connect(cyrus_user)
    try:
        modseq = client.select_folder("INBOX", readonly=True)[b"HIGHESTMODSEQ"]
        nothing = uid_search(client, ["MODSEQ", str(modseq + 1), "UID", "1:*"], esearch=esearch)
        everything = uid_search(client, ["MODSEQ", "1", "UID", "1:*"], esearch=esearch)
    finally:
        client.logout()
    assert nothing.uids == ()  # plain SEARCH: Cyrus answers `* SEARCH (MODSEQ n)`
    assert everything.uids == (1, 2) and everything.modseq == modseq
