"""The breaker and the run status: pure decisions of finalize_run."""

from __future__ import annotations

import pytest

from app.models.enums import RunStatus, Trigger
from app.services.runs import run_status, should_break


@pytest.mark.parametrize(
    ("trigger", "status", "errors", "expected"),
    [
        (Trigger.SCHEDULED, RunStatus.DONE, 2, True),
        (Trigger.SCHEDULED, RunStatus.FAILED, 1, True),
        (Trigger.SCHEDULED, RunStatus.CANCELLED, 1, True),
        (Trigger.SCHEDULED, RunStatus.DONE, 0, False),
        (Trigger.SCHEDULED, RunStatus.ABANDONED, 3, False),  # lost workers are not mail errors
        (Trigger.MANUAL, RunStatus.FAILED, 5, False),  # manual runs never trip it
        (Trigger.MANUAL, RunStatus.DONE, 0, False),
    ],
)
def test_should_break(trigger: Trigger, status: RunStatus, errors: int, expected: bool) -> None:
    assert should_break(trigger, status, errors) is expected


@pytest.mark.parametrize(
    ("cancel", "abandoned", "failed", "expected"),
    [
        (False, False, False, RunStatus.DONE),
        (False, False, True, RunStatus.FAILED),
        (True, False, True, RunStatus.CANCELLED),
        (True, True, False, RunStatus.ABANDONED),
        (False, True, True, RunStatus.ABANDONED),
    ],
)
def test_run_status(cancel: bool, abandoned: bool, failed: bool, expected: RunStatus) -> None:
    assert run_status(cancel, abandoned, failed) is expected
