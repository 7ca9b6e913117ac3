"""Sync state in PostgreSQL (folder_state + message_map), the engine's `SyncState` over SQLAlchemy.

One short transaction per call, never one held across IMAP I/O: a checkpoint upserts the folder
row and bulk-upserts its message rows together, so a killed worker leaves either the whole batch
recorded or none of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, make_sessionmaker, utcnow
from app.models.sync_state import FolderState, MessageMap
from workers.engine.errors import CopyError
from workers.engine.flags import flags_from_text, flags_to_text
from workers.engine.state import FolderCheckpoint, MessageRecord

_IN_CHUNK = 5000
_UPSERT_CHUNK = 1000


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SqlSyncState:
    """State of one account (`state_key` "account:<id>") or one CLI source/destination pair."""

    def __init__(
        self, sessions: sessionmaker[Session], state_key: str, account_id: int | None = None
    ) -> None:
        self.sessions = sessions
        self.state_key = state_key
        self.account_id = account_id
        self._ids: dict[str, int] = {}

    def load_folders(self) -> dict[str, FolderCheckpoint]:
        with self.sessions() as session:
            rows = session.scalars(select(FolderState).where(FolderState.state_key == self.state_key))
            states = {}
            for row in rows:
                self._ids[row.folder] = row.id
                states[row.folder] = _to_state(row)
        return states

    def _folder_id(self, session: Session, folder: str) -> int | None:
        if folder not in self._ids:
            found = session.scalar(
                select(FolderState.id).where(
                    FolderState.state_key == self.state_key, FolderState.folder == folder
                )
            )
            if found is None:
                return None
            self._ids[folder] = found
        return self._ids[folder]

    def messages(self, folder: str, src_uids: Iterable[int]) -> dict[int, MessageRecord]:
        uids = sorted(set(src_uids))
        with self.sessions() as session:
            folder_id = self._folder_id(session, folder)
            if folder_id is None or not uids:
                return {}
            found: dict[int, MessageRecord] = {}
            for chunk in _chunks(uids, _IN_CHUNK):
                query = select(MessageMap).where(
                    MessageMap.folder_state_id == folder_id, MessageMap.src_uid.in_(chunk)
                )
                found.update((row.src_uid, _to_record(row)) for row in session.scalars(query))
            return found

    def messages_above(self, folder: str, src_uid: int) -> dict[int, MessageRecord]:
        with self.sessions() as session:
            folder_id = self._folder_id(session, folder)
            if folder_id is None:
                return {}
            query = select(MessageMap).where(
                MessageMap.folder_state_id == folder_id, MessageMap.src_uid > src_uid
            )
            return {row.src_uid: _to_record(row) for row in session.scalars(query)}

    def checkpoint(self, state: FolderCheckpoint, records: Sequence[MessageRecord] = ()) -> None:
        with self.sessions.begin() as session:
            folder_id = session.execute(self._upsert_folder(state)).scalar_one()
            self._ids[state.folder] = folder_id
            rows = [
                {
                    "folder_state_id": folder_id,
                    "src_uid": r.src_uid,
                    "dst_uid": r.dst_uid,
                    "flags": flags_to_text(r.flags),
                }
                for r in records
            ]
            for chunk in _chunks(rows, _UPSERT_CHUNK):
                upsert = insert(MessageMap).values(list(chunk))
                session.execute(
                    upsert.on_conflict_do_update(
                        index_elements=[MessageMap.folder_state_id, MessageMap.src_uid],
                        set_={"dst_uid": upsert.excluded.dst_uid, "flags": upsert.excluded.flags},
                    )
                )

    def _upsert_folder(self, state: FolderCheckpoint) -> Any:
        values: dict[str, Any] = {
            "account_id": self.account_id,
            "state_key": self.state_key,
            "folder": state.folder,
            "dst_folder": state.dst_folder,
            "uidvalidity": state.uidvalidity,
            "last_uid": state.last_uid,
            "uidnext": state.uidnext,
            "highest_modseq": state.highest_modseq,
            "dst_uidvalidity": state.dst_uidvalidity,
            "dst_uidnext": state.dst_uidnext,
            "updated_at": utcnow(),
        }
        upsert = insert(FolderState).values(**values)
        changed = {key: value for key, value in values.items() if key not in ("state_key", "folder")}
        return upsert.on_conflict_do_update(constraint="uq_folder_state_key_folder", set_=changed).returning(
            FolderState.id
        )

    def reset_folder(self, folder: str) -> None:
        with self.sessions.begin() as session:
            # message_map rows go with it (ON DELETE CASCADE).
            session.execute(
                delete(FolderState).where(
                    FolderState.state_key == self.state_key, FolderState.folder == folder
                )
            )
        self._ids.pop(folder, None)


def _to_state(row: FolderState) -> FolderCheckpoint:
    return FolderCheckpoint(
        folder=row.folder,
        dst_folder=row.dst_folder,
        uidvalidity=row.uidvalidity,
        last_uid=row.last_uid,
        uidnext=row.uidnext,
        highest_modseq=row.highest_modseq,
        dst_uidvalidity=row.dst_uidvalidity,
        dst_uidnext=row.dst_uidnext,
    )


def _to_record(row: MessageMap) -> MessageRecord:
    return MessageRecord(row.src_uid, row.dst_uid, flags_from_text(row.flags))


class StateUnavailable(CopyError):
    code = "state_unavailable"


def open_db_state(url: str, state_key: str) -> SqlSyncState:
    """A state store on its own small engine (for the CLI); fails early when the DB is unreachable.

    Raises:
        StateUnavailable.
    """
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            connection.execute(select(FolderState.id).limit(1))
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StateUnavailable(
            f"cannot keep sync state in the database ({exc.__class__.__name__}): is it running and migrated"
            " (python -m app.manage migrate)? Or pass --state-file"
        ) from exc
    return SqlSyncState(make_sessionmaker(engine), state_key)
