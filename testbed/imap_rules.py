"""What a provider offers, and a follower of the client's command stream that catches what it does not.

Dovecot accepts MULTIAPPEND and any LITERAL+ literal whatever its `imap_capability` advertises. When
a test or the benchmark imitates a provider, the fault proxy feeds the client's bytes to
`CommandStream`, which reports the first command the provider would refuse: a MULTIAPPEND where it
is not offered, a non-synchronising literal where LITERAL+ is not offered, or one over 4,096 bytes
under LITERAL- (RFC 7888). After COMPRESS DEFLATE the stream is opaque and is no longer followed.
See docs/performance.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

LITERAL_MINUS_MAX = 4096
_LITERAL = re.compile(rb"~?\{(\d+)(\+)?\}\r?\n$")
_MAX_LINE = 1024 * 1024

# Capability sets as the providers advertise them after login (trimmed of what Dovecot cannot do:
# no XOAUTH2, no X-GM-EXT-1). COMPRESS=DEFLATE works through Dovecot's imap_zlib plugin.
EXCHANGE_CAPABILITY = "IMAP4 IMAP4rev1 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+"
GMAIL_CAPABILITY = (
    "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID CHILDREN UIDPLUS ENABLE MOVE CONDSTORE ESEARCH "
    "UTF8=ACCEPT LIST-EXTENDED LIST-STATUS LITERAL- SPECIAL-USE APPENDLIMIT=35651584 COMPRESS=DEFLATE"
)


@dataclass(frozen=True)
class Offer:
    """The parts of a capability set a client can overstep on the APPEND path."""

    name: str
    capability: str
    multiappend: bool
    literal: Literal["+", "-", ""]  # LITERAL+, LITERAL-, or synchronising literals only


EXCHANGE = Offer("exchange", EXCHANGE_CAPABILITY, multiappend=False, literal="+")
GMAIL = Offer("gmail", GMAIL_CAPABILITY, multiappend=False, literal="-")
OFFERS = {offer.name: offer for offer in (EXCHANGE, GMAIL)}


class CommandStream:
    """Follows client-to-server bytes command by command (lines and the literals they announce)."""

    def __init__(self, offer: Offer) -> None:
        self.offer = offer
        self._line = b""
        self._literal_left = 0
        self._command: bytes | None = None
        self._literals = 0
        self.compressed = False

    def feed(self, data: bytes) -> str | None:
        """Consume `data`; the reason the provider would refuse, at the first command it would."""
        pos = 0
        while pos < len(data) and not self.compressed:
            if self._literal_left:
                take = min(self._literal_left, len(data) - pos)
                self._literal_left -= take
                pos += take
                continue
            end = data.find(b"\n", pos)
            if end < 0:
                self._line = (self._line + data[pos:])[-_MAX_LINE:]
                return None
            line, self._line = self._line + data[pos : end + 1], b""
            pos = end + 1
            if problem := self._on_line(line):
                return problem
        return None

    def _on_line(self, line: bytes) -> str | None:
        if self._command is None:
            words = line.split(None, 2)
            self._command = words[1].upper() if len(words) > 1 else b""
            self._literals = 0
        match = _LITERAL.search(line)
        if match is None:
            self.compressed = self._command == b"COMPRESS"  # deflated from the next byte on
            self._command = None  # the command ends with this line
            return None
        size, plus = int(match.group(1)), match.group(2) is not None
        self._literal_left = size
        self._literals += 1
        if self._command == b"APPEND" and self._literals > 1 and not self.offer.multiappend:
            return f"{self.offer.name} does not offer MULTIAPPEND"
        if plus and not self.offer.literal:
            return f"{self.offer.name} does not offer LITERAL+"
        if plus and self.offer.literal == "-" and size > LITERAL_MINUS_MAX:
            return f"{self.offer.name} offers LITERAL- only: a {size}-byte non-synchronising literal"
        return None
