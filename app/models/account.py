from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Timestamps
from app.models.enums import TestStatus, check_in


class Account(Timestamps, Base):
    """One mailbox to copy: source and destination logins. Passwords are Fernet ciphertext."""

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
    tested_at: Mapped[datetime | None]
    # A paused account (False) is left out of runs and of the schedule gate (docs/console.md).
    enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
