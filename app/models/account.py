from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Timestamps
from app.models.enums import TestStatus, check_in


class Account(Timestamps, Base):
    """One mailbox to copy: source and destination logins. Passwords are Fernet ciphertext (empty
    when that side signs in with OAuth2)."""

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("task_id", "src_username", name="uq_accounts_task_src_username"),
        CheckConstraint(check_in("test_src_status", TestStatus), name="test_src_status"),
        CheckConstraint(check_in("test_dst_status", TestStatus), name="test_dst_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    src_username: Mapped[str] = mapped_column(String(320))
    src_password_enc: Mapped[bytes] = mapped_column(LargeBinary)
    dst_username: Mapped[str] = mapped_column(String(320))
    dst_password_enc: Mapped[bytes] = mapped_column(LargeBinary)
    test_src_status: Mapped[str] = mapped_column(String(16), default=TestStatus.UNTESTED)
    test_src_error: Mapped[str | None] = mapped_column(String(1000))
    test_dst_status: Mapped[str] = mapped_column(String(16), default=TestStatus.UNTESTED)
    test_dst_error: Mapped[str | None] = mapped_column(String(1000))
    # The destination's storage quota against the source's size, from the last connection test
    # (QuotaCheck fields); None when the destination reports no limit.
    test_dst_quota: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    tested_at: Mapped[datetime | None]
    # OAuth2 consents (the refresh_token grant), Fernet ciphertext; null until Connect ran.
    src_refresh_token_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    dst_refresh_token_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # A paused account (False) is left out of runs and of the schedule gate (docs/console.md).
    enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
