"""Helpers of the notification tests: channel settings, finished runs as rows, waiting for rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models import AccountRun, Notification, Run
from tests.conftest import ApiClient

SMTP_PASSWORD = "smtp-pass-9f3e2a71"
HOOK_SECRET = "hook-secret-51c0de8b"


def configure(api: ApiClient, smtp_port: int, recipients: list[str], hook_url: str | None = None) -> None:
    body = {
        "smtp": {
            "host": "127.0.0.1",
            "port": smtp_port,
            "security": "none",
            "username": "notifier",
            "password": SMTP_PASSWORD,
            "from_address": "copier@example.test",
            "recipients": recipients,
        },
        "webhooks": [{"url": hook_url, "secret": HOOK_SECRET}] if hook_url else [],
    }
    response = api.put("/api/settings/notifications", json=body)
    assert response.status_code == 200, response.json


def add_finished_run(
    engine: Engine,
    task_id: int,
    account_ids: list[int],
    *,
    trigger: str,
    finished_at: datetime,
    error: str | None,
) -> int:
    """A closed run whose accounts all failed with `error` (or all succeeded when None)."""
    with Session(engine) as session, session.begin():
        failed = error is not None
        run = Run(
            task_id=task_id,
            trigger=trigger,
            status="failed" if failed else "done",
            started_at=finished_at,
            finished_at=finished_at,
            heartbeat_at=finished_at,
            total_copied=0 if failed else 5,
            total_errors=len(account_ids) if failed else 0,
        )
        session.add(run)
        session.flush()
        for account_id in account_ids:
            session.add(
                AccountRun(
                    run_id=run.id,
                    account_id=account_id,
                    status="failed" if failed else "ok",
                    errors=1 if failed else 0,
                    copied=0 if failed else 5,
                    error_summary=error,
                    error_list=[{"side": "dst", "kind": "login", "message": error}] if failed else [],
                    started_at=finished_at,
                    finished_at=finished_at,
                )
            )
        return run.id


def notifications(engine: Engine) -> list[Notification]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(Notification).order_by(Notification.id)))


def all_settled(engine: Engine) -> list[Notification] | None:
    rows = notifications(engine)
    return rows if rows and all(row.status in {"sent", "failed"} for row in rows) else None
