"""Every legal SEARCH/ESEARCH reply form (RFC 3501, 4731, 7162) reads into UIDs and a mod-sequence."""

from __future__ import annotations

import pytest

from workers.engine.search_reply import SearchReplyError, SearchResult, parse_esearch, parse_search


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([None], SearchResult(())),
        ([b""], SearchResult(())),
        ([b"2 5 9"], SearchResult((2, 5, 9))),
        ([b"9 2", b"5"], SearchResult((2, 5, 9))),
        ([b"2 5 9 (MODSEQ 917)"], SearchResult((2, 5, 9), 917)),
        ([b"(MODSEQ 1)"], SearchResult((), 1)),  # Cyrus: nothing matched
        ([b"(modseq 12)"], SearchResult((), 12)),
    ],
)
def test_search_forms(lines: list[bytes | None], expected: SearchResult) -> None:
    assert parse_search(lines) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([None], SearchResult(())),
        ([b'(TAG "A4") UID'], SearchResult(())),
        ([b'(TAG "A4") UID ALL 2,5:7,9'], SearchResult((2, 5, 6, 7, 9))),
        ([b'(TAG "A4") UID ALL 4'], SearchResult((4,))),
        ([b'(TAG "A4") UID ALL 1:3 MODSEQ 917'], SearchResult((1, 2, 3), 917)),
        ([b'(TAG "A4") UID MODSEQ 5 ALL 3:1'], SearchResult((1, 2, 3), 5)),
        ([b'(TAG "A4") UID COUNT 0'], SearchResult(())),
        ([b'(TAG "A4") UID MIN 3 MAX 8 COUNT 4'], SearchResult((3, 8))),
        ([b"UID ALL 7"], SearchResult((7,))),
    ],
)
def test_esearch_forms(lines: list[bytes | None], expected: SearchResult) -> None:
    assert parse_esearch(lines) == expected


@pytest.mark.parametrize("line", [b"2 five", b"2 (MODSEQ", b"(FOO 1)", b"(MODSEQ x)"])
def test_illegal_search_replies_raise_a_typed_error(line: bytes) -> None:
    with pytest.raises(SearchReplyError):
        parse_search([line])


@pytest.mark.parametrize("line", [b'(TAG "A1") UID ALL', b'(TAG "A1") UID ALL 1:x'])
def test_illegal_esearch_replies_raise_a_typed_error(line: bytes) -> None:
    with pytest.raises(SearchReplyError):
        parse_esearch([line])
