from datetime import UTC, datetime, timedelta

from app.services.schedules import ALLOWED_INTERVALS, displayed_next_run, next_run_at

ANCHOR = datetime(2026, 7, 3, 10, 0, tzinfo=UTC)
HOUR = 3600


def test_first_run_is_anchor_plus_interval() -> None:
    assert next_run_at(HOUR, ANCHOR, None) == ANCHOR + timedelta(hours=1)


def test_later_runs_count_from_completion() -> None:
    finished = datetime(2026, 7, 3, 11, 17, tzinfo=UTC)
    assert next_run_at(HOUR, ANCHOR, finished) == finished + timedelta(hours=1)


def test_run_finished_before_enabling_does_not_start_at_once() -> None:
    old = ANCHOR - timedelta(days=3)
    assert next_run_at(HOUR, ANCHOR, old) == ANCHOR + timedelta(hours=1)


def test_off_running_or_broken_have_no_next_run() -> None:
    assert next_run_at(0, ANCHOR, None) is None
    assert displayed_next_run(HOUR, ANCHOR, None, running=True, broken=False) is None
    assert displayed_next_run(HOUR, ANCHOR, None, running=False, broken=True) is None
    assert displayed_next_run(HOUR, ANCHOR, None, running=False, broken=False) is not None


def test_presets() -> None:
    expected = {0, 3600, 10800, 21600, 43200, 86400}
    assert expected == ALLOWED_INTERVALS
