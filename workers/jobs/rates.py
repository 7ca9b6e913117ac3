"""Messages and bytes per second over a sliding window, and the time left at that pace.

Computed once, on the worker, from the account's running totals, and sent in the progress events;
the browser only displays them (docs/events.md).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 10.0
MIN_SPAN_SECONDS = 1.0  # below this a rate is noise


@dataclass(frozen=True)
class Pace:
    msgs_per_s: float | None
    bytes_per_s: float | None
    eta_seconds: float | None


class SlidingRate:
    """Feed it (messages handled, bytes copied) as they grow; read the pace over the last window."""

    def __init__(self, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._window = window
        self._clock = clock
        self._samples: deque[tuple[float, int, int]] = deque()

    def reset(self) -> None:
        """A pause (a throttled attempt backing off) must not drag the next attempt's rate down."""
        self._samples.clear()

    def add(self, messages: int, nbytes: int, planned: int | None = None) -> Pace:
        now = self._clock()
        self._samples.append((now, messages, nbytes))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self._window:
            self._samples.popleft()
        first_at, first_messages, first_bytes = self._samples[0]
        span = now - first_at
        if span < MIN_SPAN_SECONDS:
            return Pace(None, None, None)
        msgs_per_s = max(messages - first_messages, 0) / span
        bytes_per_s = max(nbytes - first_bytes, 0) / span
        eta = None
        if planned is not None and msgs_per_s > 0:
            eta = max(planned - messages, 0) / msgs_per_s
        return Pace(round(msgs_per_s, 2), round(bytes_per_s, 1), None if eta is None else round(eta, 1))
