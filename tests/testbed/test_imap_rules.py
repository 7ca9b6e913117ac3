"""The fault proxy's provider rules: what Exchange Online and Gmail would refuse on the APPEND path."""

from __future__ import annotations

import pytest

from testbed.imap_rules import EXCHANGE, GMAIL, CommandStream


def _feed(stream: CommandStream, *parts: bytes) -> str | None:
    for part in parts:
        if problem := stream.feed(part):
            return problem
    return None


def test_pipelined_appends_with_literal_plus_pass_under_exchange() -> None:
    stream = CommandStream(EXCHANGE)
    body = b"x" * 10_000
    batch = b"".join(b"a%d APPEND INBOX () {10000+}\r\n" % n + body + b"\r\n" for n in range(5))
    # Split anywhere: the stream follows literals across chunks.
    assert _feed(stream, batch[:7], batch[7:12_345], batch[12_345:]) is None


def test_multiappend_is_refused_where_not_offered() -> None:
    command = b"a1 APPEND INBOX () {3+}\r\nabc (\\Seen) {3+}\r\ndef\r\n"
    assert "MULTIAPPEND" in (_feed(CommandStream(EXCHANGE), command) or "")
    assert _feed(CommandStream(EXCHANGE), b"a1 APPEND INBOX () {3+}\r\nabc\r\na2 NOOP\r\n") is None


@pytest.mark.parametrize(("size", "refused"), [(4096, False), (4097, True)])
def test_literal_minus_allows_non_synchronising_literals_up_to_4096_bytes(size: int, refused: bool) -> None:
    command = b"a1 APPEND INBOX {%d+}\r\n" % size + b"y" * size + b"\r\n"
    assert (_feed(CommandStream(GMAIL), command) is not None) is refused
    # A synchronising literal of any size is always fine.
    assert _feed(CommandStream(GMAIL), b"a1 APPEND INBOX {%d}\r\n" % size + b"y" * size + b"\r\n") is None


def test_after_compress_the_stream_is_no_longer_followed() -> None:
    stream = CommandStream(GMAIL)
    assert stream.feed(b"a1 COMPRESS DEFLATE\r\n") is None and stream.compressed
    assert stream.feed(b"a2 APPEND INBOX {9999+}\r\n") is None
