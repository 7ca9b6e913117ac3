"""Gmail source folder rules (pure): which folders are views, and who switches the rules on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from app.services.runs.account_runs import AccountLogin, EndpointSpec
from cli.copy import _options
from cli.main import build_parser
from workers.engine.gmail import archived_messages, gmail_folders, label_folders, without_views
from workers.engine.plan import FolderInfo, Layout, MappingRules, plan_folders
from workers.engine.session import ServerInfo
from workers.jobs.logins import copy_options


def _layout(*folders: tuple[str, set[str]]) -> Layout:
    return Layout("/", "", tuple(FolderInfo(name, frozenset(flags)) for name, flags in folders))


GMAIL = _layout(
    ("INBOX", set()),
    ("[Gmail]", {"\\Noselect", "\\HasChildren"}),
    ("[Gmail]/All Mail", {"\\All"}),
    ("[Gmail]/Important", {"\\Important"}),
    ("[Gmail]/Starred", {"\\Flagged"}),
    ("[Gmail]/Sent Mail", {"\\Sent"}),
    ("Work", set()),
)


def test_views_are_found_by_special_use_whatever_their_names() -> None:
    localized = _layout(
        ("INBOX", set()),
        ("[Google Mail]/Alle Nachrichten", {"\\All"}),
        ("[Google Mail]/Wichtig", {"\\Important"}),
        ("[Google Mail]/Markiert", {"\\Flagged"}),
        ("Projekte", set()),
    )
    found = gmail_folders(localized)
    assert found.all_mail == "[Google Mail]/Alle Nachrichten"
    assert set(found.views) == {
        "[Google Mail]/Alle Nachrichten",
        "[Google Mail]/Wichtig",
        "[Google Mail]/Markiert",
    }
    assert label_folders(localized, found) == ["INBOX", "Projekte"]


def test_views_are_found_by_name_without_special_use() -> None:
    bare = _layout(
        ("INBOX", set()),
        ("[Gmail]/All Mail", set()),
        ("[Gmail]/Important", set()),
        ("[Gmail]/Starred", set()),
        ("Starred", set()),  # a user label of that name is a label
        ("Work/All Mail", set()),
    )
    found = gmail_folders(bare)
    assert found.all_mail == "[Gmail]/All Mail"
    assert found.views == ("[Gmail]/All Mail", "[Gmail]/Important", "[Gmail]/Starred")
    assert label_folders(bare, found) == ["INBOX", "Starred", "Work/All Mail"]


def test_the_plan_copies_labels_only() -> None:
    found = gmail_folders(GMAIL)
    dst = _layout(("INBOX", set()), ("Sent", {"\\Sent"}), ("Archive", {"\\Archive"}))
    plan = plan_folders(without_views(GMAIL, found), dst, MappingRules())
    assert [m.src for m in plan.mappings] == ["INBOX", "Work", "[Gmail]/Sent Mail"]
    assert gmail_folders(_layout(("INBOX", set()), ("Work", set()))).all_mail is None


def test_provider_gmail_switches_the_rules_on_for_jobs_and_the_cli() -> None:
    spec = EndpointSpec(1, "imap.example", 993, "ssl", True, None)

    def login(src: EndpointSpec, dst: EndpointSpec) -> AccountLogin:
        return AccountLogin(1, 1, src, dst, "u", b"", "u", b"", {}, ())

    assert not copy_options(login(spec, replace(spec, id=2))).gmail_source
    assert copy_options(login(replace(spec, provider="gmail"), replace(spec, id=2))).gmail_source
    assert not copy_options(login(spec, replace(spec, id=2, provider="gmail"))).gmail_source

    argv = ["copy", "--src", "imap://a@src", "--dst", "imap://a@dst"]
    assert not _options(build_parser("copy").parse_args(argv)).gmail_source
    assert _options(build_parser("copy").parse_args([*argv, "--src-provider", "gmail"])).gmail_source


class _GmailSession:
    """Stands in for Gmail's IMAP (X-GM-EXT-1 cannot run here): folders of (uid, X-GM-MSGID, headers)."""

    def __init__(self, folders: dict[str, list[tuple[int, int, bytes]]]) -> None:
        self.folders = folders
        self.selected = ""
        self.info = ServerInfo(frozenset({"X-GM-EXT-1"}), "/", "")

    def select(self, folder: str, readonly: bool) -> None:
        self.selected = folder

    def uids_from(self, first_uid: int) -> list[int]:
        return [uid for uid, _, _ in self.folders[self.selected] if uid >= first_uid]

    def fetch(self, uids: Sequence[int], items: Sequence[str]) -> dict[int, dict[bytes, object]]:
        out: dict[int, dict[bytes, object]] = {}
        for uid, msgid, headers in self.folders[self.selected]:
            if uid in uids:
                field = b"BODY[HEADER.FIELDS (MESSAGE-ID DATE FROM TO CC SUBJECT)]"
                out[uid] = {b"X-GM-MSGID": msgid, field: headers, b"RFC822.SIZE": 100, b"FLAGS": ()}
        return out


def test_with_x_gm_ext_1_the_gmail_message_id_decides_what_is_archived() -> None:
    same = b"Message-ID: <same@example.com>\r\n\r\n"  # one Message-ID, two different Gmail messages
    session = _GmailSession(
        {
            "INBOX": [(1, 11, same)],
            "[Gmail]/All Mail": [(5, 12, same), (6, 11, same), (7, 13, b"Subject: x\r\n\r\n")],
            "[Gmail]/Starred": [(1, 13, b"")],
            "[Gmail]/Sent Mail": [],
            "Work": [],
        }
    )
    found = gmail_folders(GMAIL)
    archived = archived_messages(session, GMAIL, found)  # type: ignore[arg-type]
    assert [m.uid for m in archived] == [5, 7]  # by header identity it would be 6 and 7
    assert archived[0].identity == "mid:same@example.com"
