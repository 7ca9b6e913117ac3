"""A destination's daily upload budget in the plan (docs/providers.md): an account bigger than one
day's budget gets a warning item of kind `budget` saying over how many days it is planned."""

from __future__ import annotations

import math
from typing import Any

from app.profiles import DAILY_UPLOAD_MB
from app.services.runs.account_runs import EndpointSpec

MB = 1024 * 1024


def daily_budget(spec: EndpointSpec) -> int | None:
    """Bytes one account may upload to this endpoint per day; None when there is no budget."""
    mb = spec.daily_upload_mb or DAILY_UPLOAD_MB.get(spec.provider)
    return mb * MB if mb else None


def budget_warning(planned_bytes: int | None, budget: int | None) -> dict[str, Any] | None:
    """The `budget` warning item when the planned bytes exceed one day's budget, else None."""
    if not budget or not planned_bytes or planned_bytes <= budget:
        return None
    days = math.ceil(planned_bytes / budget)
    message = (
        f"{planned_bytes / MB:.0f} MB to upload, over the destination's daily upload budget of "
        f"{budget / MB:.0f} MB: planned over {days} days"
    )
    return {"kind": "budget", "folder": None, "count": days, "message": message}
