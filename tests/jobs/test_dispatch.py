"""The process that dispatches runs keeps no per-job result state (subscriptions, result objects)."""

from __future__ import annotations

from typing import Any

from celery.signals import after_task_publish

from app.config import Settings
from app.dispatch import COPY_ACCOUNT, make_client, start_run


def test_dispatching_runs_leaves_no_result_subscriptions(settings: Settings) -> None:
    celery = make_client(settings)
    sent: list[str] = []

    def count(sender: str | None = None, **_: Any) -> None:
        if sender == COPY_ACCOUNT:
            sent.append(sender)

    after_task_publish.connect(count, weak=False)
    try:
        # No such runs: a worker that picks these jobs up finds nothing to do and returns.
        for run_id in (900001, 900002, 900003):
            start_run(celery, run_id, [1, 2, 3])
    finally:
        after_task_publish.disconnect(count)
    assert len(sent) == 9
    backend = celery.backend
    pending = sum(len(mapping) for mapping in backend._pending_results)
    assert (pending, len(backend.result_consumer.subscribed_to)) == (0, 0)
