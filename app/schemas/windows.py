"""A task's daily schedule window and e-mail recipient lists."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from app.schemas.fields import NoNul, RequestModel
from app.services.windows import HHMM, known_zones


def _zone(value: str) -> str:
    if value not in known_zones():
        raise ValueError("must be an IANA time zone name such as Europe/Berlin")
    return value


# No white space, control characters or list separators: an address goes into a mail header as is.
EMAIL = r"^[^@\s<>,;\x00-\x1f\x7f]+@[^@\s<>,;\x00-\x1f\x7f]+$"
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320, pattern=EMAIL), NoNul
]
EmailList = Annotated[list[Email], Field(max_length=100)]


class ScheduleWindow(RequestModel):
    """[start, end) in `tz`; end < start crosses midnight; start == end means no window."""

    start: Annotated[str, Field(pattern=HHMM, examples=["22:00"])]
    end: Annotated[str, Field(pattern=HHMM, examples=["06:00"])]
    tz: Annotated[str, Field(max_length=64, examples=["Europe/Berlin"]), AfterValidator(_zone)]
