"""Deterministic mail corpus for tests, demo and benchmark, plus its IMAP loader.

`generate("test")` yields a small (< 250 messages, a few MB) mailbox with every
awkward case the copier must handle; `generate("bench")` yields ~2,000
messages / ~120 MB in 16 folders with a realistic size mix. Same seed, same
bytes. Folder names are logical: `/`-separated, no namespace prefix; the
loader maps them onto each server's separator and prefix.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from testbed.corpus_imap import LoadStats, Snapshot, expected_snapshot, load_corpus, snapshot
from testbed.corpus_mime import MessageSpec, MimeBuilder

__all__ = [
    "DEFAULT_SEED",
    "FEATURES",
    "CorpusMessage",
    "LoadStats",
    "Snapshot",
    "expected_snapshot",
    "generate",
    "load_corpus",
    "new_messages",
    "snapshot",
]

DEFAULT_SEED = 20240601
# Feature tags a message may carry (CorpusMessage.features).
FEATURES = frozenset(
    {
        "plain",
        "html",
        "alternative",
        "attachment",
        "no_message_id",
        "shared_message_id",
        "duplicate",
        "8bit_headers",
        "latin1_headers",
        "malformed",
    }
)

_TEST_FOLDERS = (
    ("INBOX", 70),
    ("Projects", 8),
    ("Projects/2024", 8),
    ("Projects/2024/Q1", 10),
    ("Entwürfe", 6),
    ("Réunions/Équipe", 5),
    ("R&D", 5),
    ("Sent Items", 24),
    ("Deleted Items", 10),
    ("Junk E-mail", 8),
    ("Drafts", 5),
    ("Archive", 16),
    ("Archive/2019", 8),
)
# Guaranteed cases for the test profile: (folder, index) -> features.
_TEST_FORCED: dict[tuple[str, int], set[str]] = {
    ("INBOX", 0): {"alternative"},
    ("INBOX", 1): {"shared_message_id"},
    ("INBOX", 2): {"no_message_id"},
    ("INBOX", 3): {"no_message_id", "html", "duplicate"},
    ("INBOX", 4): {"8bit_headers"},
    ("INBOX", 5): {"latin1_headers"},
    ("INBOX", 6): {"malformed"},
    ("INBOX", 7): {"attachment", "huge"},
    ("INBOX", 8): {"alternative"},
    ("INBOX", 9): {"html"},
    ("Archive", 0): {"duplicate", "attachment"},
    ("Archive", 1): {"shared_message_id"},
    ("Projects/2024/Q1", 0): {"8bit_headers", "attachment"},
    ("Entwürfe", 0): {"no_message_id"},
    ("Sent Items", 0): {"attachment"},
}
_BENCH_FOLDERS = (
    ("INBOX", 30),
    ("Sent Items", 14),
    ("Deleted Items", 6),
    ("Junk E-mail", 4),
    ("Drafts", 2),
    ("Archive", 8),
    ("Archive/2019", 5),
    ("Archive/2020", 5),
    ("Archive/2021", 5),
    ("Projects", 4),
    ("Projects/Alpha", 4),
    ("Projects/Beta", 3),
    ("Clients/ACME", 4),
    ("Clients/Globex", 2),
    ("Newsletters", 2),
    ("Entwürfe", 2),
)
_BENCH_COUNT = 2000
_ZONES = tuple(
    timezone(timedelta(minutes=m)) for m in (0, -300, 60, 330, -480, 540, 765, -210, 120, -600, 600)
)
_EPOCH_START = datetime(2009, 1, 1, tzinfo=UTC)
_EPOCH_SPAN = int((datetime(2024, 12, 31, tzinfo=UTC) - _EPOCH_START).total_seconds())
_SPRINKLE = (
    ("no_message_id", 0.01),
    ("shared_message_id", 0.005),
    ("duplicate", 0.005),
    ("8bit_headers", 0.01),
    ("latin1_headers", 0.005),
)


@dataclass(frozen=True)
class CorpusMessage:
    """One message to APPEND: logical folder, exact bytes, flags and INTERNALDATE."""

    folder: str
    raw: bytes
    flags: frozenset[str]
    internaldate: datetime
    features: frozenset[str]
    message_id: str | None


def _flags(rng: random.Random, folder: str, number: int) -> frozenset[str]:
    top = folder.split("/")[0]
    if top == "Sent Items":
        return frozenset({"\\Seen"} | ({"$MDNSent"} if rng.random() < 0.1 else set()))
    if top == "Drafts":
        return frozenset({"\\Draft", "\\Seen"})
    if top == "Junk E-mail":
        return frozenset({"Junk"} | ({"\\Seen"} if rng.random() < 0.5 else set()))
    flags: set[str] = set()
    for flag, chance in (
        ("\\Seen", 0.7),
        ("\\Answered", 0.15),
        ("\\Flagged", 0.1),
        ("$Forwarded", 0.05),
        ("$Label1", 0.05),
        ("$Label2", 0.03),
        ("NonJunk", 0.03),
    ):
        if rng.random() < chance:
            flags.add(flag)
    if top == "Deleted Items" and number % 4 == 0:
        flags.add("\\Deleted")
    return frozenset(flags)


def _date(rng: random.Random) -> datetime:
    instant = _EPOCH_START + timedelta(seconds=rng.randrange(_EPOCH_SPAN))
    return instant.astimezone(rng.choice(_ZONES))


def _test_size(rng: random.Random, features: set[str]) -> int:
    if "huge" in features:
        return 3 * 1024 * 1024
    if "attachment" in features:
        return rng.randint(20_000, 200_000)
    return rng.randint(800, 20_000)


def _bench_size(rng: random.Random, bucket: str) -> int:
    if bucket == "large":
        return rng.randint(2_000_000, 5_000_000)
    if bucket == "medium":
        return int(100_000 * 10 ** rng.random())
    # Log-uniform 2-50 KB: many small messages, fewer mid-sized ones.
    return int(2_000 * 25 ** rng.random())


def _shape(rng: random.Random, features: set[str], size: int) -> set[str]:
    if size > 60_000 or (size > 15_000 and rng.random() < 0.15):
        features.add("attachment")
    if not features & {"attachment", "html", "alternative", "malformed"}:
        roll = rng.random()
        features.add("html" if roll < 0.15 else "alternative" if roll < 0.45 else "plain")
    return features


def _test_specs(rng: random.Random) -> Iterator[tuple[str, set[str], int]]:
    for folder, count in _TEST_FOLDERS:
        for index in range(count):
            features = set(_TEST_FORCED.get((folder, index), set()))
            if not features and rng.random() < 0.08:
                features.add("attachment")
            size = _test_size(rng, features)
            yield folder, _shape(rng, features, size), size


def _bench_specs(rng: random.Random, count: int) -> Iterator[tuple[str, set[str], int]]:
    weights = sum(w for _, w in _BENCH_FOLDERS)
    buckets = ["small"] * count
    for i in rng.sample(range(count), max(1, count * 8 // 1000)):
        buckets[i] = "large"
    for i in rng.sample([i for i, b in enumerate(buckets) if b == "small"], count // 20):
        buckets[i] = "medium"
    position = 0
    for n, (folder, weight) in enumerate(_BENCH_FOLDERS):
        folder_count = count - position if n == len(_BENCH_FOLDERS) - 1 else count * weight // weights
        for _ in range(folder_count):
            size = _bench_size(rng, buckets[position])
            features = {name for name, chance in _SPRINKLE if rng.random() < chance}
            if position in (7, count // 2):
                features.add("malformed")
            position += 1
            yield folder, _shape(rng, features, size), size


def _materialize(
    rng: random.Random, specs: Iterator[tuple[str, set[str], int]], limit: int | None, base: int = 0
) -> Iterator[CorpusMessage]:
    builder = MimeBuilder(rng)
    emitted = 0
    previous_id: str | None = None
    for number, (folder, features, size) in enumerate(specs, start=base):
        if limit is not None and emitted >= limit:
            return
        date = _date(rng)
        message_id = f"<{rng.getrandbits(64):016x}.{number}@corpus.example.com>"
        if "shared_message_id" in features and previous_id is not None:
            message_id = previous_id  # a distinct message that reuses its predecessor's Message-ID
        spec = MessageSpec(number=number, size=size, date=date, features=features, message_id=message_id)
        raw = builder.build(spec)
        internaldate = (date + timedelta(seconds=rng.randint(1, 900))).astimezone(rng.choice(_ZONES))
        message = CorpusMessage(
            folder=folder,
            raw=raw,
            flags=_flags(rng, folder, number),
            internaldate=internaldate,
            features=frozenset(features - {"huge"}),
            message_id=None if "no_message_id" in features else message_id,
        )
        copies = 2 if "duplicate" in features else 1
        for _ in range(copies):
            if limit is None or emitted < limit:
                emitted += 1
                yield message
        previous_id = message.message_id


def generate(
    profile: str = "test", seed: int = DEFAULT_SEED, count: int | None = None
) -> Iterator[CorpusMessage]:
    """Stream the corpus of a profile ("test" or "bench"); `count` caps the number of messages.

    Raises:
        ValueError: unknown profile.
    """
    rng = random.Random(f"{profile}:{seed}")
    if profile == "test":
        return _materialize(rng, _test_specs(rng), count)
    if profile == "bench":
        total = count or _BENCH_COUNT
        return _materialize(rng, _bench_specs(rng, total), total)
    raise ValueError(f"unknown corpus profile {profile!r}")


def new_messages(
    count: int, seed: int = DEFAULT_SEED, folders: tuple[str, ...] = ("INBOX",), batch: int = 1
) -> Iterator[CorpusMessage]:
    """`count` fresh messages (distinct from any corpus and from other batches) for delta tests."""
    rng = random.Random(f"new:{seed}:{batch}")

    def specs() -> Iterator[tuple[str, set[str], int]]:
        for i in range(count):
            size = rng.randint(1_000, 20_000)
            yield folders[i % len(folders)], _shape(rng, set(), size), size

    return _materialize(rng, specs(), count, base=1_000_000 * batch)
