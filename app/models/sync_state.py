from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class FolderState(Base):
    """Sync state of one source folder: what a delta pass starts from.

    `state_key` is "account:<id>" for accounts, or a source/destination pair key for CLI copies that
    keep their state in the database.
    """

    __tablename__ = "folder_state"
    __table_args__ = (UniqueConstraint("state_key", "folder", name="uq_folder_state_key_folder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    state_key: Mapped[str] = mapped_column(String(700))
    folder: Mapped[str] = mapped_column(String(1000))
    dst_folder: Mapped[str] = mapped_column(String(1000))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    uidnext: Mapped[int | None] = mapped_column(BigInteger)
    highest_modseq: Mapped[int | None] = mapped_column(BigInteger)
    dst_uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    # Destination UIDNEXT at the last checkpoint: only messages above it can be an unrecorded append
    # from a crashed batch, so only those are checked by identity before appending again.
    dst_uidnext: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MessageMap(Base):
    """Source UID -> destination UID and the flags last synced, for flag sync on later passes."""

    __tablename__ = "message_map"

    folder_state_id: Mapped[int] = mapped_column(
        ForeignKey("folder_state.id", ondelete="CASCADE"), primary_key=True
    )
    src_uid: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    dst_uid: Mapped[int | None] = mapped_column(BigInteger)
    flags: Mapped[str] = mapped_column(Text, default="")
