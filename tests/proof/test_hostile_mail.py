"""Hostile mail on the source: every message is copied once, or reported with folder, UID and reason.

The messages go in with raw APPENDs (no MIME library in between). After `copy_mailbox`, the
destination must serve the same bytes as the source, `compare_mailbox` must show nothing missing and
nothing duplicated, and a second pass with no sync state (dedup by identity alone) copies nothing.
"""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from testbed.corpus_imap import snapshot
from testbed.dovecot import ImapServer
from tests.proof.conftest import FAST, compare, endpoint, folder_uids, load_raw, message
from workers.engine.copier import copy_mailbox
from workers.engine.state import MemoryState

pytestmark = pytest.mark.imap

MB = 1024 * 1024
_HEAD = b"From: a@example.com\r\nTo: b@example.com\r\nDate: Mon, 01 Jan 2024 10:00:00 +0000\r\n"


def _mime(boundary_decl: bytes, parts: bytes) -> bytes:
    return (
        _HEAD + b"Subject: mime\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed" + boundary_decl + parts
    )


def _nested(depth: int) -> bytes:
    body = b"innermost\r\n"
    for level in range(depth):
        b = f"b{level}".encode()
        body = b"Content-Type: multipart/mixed; boundary=" + b + b"\r\n\r\n--" + b + b"\r\n" + body
        body += b"\r\n--" + b + b"--\r\n"
    return _HEAD + b"Subject: nested\r\nMIME-Version: 1.0\r\n" + body


HOSTILE: dict[str, bytes] = {
    "unterminated_multipart": _mime(
        b'; boundary="XX"\r\n\r\n', b"--XX\r\nContent-Type: text/plain\r\n\r\nno end"
    ),
    "undeclared_boundary": _mime(b"\r\n\r\n", b"--YY\r\n\r\npart\r\n--YY--\r\n"),
    "broken_base64": _HEAD
    + b"Subject: b64\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!@@@###not base64===\r\n",
    "header_without_colon": b"From a@example.com\r\nThis is not a header\r\nSubject: x\r\n\r\nbody\r\n",
    "headers_only": _HEAD + b"Subject: no body, no blank line",
    "body_only": b"no headers at all, just text\r\n",
    "crlf_only": b"\r\n",
    "bare_lf": b"Subject: lf\nMessage-ID: <lf@proof.example>\n\nline one\nline two\n",
    # Without a Message-ID the identity includes the size: rewriting LF to CRLF would break dedup.
    "bare_lf_no_id": b"Subject: lf, no id\nDate: Mon, 01 Jan 2024 10:00:00 +0000\n\nline one\nline two\n",
    "bare_cr": b"Subject: cr\rMessage-ID: <cr@proof.example>\r\rline one\rline two\r",
    # Dovecot accepts NUL in a plain literal but serves it back as 0x80 (RFC 3501 forbids NUL outside
    # literal8), on the source as on the destination: the copy equals what the source serves.
    "bare_cr_no_id": b"Subject: cr, no id\rDate: Mon, 01 Jan 2024 10:00:00 +0000\r\rline one\rline two\r",
    "nul_bytes": _HEAD + b"Subject: nul\r\nMessage-ID: <nul@proof.example>\r\n\r\nab\x00cd\x00\r\n",
    "binary_8bit": _HEAD
    + "Subject: Grüße \xe9t\xe9\r\n".encode("latin-1", "replace")
    + b"Content-Transfer-Encoding: 8bit\r\n\r\n"
    + bytes(b for b in range(1, 256) if b not in (10, 13))
    + b"\r\n",
    "header_line_1mb": _HEAD + b"Subject: long header\r\nX-Long: " + b"a" * MB + b"\r\n\r\nbody\r\n",
    # No Message-ID: the identity is a hash of the headers, including this 1 MB Subject.
    "subject_1mb_no_id": _HEAD + b"Subject: " + b"s" * MB + b"\r\n\r\nbody\r\n",
    "body_line_1mb": _HEAD + b"Subject: long body line\r\n\r\n" + b"x" * MB + b"\r\n",
    "many_headers": _HEAD + b"".join(b"X-H%d: v\r\n" % i for i in range(5000)) + b"\r\nbody\r\n",
    "mime_nested_100": _nested(100),
    "garbage_encoded_words": _HEAD
    + b"Subject: =?x-unknown?B?!!!?= =?utf-8?Q?=ZZ?=\r\nMessage-ID: <<<>>>\r\n\r\nbody\r\n",
    "empty_message_id": _HEAD + b"Subject: empty id\r\nMessage-ID:\r\n\r\nbody\r\n",
    # Same Message-ID twice with different bodies: two messages, both must arrive.
    "same_id_a": _HEAD + b"Subject: twin\r\nMessage-ID: <twin@proof.example>\r\n\r\nfirst\r\n",
    "same_id_b": _HEAD + b"Subject: twin\r\nMessage-ID: <twin@proof.example>\r\n\r\nsecond\r\n",
    # No Message-ID, same headers and size, different bodies: identical identities, two messages.
    "same_hash_a": _HEAD + b"Subject: hash twin\r\n\r\nbody-A\r\n",
    "same_hash_b": _HEAD + b"Subject: hash twin\r\n\r\nbody-B\r\n",
}


