"""/metrics: Prometheus text computed from the database; behind login or an API token."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session

from app.db import utcnow
from app.services.runs.account_runs import Counters
from tests.conftest import ApiClient
from tests.support import factories


def _samples(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            out[f"{sample.name}{{{labels}}}"] = sample.value
    return out


def test_metrics_require_login(anon: FlaskClient) -> None:
    assert anon.get("/metrics").status_code == 401


def test_metrics_reflect_runs(api: ApiClient, db_session: Session) -> None:
    built = factories.offline_task(db_session)
    counters = Counters(copied=7, skipped=3, errors=1, bytes=4096)
    lag, took = timedelta(seconds=12), timedelta(seconds=40)
    factories.finished_run(db_session, built.task_id, started=utcnow(), lag=lag, took=took, counters=counters)
    db_session.commit()

    response = api.get("/metrics")
    assert response.status_code == 200
    samples = _samples(response.get_data(as_text=True))
    assert samples["imapcopier_runs_total{status=done,trigger=scheduled}"] == 1
    assert samples["imapcopier_messages_copied_total{}"] == 7
    assert samples["imapcopier_bytes_copied_total{}"] == 4096
    assert samples["imapcopier_message_errors_total{}"] == 1
    assert samples["imapcopier_job_duration_seconds_count{}"] == 1
    assert samples["imapcopier_job_duration_seconds_bucket{le=60.0}"] == 1
    assert samples["imapcopier_schedule_lag_seconds_bucket{le=15.0}"] == 1
    assert samples["imapcopier_schedule_lag_seconds_bucket{le=5.0}"] == 0
    assert "imapcopier_queue_length{queue=copy}" in samples
