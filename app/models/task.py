from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Timestamps
from app.models.enums import TaskStatus, check_in


class Task(Timestamps, Base):
    """A migration: many accounts from one endpoint to another, run on demand or on a schedule."""

    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint(check_in("status", TaskStatus), name="status"),
        CheckConstraint("schedule_interval_seconds >= 0", name="interval_nonneg"),
        # The 30 s scan reads only scheduled, idle, unbroken tasks whose next_due_at has passed:
        # a partial index keeps its cost proportional to the due tasks, not to all tasks.
        Index(
            "ix_tasks_next_due_at",
            "next_due_at",
            postgresql_where=text(
                f"schedule_interval_seconds > 0 AND NOT broken AND status <> '{TaskStatus.RUNNING.value}'"
            ),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    src_endpoint_id: Mapped[int] = mapped_column(ForeignKey("endpoints.id", ondelete="RESTRICT"), index=True)
    dst_endpoint_id: Mapped[int] = mapped_column(ForeignKey("endpoints.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=TaskStatus.IDLE)
    folder_mapping: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    exclude_folders: Mapped[list[str]] = mapped_column(JSONB, default=list)
    # Regex rules on source folder names (app/folder_rules.py; docs/console.md, "Folder rules").
    folder_include: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
    folder_exclude: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
    schedule_interval_seconds: Mapped[int] = mapped_column(default=0)
    schedule_anchor: Mapped[datetime | None]
    # Denormalised next scheduled start (anchor + interval, then last finished + interval), kept by
    # app/services/schedules.py (refresh_next_due) so the scan is a single indexed range read.
    next_due_at: Mapped[datetime | None]
    broken: Mapped[bool] = mapped_column(default=False)
    # {"start": "HH:MM", "end": "HH:MM", "tz": "Area/City"}: scheduled runs start only inside it.
    schedule_window: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    # When the window that holds next_due_at closes (null without a window): the scan claims only before.
    due_window_closes_at: Mapped[datetime | None]
    notify_emails: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