# 50 per batch goes through MULTIAPPEND; 1 per batch through the single APPEND that big messages
# (and a refused MULTIAPPEND's fallback) take.
@pytest.mark.parametrize("batch_messages", [50, 1])
def test_hostile_messages_are_copied_exactly_once(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str, batch_messages: int
) -> None:
    load_raw(src_server, imap_user, "INBOX", list(HOSTILE.values()))
    src, dst = endpoint(src_server, imap_user), endpoint(dst_server, imap_user)
    options = replace(FAST, batch_messages=batch_messages)

    result = copy_mailbox(src, dst, options)

    assert (result.status, result.copied, result.errors) == ("ok", len(HOSTILE), 0), result.error_list
    source, target = snapshot(src_server, imap_user), snapshot(dst_server, imap_user)
    assert [m.raw for m in target["INBOX"]] == [m.raw for m in source["INBOX"]]
    assert target["INBOX"] == source["INBOX"]  # flags and INTERNALDATE too
    comparison = compare(src_server, dst_server, imap_user)
    assert comparison.complete, comparison
    # No sync state: only identities tell what is there. Nothing may be appended twice.
    again = copy_mailbox(src, dst, options, state=MemoryState())
    assert (again.copied, again.skipped, again.errors) == (0, len(HOSTILE), 0)


def test_message_over_destination_limit_is_reported_and_the_rest_copies(
    src_server: ImapServer, dst_server: ImapServer, small_user: str
) -> None:
    """The small* user's destination refuses messages over 1 MiB (APPENDLIMIT and the quota plugin)."""
    uids = load_raw(
        src_server,
        small_user,
        "INBOX",
        [message("ok1"), message("big", 2 * MB), message("ok2"), message("ok3")],
    )
    big_uid = uids[1]
    src, dst = endpoint(src_server, small_user), endpoint(dst_server, small_user)

    state = MemoryState()
    result = copy_mailbox(src, dst, FAST, state=state)

    assert (result.status, result.copied, result.errors) == ("partial", 3, 1)
    (error,) = result.error_list
    assert (error.code, error.folder, error.uid) == ("message_refused", "INBOX", big_uid)
    assert "limit" in error.reason and "Traceback" not in error.reason
    comparison = compare(src_server, dst_server, small_user)
    assert (comparison.missing, comparison.duplicated) == (1, 0)
    assert comparison.folders[0].missing_uids == (big_uid,)
    # The next pass tries the refused message again (it may fit one day) and duplicates nothing.
    again = copy_mailbox(src, dst, FAST, state=state)
    assert (again.status, again.copied, again.errors) == ("partial", 0, 1)
    assert len(folder_uids(dst_server, small_user, "INBOX")) == 3


