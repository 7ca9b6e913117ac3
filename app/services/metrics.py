"""Prometheus metrics computed at scrape time from PostgreSQL and Redis.

The database is the source of truth for runs, so the figures are the same whichever web process
answers and however many workers there are (no multiprocess registry to keep in sync).
"""

from __future__ import annotations

from collections.abc import Iterator

import redis
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import AccountRun, Run, Task, Trigger

QUEUES = ("copy", "default")
DURATION_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 4 * 3600.0, 12 * 3600.0)
LAG_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0)


def _histogram(name: str, doc: str, values: list[float], buckets: tuple[float, ...]) -> HistogramMetricFamily:
    counts = [sum(1 for v in values if v <= b) for b in buckets]
    pairs = [(str(b), float(c)) for b, c in zip(buckets, counts, strict=True)]
    pairs.append(("+Inf", float(len(values))))
    return HistogramMetricFamily(name, doc, buckets=pairs, sum_value=float(sum(values)))


class ProductCollector(Collector):
    def __init__(self, sessions: sessionmaker[Session], client: redis.Redis[bytes]) -> None:
        self._sessions = sessions
        self._redis = client

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily | HistogramMetricFamily]:
        with self._sessions() as session:
            yield from self._runs(session)
            yield from self._tasks(session)
            yield from self._durations(session)
        queue = GaugeMetricFamily(
            "imapcopier_queue_length", "Jobs waiting in a Celery queue", labels=["queue"]
        )
        for name in QUEUES:
            try:
                queue.add_metric([name], float(self._redis.llen(name)))
            except redis.RedisError:
                continue
        yield queue

    def _runs(self, session: Session) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        runs = CounterMetricFamily(
            "imapcopier_runs", "Runs by status and trigger", labels=["status", "trigger"]
        )
        for status, trigger, count in session.execute(
            select(Run.status, Run.trigger, func.count()).group_by(Run.status, Run.trigger)
        ):
            runs.add_metric([status, trigger], float(count))
        yield runs
        copied, skipped, errors, nbytes = session.execute(
            select(
                func.coalesce(func.sum(AccountRun.copied), 0),
                func.coalesce(func.sum(AccountRun.skipped), 0),
                func.coalesce(func.sum(AccountRun.errors), 0),
                func.coalesce(func.sum(AccountRun.bytes), 0),
            )
        ).one()
        yield CounterMetricFamily("imapcopier_messages_copied", "Messages copied", value=float(copied))
        yield CounterMetricFamily(
            "imapcopier_messages_skipped", "Messages already there", value=float(skipped)
        )
        yield CounterMetricFamily(
            "imapcopier_message_errors", "Messages refused or failed", value=float(errors)
        )
        yield CounterMetricFamily("imapcopier_bytes_copied", "Bytes copied", value=float(nbytes))

    def _tasks(self, session: Session) -> Iterator[GaugeMetricFamily]:
        tasks = GaugeMetricFamily("imapcopier_tasks", "Tasks by status", labels=["status"])
        for status, count in session.execute(select(Task.status, func.count()).group_by(Task.status)):
            tasks.add_metric([status], float(count))
        yield tasks
        broken = session.scalar(select(func.count()).where(Task.broken.is_(True))) or 0
        yield GaugeMetricFamily(
            "imapcopier_tasks_broken", "Tasks whose schedule the breaker turned off", value=broken
        )
        scheduled = session.scalar(select(func.count()).where(Task.schedule_interval_seconds > 0)) or 0
        yield GaugeMetricFamily("imapcopier_tasks_scheduled", "Tasks with a schedule on", value=scheduled)

    def _durations(self, session: Session) -> Iterator[HistogramMetricFamily]:
        # The most recent 5,000 finished jobs / scheduled runs bound the scrape cost on big installs.
        job_seconds = [
            float(s)
            for (s,) in session.execute(
                select(func.extract("epoch", AccountRun.finished_at - AccountRun.started_at))
                .where(AccountRun.finished_at.is_not(None), AccountRun.started_at.is_not(None))
                .order_by(AccountRun.id.desc())
                .limit(5000)
            )
        ]
        yield _histogram(
            "imapcopier_job_duration_seconds", "Account copy job durations", job_seconds, DURATION_BUCKETS
        )
        lags = [
            max(0.0, float(s))
            for (s,) in session.execute(
                select(func.extract("epoch", Run.started_at - Run.scheduled_for))
                .where(Run.trigger == Trigger.SCHEDULED, Run.scheduled_for.is_not(None))
                .order_by(Run.id.desc())
                .limit(5000)
            )
        ]
        yield _histogram(
            "imapcopier_schedule_lag_seconds",
            "How late scheduled runs started after they were due",
            lags,
            LAG_BUCKETS,
        )
