"""Huge messages: byte-identical copies with bounded memory, and refusals on the streaming path.

Big messages are generated, sent and hashed in chunks, so the test process never holds one either.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from testbed.dovecot import REPO_ROOT, ImapServer
from tests.engine.engine_fixtures import connect, endpoint, pair, small_user  # noqa: F401 - fixture
from workers.engine.fetcher import MessageMeta
from workers.engine.large import append_spooled, spool
from workers.engine.session import ImapSession

pytestmark = pytest.mark.imap

MB = 1024 * 1024
_LINE = bytes(65 + (i * 7) % 26 for i in range(74)) + b"\r\n"  # a base64-like 76-byte line


def big_message(size: int, tag: str) -> Iterator[bytes]:
    """Exactly `size` bytes of a plausible message, in blocks of about 1 MB."""
    head = f"From: a@example.com\r\nSubject: {tag}\r\nMessage-ID: <{tag}@example.com>\r\n\r\n".encode()
    body_lines, tail = divmod(size - len(head) - 2, len(_LINE))
    yield head
    for start in range(0, body_lines, 13_000):
        yield _LINE * min(13_000, body_lines - start)
    yield b"=" * tail + b"\r\n"


def _reply(reader: socket.SocketIO | object, tag: bytes) -> bytes:
    while True:
        line: bytes = reader.readline()  # type: ignore[attr-defined]
        if not line:
            raise ConnectionError("server closed the connection")
        if line.startswith(tag + b" ") or line.startswith(b"+"):
            return line


def raw_append(server: ImapServer, username: str, folder: str, blocks: Iterator[bytes], size: int) -> str:
    """APPEND from a block iterator over a bare socket (synchronising literal); the sha256 sent."""
    digest = hashlib.sha256()
    with socket.create_connection((server.host, server.port_plain), timeout=30) as sock:
        reader = sock.makefile("rb")
        reader.readline()
        sock.sendall(f'a LOGIN "{username}" "{server.password}"\r\n'.encode())
        assert _reply(reader, b"a").startswith(b"a OK")
        command = f'b APPEND "{folder}" (\\Seen $Big) "02-Mar-2021 10:11:12 +0100" {{{size}}}\r\n'
        sock.sendall(command.encode())
        assert _reply(reader, b"b").startswith(b"+")
        for block in blocks:
            digest.update(block)
            sock.sendall(block)
        sock.sendall(b"\r\n")
        assert _reply(reader, b"b").startswith(b"b OK")
        sock.sendall(b"c LOGOUT\r\n")
    return digest.hexdigest()


def stored_digests(server: ImapServer, username: str, folder: str) -> dict[str, tuple[int, str]]:
    """Subject -> (size, sha256) of every message in `folder`, read in partial chunks."""
    client = connect(server, username)
    try:
        client.select_folder(folder, readonly=True)
        heads = client.fetch(client.search(["ALL"]), ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
        found = {}
        for uid, item in heads.items():
            subject = item[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip()
            digest, size, offset = hashlib.sha256(), 0, 0
            while True:
                part = client.fetch([uid], [f"BODY.PEEK[]<{offset}.{4 * MB}>"])[uid][
                    f"BODY[]<{offset}>".encode()
                ]
                digest.update(part)
                size, offset = size + len(part), offset + 4 * MB
                if len(part) < 4 * MB:
                    break
            found[subject] = (size, digest.hexdigest())
        return found
    finally:
        client.logout()


_COPY_IN_A_CHILD = """
import json, sys
from workers.engine import CopyOptions, ImapEndpoint, copy_mailbox
host, src_port, dst_port, user, password = sys.argv[1:6]
result = copy_mailbox(
    ImapEndpoint(host, int(src_port), "plain", user, password),
    ImapEndpoint(host, int(dst_port), "plain", user, password),
    CopyOptions(),
)
# ru_maxrss would carry the forking pytest process's own peak over exec; VmHWM is this image's alone.
status = open("/proc/self/status").read()
rss_mb = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"status": result.status, "copied": result.copied, "errors": result.errors,
                  "bytes": result.bytes, "rss_mb": rss_mb}))