def _big_message(size: int) -> bytes:
    head = _HEAD + (
        b"Subject: 50 MB\r\nMessage-ID: <big50@proof.example>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
    )
    line = base64.b64encode(bytes(range(256)) * 3)[:76] + b"\r\n"
    lines = line * ((size - len(head)) // len(line))
    return head + lines + b"--B--\r\n"


# VmHWM, not getrusage(): ru_maxrss survives execve, so a child of a big parent (pytest holding
# the 50 MB it just loaded) would report the parent's peak.
_RSS_PROBE = """
import json, sys
from workers.engine.copier import copy_mailbox
from workers.engine.imap import ImapEndpoint
args = json.loads(sys.argv[1])
def status_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
before = status_kb("VmRSS")
result = copy_mailbox(ImapEndpoint(**args["src"]), ImapEndpoint(**args["dst"]))
peak = status_kb("VmHWM")
print(json.dumps({"before_kb": before, "peak_kb": peak, "status": result.status, "copied": result.copied}))
"""


def test_50mb_message_copies_in_less_memory_than_its_size(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    import json
    import subprocess
    import sys

    from testbed.dovecot import REPO_ROOT

    raw = _big_message(50 * MB)
    size = len(raw)
    load_raw(src_server, imap_user, "INBOX", [raw, message("small-after-big")])
    del raw
    sides = {
        name: {
            "host": s.host,
            "port": s.port_plain,
            "tls_mode": "plain",
            "username": imap_user,
            "password": s.password,
        }
        for name, s in (("src", src_server), ("dst", dst_server))
    }
    # A fresh interpreter, so the peak RSS is the copy's own and not this test session's.
    proc = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, json.dumps(sides)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    growth = (figures["peak_kb"] - figures["before_kb"]) * 1024
    print(f"50 MB copy: RSS growth {growth / MB:.0f} MB ({growth / size:.2f}x)")
    assert (figures["status"], figures["copied"]) == ("ok", 2)
    # Messages over the spool threshold go to a temp file and stream into the APPEND literal
    # (workers/engine/large.py): measured 0.2x. Holding the body whole would cost 1x, and
    # imapclient's literal path 3x (it copies the body twice); imaplib's APPEND cost 5.7x.
    assert growth < 1.0 * size, f"RSS grew by {growth / MB:.0f} MB for a {size / MB:.0f} MB message"
    assert compare(src_server, dst_server, imap_user).complete


def test_5000_tiny_messages_copy_once(src_server: ImapServer, dst_server: ImapServer, imap_user: str) -> None:
    count = 5000
    load_raw(src_server, imap_user, "Tiny", [message(f"tiny-{i}", 20) for i in range(count)])
    src, dst = endpoint(src_server, imap_user), endpoint(dst_server, imap_user)
    state = MemoryState()

    first = copy_mailbox(src, dst, FAST, state=state)
    second = copy_mailbox(src, dst, FAST, state=state)
    stateless = copy_mailbox(src, dst, FAST, state=MemoryState())

    print(f"5,000 tiny: first {first.seconds} s, delta {second.seconds} s, stateless {stateless.seconds} s")
    assert (first.status, first.copied, first.errors) == ("ok", count, 0)
    assert (second.copied, second.skipped, second.errors) == (0, 0, 0)
    assert (stateless.copied, stateless.skipped) == (0, count)
    assert len(folder_uids(dst_server, imap_user, "INBOX.Tiny")) == count
    assert compare(src_server, dst_server, imap_user).complete


HOSTILE_FOLDERS = (
    "/".join(f"level{i:02d}" for i in range(1, 13)),
    "L" * 200,
    "Quote \"double\" and 'single'",
    "Back\\slash\\",
    "  spaced  out  ",
    "R&D & Co",
    "Ünïcødé 日本語 🚀",
    "&Jjo-",  # looks like modified UTF-7 (imapclient must encode the "&")
    "%wild*card",
    "INBOX/Child",
    # The destination's separator is ".": the engine substitutes "_" rather than nest a folder "5".
    "Reports 1.5",
)


def test_hostile_folder_names_round_trip(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    for i, folder in enumerate(HOSTILE_FOLDERS):
        load_raw(src_server, imap_user, folder, [message(f"folder-{i}")])
    src, dst = endpoint(src_server, imap_user), endpoint(dst_server, imap_user)

    result = copy_mailbox(src, dst, FAST)

    assert (result.status, result.copied, result.errors) == ("ok", len(HOSTILE_FOLDERS), 0), result.error_list
    mapped = {f.folder: f.dst_folder for f in result.folders}
    assert mapped["Reports 1.5"] == "INBOX.Reports 1_5"
    assert mapped[HOSTILE_FOLDERS[0]] == "INBOX." + HOSTILE_FOLDERS[0].replace("/", ".")
    for folder in HOSTILE_FOLDERS:
        assert len(folder_uids(dst_server, imap_user, mapped[folder])) == 1, folder
    assert compare(src_server, dst_server, imap_user).complete
    again = copy_mailbox(src, dst, FAST, state=MemoryState())
    assert (again.copied, again.errors) == (0, 0)


def test_folder_the_destination_cannot_create_is_reported(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    """Maildir++ keeps a whole path in one directory name: 300 characters are over the 255 limit.
    The CREATEs are pipelined: the folders created after the refused one in the same round trip
    ("zz/Deep" sorts after it) are there all the same."""
    too_long = "w" * 200 + "/" + "v" * 100
    load_raw(src_server, imap_user, too_long, [message("too-long")])
    load_raw(src_server, imap_user, "Fine", [message("fine")])
    load_raw(src_server, imap_user, "zz/Deep", [message("deep")])

    result = copy_mailbox(endpoint(src_server, imap_user), endpoint(dst_server, imap_user), FAST)

    assert (result.status, result.copied, result.errors) == ("partial", 2, 1)
    (error,) = result.error_list
    assert error.code == "folder_unavailable" and "v" * 100 in (error.folder or "")
    comparison = compare(src_server, dst_server, imap_user)
    assert (comparison.missing, comparison.duplicated) == (1, 0)


def test_folders_whose_escaped_names_collide_are_not_merged(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    """Source "a.b" escapes to "a_b", the name of another source folder. Merging them would lose a message
    present in both (dedup finds it "already there") and mix two folders: either each gets its own
    destination folder, or the collision is reported as an error."""
    for folder in ("a.b", "a_b"):
        load_raw(src_server, imap_user, folder, [message(f"only-in-{folder}"), message("in-both")])

    result = copy_mailbox(endpoint(src_server, imap_user), endpoint(dst_server, imap_user), FAST)

    reported = {e.folder for e in result.error_list}
    targets = {f.folder: f.dst_folder for f in result.folders if f.folder not in reported}
    assert len(set(targets.values())) == len(targets), f"merged: {targets}"
    comparison = compare(src_server, dst_server, imap_user)
    for folder in comparison.folders:
        if folder.src not in reported:
            assert (folder.src, folder.missing, folder.duplicated) == (folder.src, 0, 0)
