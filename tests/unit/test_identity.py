"""Message identity: Message-ID normalisation, header-hash fallback, multiset matching."""

from __future__ import annotations

from workers.engine.identity import IdentityIndex, identity_from_headers, normalise_message_id


def test_message_id_normalisation() -> None:
    assert normalise_message_id("<Abc.Def@Example.COM>") == "Abc.Def@example.com"
    assert normalise_message_id("  <abc@example.com>  (comment)") == "abc@example.com"
    assert normalise_message_id("<abc@exa\r\n mple.com>") == "abc@example.com"
    assert normalise_message_id("bare-id@Host.Example") == "bare-id@host.example"
    assert normalise_message_id("<>") is None
    assert normalise_message_id("") is None
    assert normalise_message_id(None) is None


def test_local_part_keeps_its_case() -> None:
    assert normalise_message_id("<ABC@x.org>") != normalise_message_id("<abc@x.org>")


def test_identity_uses_the_message_id_when_present() -> None:
    one = identity_from_headers(b"Message-ID: <a@B.org>\r\nSubject: x\r\n\r\n", 100)
    two = identity_from_headers(b"Subject: other\r\nMessage-Id:\r\n <a@b.ORG>\r\n\r\n", 999)
    assert one == two == "mid:a@b.org"


def test_header_hash_fallback_for_messages_without_message_id() -> None:
    headers = b"Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nFrom: a@b.c\r\nTo: d@e.f\r\nSubject: Hi\r\n\r\n"
    refolded = b"Subject: Hi\r\nTo: d@e.f\r\nFrom: a@b.c\r\nDate: Mon, 1 Jan 2024\r\n 10:00:00 +0000\r\n\r\n"
    first = identity_from_headers(headers, 1234)
    assert first.startswith("hdr:")
    assert identity_from_headers(refolded, 1234) == first  # order and folding do not matter
    assert identity_from_headers(headers, 1235) != first  # size is part of it
    assert identity_from_headers(headers.replace(b"Hi", b"Ho"), 1234) != first


def test_eight_bit_headers_hash_stably() -> None:
    raw = "Subject: Grüße\r\nFrom: Jürgen <j@x.de>\r\n\r\n".encode()
    latin = "Subject: Grüße\r\nFrom: Jürgen <j@x.de>\r\n\r\n".encode("latin-1")
    assert identity_from_headers(raw, 10) == identity_from_headers(raw, 10)
    assert identity_from_headers(raw, 10) != identity_from_headers(latin, 10)


def test_index_matches_duplicates_one_for_one() -> None:
    index = IdentityIndex([("mid:a", 5), ("mid:a", 9), ("mid:b", 7)])
    assert len(index) == 3
    assert index.take("mid:a") == 5
    assert index.take("mid:a") == 9
    assert index.take("mid:a") is None  # a third source copy is missing on the destination
    assert index.count("mid:b") == 1
    assert index.take("mid:c") is None
    assert len(index) == 1
