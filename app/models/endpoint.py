from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Timestamps
from app.models.enums import TlsMode, check_in


class Endpoint(Timestamps, Base):
    """An IMAP server (source or destination of tasks)."""

    __tablename__ = "endpoints"
    __table_args__ = (
        CheckConstraint(check_in("tls_mode", TlsMode), name="tls_mode"),
        CheckConstraint("port BETWEEN 1 AND 65535", name="port_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int]
    tls_mode: Mapped[str] = mapped_column(String(16), default=TlsMode.SSL)
    verify_tls: Mapped[bool] = mapped_column(default=True)
    # IMAP connections at once across all workers, and per account (null: the installation defaults).
    max_connections: Mapped[int | None] = mapped_column(default=None)
    max_connections_per_account: Mapped[int | None] = mapped_column(default=None)
