"""/metrics: Prometheus text computed from the database; behind login or an API token."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session

from app.db import utcnow
from app.models import Account, AccountRun, Endpoint, Run, Task
from tests.conftest import ApiClient


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
    ep = Endpoint(name="e", host="127.0.0.1", port=143, tls_mode="plain")
    db_session.add(ep)
    db_session.flush()
    task = Task(name="t", src_endpoint_id=ep.id, dst_endpoint_id=ep.id)
    db_session.add(task)
    db_session.flush()
    acc = Account(
        task_id=task.id, src_username="a", src_password_enc=b"x", dst_username="a", dst_password_enc=b"x"
    )
    db_session.add(acc)
    now = utcnow()
    run = Run(
        task_id=task.id,
        trigger="scheduled",
        status="done",
        started_at=now,
        scheduled_for=now - timedelta(seconds=12),
        finished_at=now + timedelta(seconds=40),
    )
    db_session.add(run)
    db_session.flush()
    db_session.add(
        AccountRun(
            run_id=run.id,
            account_id=acc.id,
            status="ok",
            copied=7,
            skipped=3,
            errors=1,
            bytes=4096,
            started_at=now,
            finished_at=now + timedelta(seconds=40),
        )
    )
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
