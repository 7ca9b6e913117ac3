"""Run an iterator one step ahead in a worker thread.

The copy loop reads batch N+1 from the source while it appends batch N to the destination: the two
servers work at the same time instead of taking turns. The iterator must own its resources (here:
the source session) for as long as it runs; closing the generator waits for the step in flight.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def prefetched(items: Iterator[T]) -> Generator[T, None, None]:
    """Yield the items of `items`, producing the next one while the caller handles the current one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prefetch") as pool:
        future = pool.submit(next, items, _DONE)
        while True:
            item = future.result()
            if item is _DONE:
                return
            future = pool.submit(next, items, _DONE)
            yield item  # type: ignore[misc]
