"""Builds the raw bytes of corpus messages: deterministic, CRLF-only, fast.

MIME structure is assembled by hand (with explicit boundaries) because the
stdlib generator draws random boundaries from the global `random` state; the
stdlib still does the header encoding (RFC 2047/2231) and the date format.
"""

from __future__ import annotations

import base64
import quopri
import random
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr

CRLF = b"\r\n"

_VOCABULARY = (
    "the migration of mailboxes between servers must keep every flag and date as it was quarterly "
    "report budget meeting agenda minutes please review attached draft contract invoice shipment "
    "delayed thanks regards project milestone deadline Friday Monday customer support ticket "
    "escalation server maintenance window backup restore Grüße Äpfel Übersicht café naïve façade "
    "résumé smørrebrød Zürich Kraków 東京 会議 "
)
_WORDS = tuple(_VOCABULARY.split())
_PEOPLE = (
    ("Alice Martin", "alice@example.com"),
    ("Bob Okafor", "bob@example.org"),
    ("Jürgen Müller", "juergen@example.de"),
    ("Zoë Lefèvre", "zoe@example.fr"),
    ("佐藤 花子", "hanako@example.jp"),
    ("Carlos Peña", "carlos@example.es"),
    ("Support Team", "support@example.net"),
    ("Newsletter", "news@lists.example.com"),
)
_ATTACHMENTS = (
    ("application/pdf", "report-{n}.pdf"),
    ("image/png", "photo-{n}.png"),
    ("application/zip", "archive-{n}.zip"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Angebot-Übersicht-{n}.docx"),
)


@dataclass
class MessageSpec:
    """What one message should look like; `features` drives the MIME shape."""

    number: int
    size: int
    date: datetime
    features: set[str] = field(default_factory=set)
    message_id: str | None = None


def _text_blob(rng: random.Random, lines: int = 4000) -> list[bytes]:
    out = []
    for _ in range(lines):
        out.append(" ".join(rng.choices(_WORDS, k=rng.randint(6, 12))).encode())
    return out


class MimeBuilder:
    """Turns MessageSpecs into raw RFC 5322 bytes using one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines = _text_blob(rng)

    def text(self, size: int) -> bytes:
        """About `size` bytes of CRLF-terminated text lines taken from the blob."""
        start = self.rng.randrange(len(self.lines))
        out: list[bytes] = []
        total = 0
        i = start
        while total < size:
            line = self.lines[i % len(self.lines)]
            out.append(line)
            total += len(line) + 2
            i += 1
        return CRLF.join(out) + CRLF

    def build(self, spec: MessageSpec) -> bytes:
        if "malformed" in spec.features:
            return self._headers(spec, b'multipart/mixed; boundary="declared-boundary"') + self._malformed()
        if "attachment" in spec.features:
            body_type, body = self._mixed(spec)
        elif "alternative" in spec.features:
            body_type, body = self._alternative(spec, spec.size)
        elif "html" in spec.features:
            body_type, body = self._html_part(spec.size)
        else:
            body_type, body = self._plain_part(spec, spec.size)
        return self._headers(spec, body_type) + body

    def _headers(self, spec: MessageSpec, content_type: bytes) -> bytes:
        rng = self.rng
        sender, rcpt = rng.sample(_PEOPLE, 2)
        subject = " ".join(rng.choices(_WORDS, k=rng.randint(3, 8)))
        lines: list[bytes] = []
        if "8bit_headers" in spec.features:
            # Raw UTF-8 in headers, as sent by careless clients (RFC 6532 style).
            lines.append(b"From: " + f'"{sender[0]}" <{sender[1]}>'.encode())
            lines.append(b"Subject: " + f"Grüße: {subject}".encode())
        elif "latin1_headers" in spec.features:
            lines.append(b"From: " + f'"{sender[0]}" <{sender[1]}>'.encode("latin-1", "replace"))
            lines.append(b"Subject: " + f"Réunion à Zürich: {subject}".encode("latin-1", "replace"))
        else:
            lines.append(b"From: " + formataddr(sender, charset="utf-8").encode())
            lines.append(b"Subject: " + Header(subject, "utf-8").encode(linesep="\r\n").encode())
        lines.append(b"To: " + formataddr(rcpt, charset="utf-8").encode())
        if "no_message_id" not in spec.features:
            lines.append(b"Date: " + format_datetime(spec.date).encode())
            lines.append(b"Message-ID: " + (spec.message_id or "").encode())
        lines.append(b"X-Corpus-Number: " + str(spec.number).encode())
        lines.append(b"MIME-Version: 1.0")
        lines.append(b"Content-Type: " + content_type)
        return CRLF.join(lines) + CRLF + CRLF

    def _plain_part(self, spec: MessageSpec, size: int) -> tuple[bytes, bytes]:
        text = self.text(max(size - 400, 40))
        if spec.number % 3 == 0:
            encoded = quopri.encodestring(text.replace(CRLF, b"\n")).replace(b"\n", CRLF)
            return b"text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable", encoded
        return b"text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit", text

    def _html_part(self, size: int) -> tuple[bytes, bytes]:
        text = self.text(max(size - 500, 40)).replace(CRLF, b"</p>\r\n<p>")
        html = b"<html><body>\r\n<p>" + text + b"</p>\r\n</body></html>\r\n"
        return b"text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit", html

    def _alternative(self, spec: MessageSpec, size: int) -> tuple[bytes, bytes]:
        boundary = f"alt-{spec.number:06d}".encode()
        plain = self._plain_part(spec, size // 2)
        html = self._html_part(size // 2)
        return self._multipart(b"alternative", boundary, [plain, html])

    def _attachment(self, spec: MessageSpec, size: int, index: int) -> tuple[bytes, bytes]:
        ctype, pattern = _ATTACHMENTS[(spec.number + index) % len(_ATTACHMENTS)]
        filename = pattern.format(n=spec.number)
        data = self.rng.randbytes(max(size * 3 // 4, 16))
        encoded = base64.encodebytes(data).replace(b"\n", CRLF)
        disposition = Header(filename, "utf-8").encode() if not filename.isascii() else filename
        head = (
            f'{ctype}; name="{disposition}"\r\nContent-Transfer-Encoding: base64\r\n'
            f'Content-Disposition: attachment; filename="{disposition}"'
        ).encode()
        return head, encoded

    def _mixed(self, spec: MessageSpec) -> tuple[bytes, bytes]:
        boundary = f"mixed-{spec.number:06d}".encode()
        body_size = min(spec.size // 10, 20_000)
        count = 1 + (spec.number % 3 == 0)
        parts = [self._alternative(spec, body_size) if spec.number % 2 else self._plain_part(spec, body_size)]
        for index in range(count):
            parts.append(self._attachment(spec, (spec.size - body_size) // count, index))
        return self._multipart(b"mixed", boundary, parts)

    def _multipart(
        self, subtype: bytes, boundary: bytes, parts: list[tuple[bytes, bytes]]
    ) -> tuple[bytes, bytes]:
        chunks = [b"This is a multi-part message in MIME format." + CRLF]
        for head, body in parts:
            chunks.append(b"--" + boundary + CRLF + b"Content-Type: " + head + CRLF + CRLF + body)
        chunks.append(b"--" + boundary + b"--" + CRLF)
        return b"multipart/" + subtype + b'; boundary="' + boundary + b'"', b"".join(chunks)

    def _malformed(self) -> bytes:
        # Parts use a boundary that differs from the declared one and the close marker is missing.
        return (
            b"--actual-boundary\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n"
            b"--actual-boundary\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\nbm90IHJlYWxseSBiYXNlNjQ=?!\r\n"
        )
