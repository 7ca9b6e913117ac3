"""Pure daily-window arithmetic for scheduled runs (no clock, no database).

A window is [start, end) in wall-clock time of a named zone; end < start crosses midnight; start == end
means no window. On a daylight-saving day a wall time that does not exist means the first instant after
the gap, an ambiguous one its first occurrence (docs/notifications.md, "Windows").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """The IANA zone names this machine knows."""
    return frozenset(available_timezones())


@dataclass(frozen=True)
class Window:
    start: time
    end: time
    tz: ZoneInfo

    @classmethod
    def parse(cls, start: str, end: str, tz: str) -> Window:
        """From the API's {"start": "HH:MM", "end": "HH:MM", "tz": "Area/City"} (already validated)."""
        return cls(time.fromisoformat(start), time.fromisoformat(end), ZoneInfo(tz))

    @classmethod
    def of(cls, stored: dict[str, str] | None) -> Window | None:
        """The window of a task's stored `schedule_window`, or None when it has none (or start == end)."""
        if not stored:
            return None
        window = cls.parse(stored["start"], stored["end"], stored["tz"])
        return None if window.start == window.end else window


def resolve(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `wall` on `day` in `tz`: a wall time inside a DST gap gives the first instant
    after the gap; an ambiguous one (the repeated hour) gives its first occurrence."""
    first = datetime.combine(day, wall, tzinfo=tz)  # fold=0: the earlier offset, the first occurrence
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == first.replace(tzinfo=None):
        return first.astimezone(UTC)
    # In a gap: fold=0 reads the wall time with the offset before the switch (an instant after the gap)
    # and fold=1 with the offset after it (an instant before the gap). The switch lies between them.
    low = first.replace(fold=1).astimezone(UTC)
    high = first.astimezone(UTC)
    after = high.astimezone(tz).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == after:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def _occurrence(window: Window, day: date) -> tuple[datetime, datetime]:
    """The window that opens on local `day`, as UTC [open, close)."""
    opens = resolve(day, window.start, window.tz)
    close_day = day if window.end > window.start else day + timedelta(days=1)
    return opens, resolve(close_day, window.end, window.tz)


def _occurrences(window: Window, at: datetime) -> list[tuple[datetime, datetime]]:
    local_day = at.astimezone(window.tz).date()
    return [_occurrence(window, local_day + timedelta(days=offset)) for offset in (-1, 0, 1, 2)]


def closing(window: Window, at: datetime) -> datetime | None:
    """When the window that contains `at` closes, or None when `at` is outside the window."""
    for opens, closes in _occurrences(window, at):
        if opens <= at < closes:
            return closes
    return None


def next_start(window: Window | None, due: datetime) -> tuple[datetime, datetime | None]:
    """The first instant at or after `due` inside the window, and when that window closes.

    Without a window: (`due`, None), the seed's behaviour unchanged.
    """
    if window is None:
        return due, None
    for opens, closes in _occurrences(window, due):
        if due < closes and opens < closes:
            return max(opens, due), closes
    raise AssertionError("a daily window opens within two days")  # pragma: no cover
