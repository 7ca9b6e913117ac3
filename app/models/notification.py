"""Notification channels (one settings row) and every notification with its delivery attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class NotificationSettings(Base):
    """The channels, one row (id 1). Secrets are Fernet-encrypted and never leave through the API."""

    __tablename__ = "notification_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    smtp_host: Mapped[str | None] = mapped_column(String(255))
    smtp_port: Mapped[int] = mapped_column(default=587)
    smtp_security: Mapped[str] = mapped_column(String(16), default="starttls")
    smtp_username: Mapped[str | None] = mapped_column(String(320))
    smtp_password_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    smtp_from: Mapped[str | None] = mapped_column(String(320))
    smtp_recipients: Mapped[list[str]] = mapped_column(JSONB, default=list)
    # [{"url": ..., "secret_enc": <Fernet token as text>}]
    webhooks: Mapped[list[dict[str, str]]] = mapped_column(JSONB, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Notification(Base):
    """One message to one channel target; `attempts` records every delivery attempt."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_task_kind_created", "task_id", "kind", "created_at"),
        Index("ix_notifications_created", "created_at"),
        # The sweep reads only notifications still on their way.
        Index(
            "ix_notifications_open",
            "status",
            postgresql_where=text("status IN ('pending', 'retrying', 'sending')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Makes creation idempotent: e.g. "task_broken:run:12:email" or "digest:2026-11-30:ops@example.com".
    dedup_key: Mapped[str] = mapped_column(String(600), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(Text)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]  # when a delivery job took it (status `sending`)
    next_attempt_at: Mapped[datetime | None]  # when a `retrying` one is due again
