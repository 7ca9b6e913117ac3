"""The process that dispatches runs keeps no per-job result state (subscriptions, result objects)."""

from __future__ import annotations

import redis

from app.config import Settings
from app.dispatch import COPY_QUEUE, DEFAULT_QUEUE, make_client, start_run
from tests.jobs.conftest import broker_url


def test_dispatching_runs_leaves_no_result_subscriptions(settings: Settings) -> None:
    celery = make_client(settings)
    broker: redis.Redis[bytes] = redis.Redis.from_url(broker_url())
    before = (broker.llen(COPY_QUEUE), broker.llen(DEFAULT_QUEUE))
    try:
        for run_id in (900001, 900002, 900003):  # no such runs: no worker is consuming here anyway
            start_run(celery, run_id, [1, 2, 3])
        backend = celery.backend
        pending = sum(len(mapping) for mapping in backend._pending_results)
        subscribed = len(backend.result_consumer.subscribed_to)
        assert (pending, subscribed) == (0, 0)
        assert broker.llen(COPY_QUEUE) - before[0] == 9  # the jobs themselves were sent
    finally:
        for queue, length in zip((COPY_QUEUE, DEFAULT_QUEUE), before, strict=True):
            added = broker.llen(queue) - length  # kombu pushes on the left: drop what this test sent
            if added > 0:
                broker.ltrim(queue, added, -1)
        broker.close()
