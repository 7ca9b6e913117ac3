"""The corpus generator is deterministic and carries every case the copier must survive."""

from __future__ import annotations

import email
import email.policy
import hashlib
from collections import Counter
from collections.abc import Iterable

import pytest

from testbed.corpus import FEATURES, CorpusMessage, expected_snapshot, generate, new_messages


def _digest(messages: Iterable[CorpusMessage]) -> str:
    h = hashlib.sha256()
    for m in messages:
        h.update(m.folder.encode() + b"\0" + m.raw + b"\0")
        h.update(repr((sorted(m.flags), m.internaldate.isoformat())).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus() -> list[CorpusMessage]:
    return list(generate("test"))


def test_same_seed_same_bytes(corpus: list[CorpusMessage]) -> None:
    assert _digest(generate("test")) == _digest(corpus)
    assert _digest(generate("bench", count=50)) == _digest(generate("bench", count=50))


def test_other_seed_other_bytes(corpus: list[CorpusMessage]) -> None:
    assert _digest(generate("test", seed=1)) != _digest(corpus)


def test_test_profile_is_small(corpus: list[CorpusMessage]) -> None:
    assert 150 <= len(corpus) < 250
    assert sum(len(m.raw) for m in corpus) < 10 * 1024 * 1024
    assert 2_500_000 < max(len(m.raw) for m in corpus) < 4_500_000


def test_every_feature_is_present(corpus: list[CorpusMessage]) -> None:
    assert {f for m in corpus for f in m.features} == FEATURES


def test_folders_cover_nesting_unicode_and_special_names(corpus: list[CorpusMessage]) -> None:
    folders = {m.folder for m in corpus}
    assert {"INBOX", "Projects/2024/Q1", "Entwürfe", "Réunions/Équipe", "R&D"} <= folders
    assert {"Sent Items", "Deleted Items", "Junk E-mail", "Drafts", "Archive"} <= folders


def test_flags_keywords_and_dates_vary(corpus: list[CorpusMessage]) -> None:
    flags = {f for m in corpus for f in m.flags}
    assert {
        "\\Seen",
        "\\Answered",
        "\\Flagged",
        "\\Draft",
        "\\Deleted",
        "$Forwarded",
        "$Label1",
        "Junk",
    } <= flags
    assert any(not m.flags for m in corpus)
    years = {m.internaldate.year for m in corpus}
    offsets = {m.internaldate.utcoffset() for m in corpus}
    assert len(years) >= 10 and len(offsets) >= 5
    assert all(m.internaldate.tzinfo is not None and m.internaldate.microsecond == 0 for m in corpus)


def test_messages_are_crlf_only(corpus: list[CorpusMessage]) -> None:
    for m in corpus:
        assert b"\n" not in m.raw.replace(b"\r\n", b""), m.folder
        assert b"\r" not in m.raw.replace(b"\r\n", b""), m.folder


def test_message_id_cases(corpus: list[CorpusMessage]) -> None:
    ids = Counter(m.message_id for m in corpus)
    by_id: dict[str | None, set[bytes]] = {}
    for m in corpus:
        by_id.setdefault(m.message_id, set()).add(m.raw)
    assert ids[None] >= 2
    assert all(b"Message-ID:" not in m.raw for m in corpus if m.message_id is None)
    # Distinct messages sharing a Message-ID, and byte-identical duplicates.
    assert any(len(raws) > 1 for mid, raws in by_id.items() if mid is not None)
    raw_counts = Counter(m.raw for m in corpus)
    assert sum(1 for n in raw_counts.values() if n > 1) >= 2


def test_message_ids_are_parsed_back(corpus: list[CorpusMessage]) -> None:
    for m in corpus:
        parsed = email.message_from_bytes(m.raw, policy=email.policy.compat32)
        assert parsed["Message-ID"] == m.message_id


def test_eight_bit_and_malformed_messages(corpus: list[CorpusMessage]) -> None:
    eight_bit = [m for m in corpus if "8bit_headers" in m.features]
    assert any("Grüße".encode() in m.raw.split(b"\r\n\r\n")[0] for m in eight_bit)
    latin1 = [m for m in corpus if "latin1_headers" in m.features]
    assert any("Réunion".encode("latin-1") in m.raw for m in latin1)
    malformed = next(m for m in corpus if "malformed" in m.features)
    assert b'boundary="declared-boundary"' in malformed.raw
    assert b"--declared-boundary" not in malformed.raw


def test_bench_profile_shape() -> None:
    sizes: list[int] = []
    folders: set[str] = set()
    features: set[str] = set()
    for m in generate("bench"):
        sizes.append(len(m.raw))
        folders.add(m.folder)
        features |= m.features
    assert len(sizes) == 2000
    assert 100e6 <= sum(sizes) <= 125e6
    assert len(folders) == 16
    assert features == FEATURES
    assert sum(1 for s in sizes if 2_000 <= s <= 52_000) > 0.85 * len(sizes)
    assert 50 <= sum(1 for s in sizes if 100_000 <= s <= 1_100_000) <= 250
    assert 5 <= sum(1 for s in sizes if s >= 2_000_000) <= 30


def test_new_messages_are_new_and_deterministic(corpus: list[CorpusMessage]) -> None:
    fresh = list(new_messages(50))
    assert len(fresh) == 50
    assert _digest(fresh) == _digest(new_messages(50))
    assert {m.message_id for m in fresh}.isdisjoint({m.message_id for m in corpus})
    assert {m.raw for m in fresh}.isdisjoint({m.raw for m in new_messages(50, batch=2)})


def test_expected_snapshot_includes_ancestors(corpus: list[CorpusMessage]) -> None:
    expected = expected_snapshot(corpus)
    assert expected["Réunions"] == []
    assert len(expected["INBOX"]) == sum(1 for m in corpus if m.folder == "INBOX")
