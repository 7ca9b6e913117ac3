from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.enums import AccountRunStatus, RunStatus, Trigger, check_in


class Run(Base):
    """One execution of a task (manual or scheduled) over all its accounts."""

    __tablename__ = "runs"
    __table_args__ = (
        CheckConstraint(check_in("trigger", Trigger), name="trigger"),
        CheckConstraint(check_in("status", RunStatus), name="status"),
        # At most one open run per task: a second claim fails on this index instead of racing.
        Index(
            "uq_runs_one_open_per_task", "task_id", unique=True, postgresql_where=text("finished_at IS NULL")
        ),
        Index("ix_runs_task_started", "task_id", "started_at"),
        Index("ix_runs_open_heartbeat", "heartbeat_at", postgresql_where=text("finished_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.RUNNING)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    # For scheduled runs, when the schedule said it was due: started_at - scheduled_for is the lag.
    scheduled_for: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    total_copied: Mapped[int] = mapped_column(default=0)
    total_skipped: Mapped[int] = mapped_column(default=0)
    total_errors: Mapped[int] = mapped_column(default=0)
    total_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    error_summary: Mapped[str | None] = mapped_column(String(2000))


class AccountRun(Base):
    """The result of one account within a run; written by the copy job, read by finalize_run."""

    __tablename__ = "account_runs"
    __table_args__ = (
        UniqueConstraint("run_id", "account_id", name="uq_account_runs_run_account"),
        CheckConstraint(check_in("status", AccountRunStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=AccountRunStatus.QUEUED)
    copied: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    planned_messages: Mapped[int | None]
    planned_bytes: Mapped[int | None] = mapped_column(BigInteger)
    error_summary: Mapped[str | None] = mapped_column(String(2000))
    error_list: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    folders: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # Known before copying (the destination quota the account cannot fit); altered messages are
    # counted per folder in `folders` instead. Items: {kind, folder, count, message}.
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    # While it runs: each folder of its plan with its state and counts (app/schemas/runs.py,
    # LiveFolder), saved with the progress so a reloaded page lists them (docs/console.md).
    live_folders: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    celery_task_id: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
