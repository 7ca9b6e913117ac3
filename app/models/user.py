from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Timestamps
from app.models.enums import Role, check_in


class User(Timestamps, Base):
    """A person who uses the console, with one role (admin, operator or viewer)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(check_in("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Users made before roles existed were all administrators.
    role: Mapped[str] = mapped_column(String(16), server_default=text("'admin'"))
    # Stored in each browser session; bumping it ends every session of the user.
    session_generation: Mapped[int] = mapped_column(server_default=text("0"))


class ApiToken(Base):
    """A bearer token for scripts (`imapcopier create-token`); only its SHA-256 is stored. It acts
    with its user's role."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
