"""The daily window of scheduled runs: a table of due times and where they land, DST both ways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.services.windows import Window, closing, next_start


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


NIGHT_BERLIN = Window.parse("22:00", "06:00", "Europe/Berlin")
OFFICE_BERLIN = Window.parse("09:00", "17:00", "Europe/Berlin")
GAP_BERLIN = Window.parse("02:30", "04:00", "Europe/Berlin")  # 02:30 does not exist on 2026-03-29
REPEAT_BERLIN = Window.parse("02:30", "05:00", "Europe/Berlin")  # 02:30 happens twice on 2026-10-25
GAP_NEW_YORK = Window.parse("02:00", "03:00", "America/New_York")  # wholly inside the 2026-03-08 gap
TO_MIDNIGHT = Window.parse("20:00", "00:00", "UTC")

# (window, due UTC, expected start UTC, expected close UTC)
CASES = [
    ("no window", None, "2026-01-10T12:00", "2026-01-10T12:00", None),
    ("before a night window", NIGHT_BERLIN, "2026-01-10T12:00", "2026-01-10T21:00", "2026-01-11T05:00"),
    ("inside, after midnight", NIGHT_BERLIN, "2026-01-10T23:30", "2026-01-10T23:30", "2026-01-11T05:00"),
    ("inside, before midnight", NIGHT_BERLIN, "2026-01-10T21:00", "2026-01-10T21:00", "2026-01-11T05:00"),
    ("at the end (exclusive)", NIGHT_BERLIN, "2026-01-11T05:00", "2026-01-11T21:00", "2026-01-12T05:00"),
    ("summer day window", OFFICE_BERLIN, "2026-07-01T06:59", "2026-07-01T07:00", "2026-07-01T15:00"),
    ("after a day window", OFFICE_BERLIN, "2026-07-01T15:00", "2026-07-02T07:00", "2026-07-02T15:00"),
    # Spring forward (Berlin, 2026-03-29 02:00 CET -> 03:00 CEST): a start in the gap opens at 03:00 CEST.
    ("start in the spring gap", GAP_BERLIN, "2026-03-28T12:00", "2026-03-29T01:00", "2026-03-29T02:00"),
    ("night across spring", NIGHT_BERLIN, "2026-03-28T12:00", "2026-03-28T21:00", "2026-03-29T04:00"),
    ("day after spring", GAP_BERLIN, "2026-03-29T02:00", "2026-03-30T00:30", "2026-03-30T02:00"),
    # Fall back (Berlin, 2026-10-25 03:00 CEST -> 02:00 CET): an ambiguous start is its first occurrence.
    ("ambiguous start", REPEAT_BERLIN, "2026-10-24T12:00", "2026-10-25T00:30", "2026-10-25T04:00"),
    ("in the repeated hour", REPEAT_BERLIN, "2026-10-25T01:45", "2026-10-25T01:45", "2026-10-25T04:00"),
    ("night across fall", NIGHT_BERLIN, "2026-10-24T12:00", "2026-10-24T20:00", "2026-10-25T05:00"),
    # New York, 2026-03-08: 02:00-03:00 does not exist, that day has no window; the next opens 02:00 EDT.
    ("window wholly in a gap", GAP_NEW_YORK, "2026-03-07T12:00", "2026-03-09T06:00", "2026-03-09T07:00"),
    ("ending at midnight", TO_MIDNIGHT, "2026-05-01T23:59", "2026-05-01T23:59", "2026-05-02T00:00"),
    ("after a midnight end", TO_MIDNIGHT, "2026-05-02T00:00", "2026-05-02T20:00", "2026-05-03T00:00"),
]


@pytest.mark.parametrize(("name", "window", "due", "start", "closes"), CASES, ids=[c[0] for c in CASES])
def test_next_start(name: str, window: Window | None, due: str, start: str, closes: str | None) -> None:
    got_start, got_closes = next_start(window, utc(due))
    assert got_start == utc(start)
    assert got_closes == (utc(closes) if closes else None)


def test_closing_inside_and_outside() -> None:
    assert closing(NIGHT_BERLIN, utc("2026-01-11T04:59")) == utc("2026-01-11T05:00")
    assert closing(NIGHT_BERLIN, utc("2026-01-11T05:00")) is None
    assert closing(OFFICE_BERLIN, utc("2026-07-01T10:00")) == utc("2026-07-01T15:00")


def test_start_equal_to_end_is_no_window() -> None:
    assert Window.of({"start": "08:00", "end": "08:00", "tz": "Europe/Berlin"}) is None
    assert Window.of(None) is None
    assert Window.of({"start": "08:00", "end": "09:00", "tz": "UTC"}) == Window.parse("08:00", "09:00", "UTC")


SWITCHES = {
    "Europe/Berlin": ("2026-03-29T00:00", "2026-10-25T00:00"),
    "America/New_York": ("2026-03-08T00:00", "2026-11-01T00:00"),
    "Australia/Lord_Howe": ("2026-04-05T00:00", "2026-10-04T00:00"),  # moves by 30 minutes
}


@pytest.mark.parametrize("zone", list(SWITCHES))
@pytest.mark.parametrize(("start", "end"), [("22:00", "06:00"), ("09:00", "17:00"), ("01:30", "03:30")])
def test_next_start_is_the_first_instant_inside(zone: str, start: str, end: str) -> None:
    """Around both switch dates of the zone: the start is inside the window, and no instant between
    the due time and the start is (probed every 20 minutes)."""
    window = Window.parse(start, end, zone)
    for switch in SWITCHES[zone]:
        due = utc(switch) - timedelta(days=1)
        for _ in range(60):
            got, closes = next_start(window, due)
            assert got >= due and closes is not None and closing(window, got) == closes
            probe = due
            while probe < got:
                assert closing(window, probe) is None, (zone, start, end, due, probe)
                probe += timedelta(minutes=20)
            due += timedelta(minutes=47)
