"""The response guard on a socket pair: what it lets through and what it refuses, and how fast."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from workers.engine.errors import CommandTimeout, MalformedResponse, ResponseTooLarge
from workers.engine.guard import Expectation, ReadLimits, ResponseGuard, literal_allowance


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, theirs = socket.socketpair()
    yield ours, theirs
    ours.close()
    theirs.close()


def guard(**limits: int) -> ResponseGuard:
    g = ResponseGuard(ReadLimits(**limits), timeout=5.0, side="source")
    g.start("FETCH")
    return g


def read_response(g: ResponseGuard, sock: socket.socket) -> list[bytes]:
    """Lines and literals until a line without a literal, as imaplib reads them."""
    file = sock.makefile("rb")
    parts = []
    while True:
        line = g.readline(file, sock)  # type: ignore[arg-type]
        parts.append(line)
        if not line.endswith(b"}\r\n"):
            return parts
        parts.append(g.read(file, sock, int(line[line.rindex(b"{") + 1 : -3])))  # type: ignore[arg-type]


def test_a_literal_within_the_allowance_is_read(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b"* 1 FETCH (UID 7 BODY[] {5}\r\nhello)\r\n")
    g = guard()
    with g.expecting(Expectation(sizes={7: 5})):
        assert read_response(g, ours) == [b"* 1 FETCH (UID 7 BODY[] {5}\r\n", b"hello", b")\r\n"]


def test_a_literal_far_over_rfc822_size_is_refused_unread(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b"* 1 FETCH (UID 7 BODY[] {3000000000}\r\n" + b"z" * 1000)
    g = guard()
    with g.expecting(Expectation(sizes={7: 2000, 8: 2000})), pytest.raises(ResponseTooLarge) as refused:
        read_response(g, ours)
    assert refused.value.uid == 7
    assert f"the limit is {literal_allowance(2000):,} bytes" in refused.value.message
    assert g.tripped is refused.value


def test_quoted_parentheses_do_not_count_as_nesting(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b'* 1 FETCH (UID 1 X "' + b"(" * 100 + b'")\r\n')
    assert len(read_response(guard(max_depth=8), ours)) == 1


def test_deep_nesting_is_malformed(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b"* 1 FETCH (UID 1 X " + b"(" * 9 + b")" * 9 + b")\r\n")
    with pytest.raises(MalformedResponse, match=r"to FETCH \(parentheses nested more than 8"):
        read_response(guard(max_depth=8), ours)


def test_untagged_responses_are_counted(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b"* 1 EXISTS\r\n" * 11)
    g = guard(max_untagged=10)
    file = ours.makefile("rb")
    with pytest.raises(ResponseTooLarge, match="more than 10 responses to one FETCH command"):
        for _ in range(11):
            g.readline(file, ours)  # type: ignore[arg-type]


def test_a_line_without_end_is_malformed(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b"* " + b"a" * 2000)
    with pytest.raises(MalformedResponse, match="a line longer than 1,000 bytes"):
        read_response(guard(max_line=1000), ours)


def test_a_trickle_times_out_at_the_command_deadline(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair

    def trickle() -> None:
        for byte in b"* 1 FETCH (UID 1 BODY[] {100}\r\n" + b"x" * 100:
            try:
                theirs.send(bytes([byte]))
            except OSError:
                return
            time.sleep(0.05)

    threading.Thread(target=trickle, daemon=True).start()
    g = ResponseGuard(ReadLimits(min_bytes_per_second=1000), timeout=0.5, side="source")
    g.start("FETCH")
    started = time.monotonic()
    with pytest.raises(CommandTimeout, match="the source server took"):
        read_response(g, ours)
    assert time.monotonic() - started < 2.0


def test_without_rfc822_size_only_the_general_limits_apply(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b"* 1 FETCH (UID 7 BODY[] {100000}\r\n" + b"x" * 100_000 + b")\r\n")
    g = guard()
    with g.expecting(Expectation(sizes={7: 0})):
        assert len(read_response(g, ours)[1]) == 100_000
