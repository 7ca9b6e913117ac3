"""Recording a connection test's result on the account (the test itself: workers/jobs/connection_test.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.models import Account
from app.models.enums import TestStatus

MAX_TEST_ERROR = 1000


def record_test(
    session: Session,
    account_id: int,
    results: dict[str, str | None],
    now: datetime,
    dst_quota: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Store a connection test: `results` maps "src"/"dst" to None (OK) or a readable error;
    `dst_quota` is the destination's quota check (None: no limit, or not read).

    Returns the stored outcome (for the `account_test` event), or None when the account is gone.
    """
    account = session.get(Account, account_id)
    if account is None:
        return None
    outcome: dict[str, Any] = {}
    for side, error in results.items():
        status = TestStatus.OK if error is None else TestStatus.FAIL
        setattr(account, f"test_{side}_status", status)
        setattr(account, f"test_{side}_error", None if error is None else error[:MAX_TEST_ERROR])
        outcome[f"test_{side}_status"] = status.value
        outcome[f"test_{side}_error"] = error
    account.test_dst_quota = dst_quota
    outcome["test_dst_quota"] = dst_quota
    account.tested_at = now
    return outcome
