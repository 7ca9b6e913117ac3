"""`imapcopier copy` from a misbehaving source server: a clear error, bounded time and memory.

Each case runs the installed CLI against the test bed's hostile server (source) and the Dovecot
destination, and checks the exit status, the error text, the time taken and the peak RSS (VmHWM
from /proc). The limits are the defaults except a short --timeout, so that each case takes seconds.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from testbed.dovecot import ImapServer
from testbed.hostile_imap import HostileImapServer
from tests.hostile_fixtures import MB, run_measured

pytestmark = pytest.mark.imap
IMAPCOPIER = str(Path(sys.executable).parent / "imapcopier")
# Generous bounds: without the limits these cases ran for minutes or grew to gigabytes.
MAX_SECONDS = 30.0
MAX_RSS = 250 * MB

CASES = {
    # mode: (exit status, text in the output, messages copied)
    "healthy": (0, "ok in", 3),
    "huge_literal": (
        1,
        "error: INBOX uid 2: the source server announced a literal of 3,000,000,000 bytes in its "
        "response to FETCH for UID 2, whose RFC822.SIZE is 2,000",
        2,
    ),
    "trickle": (3, "the source server took", 0),
    "exists_flood": (
        3,
        "the source server sent more than 100,000 responses to the pipelined EXAMINE and SEARCH commands",
        0,
    ),
    "deep_nesting": (3, "the source server sent a malformed response to FETCH (parentheses nested", 0),
    "malformed_item": (3, "the source server sent a malformed response to FETCH: '* 3 FETCH (UID 3", 0),
    "unexpected_line": (3, "the source server sent a malformed response to FETCH: 'HTTP/1.1 400", 0),
    "endless_spool": (1, "error: INBOX uid 2: the source server sent more than", 2),
    "long_lines": (3, "the source server sent more than 25,165,824 bytes to one FETCH command", 0),
    "continuations": (3, "the source server sent more than 100,000 responses to one FETCH command", 0),
    "bad_status": (3, "a malformed response to STATUS: '* STATUS INBOX (MESSAGES many", 0),
    "greeting_literal": (3, "announced a literal of 3,000,000,000 bytes in its response to greeting", 0),
}


@pytest.mark.parametrize("mode", list(CASES))
def test_cli_against_a_hostile_source(
    mode: str, hostile_server: HostileImapServer, dst_server: ImapServer, imap_user: str, tmp_path: Path
) -> None:
    status, text, copied = CASES[mode]
    timeout = "2" if mode == "trickle" else "10"
    port = hostile_server.greeting_port if mode == "greeting_literal" else hostile_server.port
    args = [
        IMAPCOPIER, "copy",
        "--src", f"imap+plain://{mode}@{hostile_server.host}:{port}",
        "--dst", f"imap+plain://{imap_user}@{dst_server.host}:{dst_server.port_plain}",
        "--state-file", str(tmp_path / "state.json"),
        "--timeout", timeout,
    ]  # fmt: skip
    env = {**os.environ, "IMAPCOPIER_SRC_PASSWORD": "any", "IMAPCOPIER_DST_PASSWORD": dst_server.password}
    code, out, err, seconds, peak = run_measured(args, env, timeout=120)
    print(f"{mode}: exit {code} in {seconds:.1f} s, peak RSS {peak / MB:.0f} MB")
    assert "Traceback" not in out + err, out + err
    assert code == status, out + err
    assert text in out + err, out + err
    if mode == "malformed_item":
        assert "ENVELOPE NIL" in out, out  # the excerpt shows the offending item
    total = re.search(r"^total\s+(\d+)", out, re.MULTILINE)
    assert total is not None and int(total.group(1)) == copied, out
    assert seconds < MAX_SECONDS
    assert 0 < peak < MAX_RSS


def test_messages_over_the_maximum_size_are_refused_unread(
    hostile_server: HostileImapServer, dst_server: ImapServer, imap_user: str, tmp_path: Path
) -> None:
    args = [
        IMAPCOPIER, "copy",
        "--src", f"imap+plain://huge_literal@{hostile_server.host}:{hostile_server.port}",
        "--dst", f"imap+plain://{imap_user}@{dst_server.host}:{dst_server.port_plain}",
        "--state-file", str(tmp_path / "state.json"),
        "--max-message-size", "1000",
    ]  # fmt: skip
    env = {**os.environ, "IMAPCOPIER_SRC_PASSWORD": "any", "IMAPCOPIER_DST_PASSWORD": dst_server.password}
    code, out, err, _, _ = run_measured(args, env, timeout=60)
    assert code == 1, out + err
    reason = "message of 2,000 bytes is over the maximum message size of 1,000 bytes; not read"
    for uid in (1, 2, 3):  # UID 2's 3 GB literal is never asked for
        assert f"error: INBOX uid {uid}: {reason}" in out, out
