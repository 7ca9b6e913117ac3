"""Pure schedule arithmetic (no clock, no database): presets and the next run.

Semantics (docs/decisions.md, "Scheduling"): the first scheduled run is one interval after
the schedule was enabled (its anchor); later runs are one interval after the last run *finished*
(from completion, not start). A run that finished before the schedule was (re-)enabled does not make
the first scheduled run start at once: the base is the later of the anchor and the last finish.
"""

from __future__ import annotations

from datetime import datetime, timedelta

POLL_INTERVAL_SECONDS = 30
PRESETS: dict[str, int] = {
    "Off": 0,
    "1h": 3600,
    "3h": 10800,
    "6h": 21600,
    "12h": 43200,
    "24h": 86400,
}
ALLOWED_INTERVALS = frozenset(PRESETS.values())


def next_run_at(
    interval_seconds: int, anchor: datetime | None, last_finished: datetime | None
) -> datetime | None:
    """When the task should next run, or None when the schedule is off."""
    if interval_seconds <= 0 or anchor is None:
        return None
    base = anchor if last_finished is None or last_finished < anchor else last_finished
    return base + timedelta(seconds=interval_seconds)


def displayed_next_run(
    interval_seconds: int,
    anchor: datetime | None,
    last_finished: datetime | None,
    *,
    running: bool,
    broken: bool,
) -> datetime | None:
    """`next_run_at` as the API shows it: null when off, running or broken."""
    if running or broken:
        return None
    return next_run_at(interval_seconds, anchor, last_finished)