"""


def test_50_and_60_mb_messages_copy_intact_in_bounded_memory(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    sizes = {"big-50": 50_000_000, "big-60": 60 * MB}  # the destination takes up to 64 MiB
    sent = {}
    for tag, size in sizes.items():
        sent[tag] = (size, raw_append(src_server, imap_user, "INBOX", big_message(size, tag), size))
    client = connect(src_server, imap_user)
    try:
        client.append("INBOX", b"Subject: small\r\nMessage-ID: <small@example.com>\r\n\r\nhi\r\n")
    finally:
        client.logout()

    child = subprocess.run(
        [sys.executable, "-c", _COPY_IN_A_CHILD, src_server.host, str(src_server.port_plain),
         str(dst_server.port_plain), imap_user, src_server.password],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=240, check=True,
    )  # fmt: skip
    result = json.loads(child.stdout.strip().splitlines()[-1])

    assert (result["status"], result["copied"], result["errors"]) == ("ok", 3, 0), child.stderr[-2000:]
    assert result["bytes"] > sum(sizes.values())
    assert result["rss_mb"] < 150, f"peak RSS {result['rss_mb']:.0f} MB"
    copied = stored_digests(dst_server, imap_user, "INBOX")
    assert {tag: copied[tag] for tag in sizes} == sent
    client = connect(dst_server, imap_user)
    try:
        client.select_folder("INBOX", readonly=True)
        meta = client.fetch(client.search(["ALL"]), ["FLAGS", "INTERNALDATE", "RFC822.SIZE"])
    finally:
        client.logout()
    big = [m for m in meta.values() if m[b"RFC822.SIZE"] == 60 * MB]
    assert len(big) == 1 and set(big[0][b"FLAGS"]) - {b"\\Recent"} == {b"\\Seen", b"$Big"}
    # Dovecot keeps the instant, not the zone.
    assert big[0][b"INTERNALDATE"].timestamp() == datetime(2021, 3, 2, 9, 11, 12, tzinfo=UTC).timestamp()


@pytest.mark.parametrize("literal_plus", [True, False], ids=["literal+", "synchronising"])
def test_streamed_append_accepted_then_refused_over_the_size_limit(
    src_server: ImapServer,
    dst_server: ImapServer,
    small_user: str,  # noqa: F811 - destination refuses messages over 1 MB
    literal_plus: bool,
) -> None:
    size = 2 * MB
    digest = raw_append(src_server, small_user, "INBOX", big_message(size, "two"), size)
    src = ImapSession(endpoint(src_server, small_user))
    dst = ImapSession(endpoint(dst_server, small_user))
    try:
        if not literal_plus:
            dst.info = dataclasses.replace(dst.info, capabilities=dst.info.capabilities - {"LITERAL+"})
        src.select("INBOX", readonly=True)
        meta = MessageMeta(uid=1, size=size, flags=frozenset(), internaldate=None)
        spooled = spool(src, meta, chunk=300_000)  # several partial FETCHes, the last one short
        assert spooled is not None and spooled.size == size
        assert spooled.flags == {"\\Seen", "$Big"}
        assert spooled.internaldate is not None

        known = append_spooled(dst, "INBOX", spooled)  # APPENDLIMIT says no: nothing is sent
        assert known.error is not None and "> 1048576 bytes" in known.error.message
        unlimited = {c for c in dst.info.capabilities if not c.startswith("APPENDLIMIT")}
        dst.info = dataclasses.replace(dst.info, capabilities=frozenset(unlimited))
        refused = append_spooled(dst, "INBOX", spooled)  # the server's own size check says no
        assert refused.error is not None and refused.dst_uid is None
        assert "appending to INBOX failed" in refused.error.message

        dst.create_folder("INBOX.Big")  # the session is still in step after the refusal
        assert spool(src, dataclasses.replace(meta, uid=99)) is None  # no such message
        spooled.close()
    finally:
        src.close()
        dst.close()
    assert digest and stored_digests(dst_server, small_user, "INBOX") == {}


def test_streamed_append_to_a_normal_user_returns_its_uid(
    src_server: ImapServer, dst_server: ImapServer, imap_user: str
) -> None:
    size = 3 * MB + 17
    digest = raw_append(src_server, imap_user, "INBOX", big_message(size, "three"), size)
    src, dst = (ImapSession(e) for e in pair(src_server, dst_server, imap_user))
    try:
        src.select("INBOX", readonly=True)
        spooled = spool(src, MessageMeta(1, size, frozenset(), None), chunk=MB)
        assert spooled is not None
        outcome = append_spooled(dst, "INBOX", spooled)
        spooled.close()
    finally:
        src.close()
        dst.close()
    assert outcome.ok and outcome.dst_uid == 1
    assert stored_digests(dst_server, imap_user, "INBOX") == {"three": (size, digest)}
