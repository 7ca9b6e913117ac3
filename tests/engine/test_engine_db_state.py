"""Sync state in PostgreSQL: the same guarantees as in memory, across processes."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from app.models.sync_state import FolderState as FolderStateRow
from app.models.sync_state import MessageMap
from testbed.dovecot import ImapServer
from tests.engine.engine_fixtures import Killed, pair
from tests.engine.test_engine_cli import run, urls
from tests.imap_fixtures import LoadedSource
from workers.engine.copier import compare_mailbox, copy_mailbox
from workers.engine.options import CopyOptions
from workers.engine.state import FolderCheckpoint, MessageRecord
from workers.jobs.sync_state_store import SqlSyncState

pytestmark = pytest.mark.imap


class KilledBeforeCommit(SqlSyncState):
    """The worker dies before the Nth batch checkpoint commits."""

    survive = 3

    def checkpoint(self, state: FolderCheckpoint, records: Sequence[MessageRecord] = ()) -> None:
        if records:
            if self.survive == 0:
                raise Killed
            self.survive -= 1
        super().checkpoint(state, records)


def _count(engine: Engine, model: type[FolderStateRow] | type[MessageMap]) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def test_checkpoint_round_trip_and_reset(clean_db: Engine) -> None:
    state = SqlSyncState(sessionmaker(clean_db), "cli:test")
    folder = FolderCheckpoint("Réunions/Équipe", "INBOX.Réunions.Équipe", 42, 7, uidnext=8, highest_modseq=99)
    state.checkpoint(
        folder, [MessageRecord(6, 60, frozenset({"\\Seen", "$Label1"})), MessageRecord(7, None, frozenset())]
    )
    state.checkpoint(folder.replace(last_uid=9), [MessageRecord(7, 70, frozenset({"\\Flagged"}))])

    fresh = SqlSyncState(sessionmaker(clean_db), "cli:test")
    loaded = fresh.load_folders()["Réunions/Équipe"]
    assert (loaded.last_uid, loaded.uidnext, loaded.highest_modseq, loaded.dst_folder) == (
        9,
        8,
        99,
        "INBOX.Réunions.Équipe",
    )
    assert fresh.messages("Réunions/Équipe", [6, 7, 8]) == {
        6: MessageRecord(6, 60, frozenset({"\\Seen", "$Label1"})),
        7: MessageRecord(7, 70, frozenset({"\\Flagged"})),
    }
    assert list(fresh.messages_above("Réunions/Équipe", 6)) == [7]
    assert SqlSyncState(sessionmaker(clean_db), "cli:other").load_folders() == {}
    fresh.reset_folder("Réunions/Équipe")
    assert fresh.load_folders() == {}
    assert _count(clean_db, MessageMap) == 0


def test_copy_with_database_state_resumes_after_a_kill(
    clean_db: Engine, src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    src, dst = pair(src_server, dst_server, loaded_source.username)
    options = CopyOptions(batch_messages=10)
    with pytest.raises(Killed):
        copy_mailbox(src, dst, options, KilledBeforeCommit(sessionmaker(clean_db), "account:1"))

    state = SqlSyncState(sessionmaker(clean_db), "account:1")
    resumed = copy_mailbox(src, dst, options, state)
    assert resumed.status == "ok"
    assert resumed.skipped == 10
    assert resumed.copied == len(loaded_source.messages) - 40
    comparison = compare_mailbox(src, dst)
    assert (comparison.missing, comparison.duplicated) == (0, 0)
    assert _count(clean_db, MessageMap) == len(loaded_source.messages)

    again = copy_mailbox(src, dst, options, SqlSyncState(sessionmaker(clean_db), "account:1"))
    assert (again.copied, again.skipped) == (0, 0)
    assert {f.status for f in again.folders} == {"unchanged"}


def test_cli_keeps_its_state_in_the_database_when_one_is_configured(
    clean_db: Engine, src_server: ImapServer, dst_server: ImapServer, loaded_source: LoadedSource
) -> None:
    where = urls(src_server, dst_server, loaded_source.username)
    first = run("copy", *where, "--json")  # DATABASE_URL points at the test database (engine fixture)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["state"] == "database"
    with clean_db.connect() as connection:
        keys = set(connection.scalars(select(FolderStateRow.state_key)))
    user, src_port, dst_port = loaded_source.username, src_server.port_plain, dst_server.port_plain
    assert keys == {f"cli:{user}@127.0.0.1:{src_port}>{user}@127.0.0.1:{dst_port}"}
    second = run("copy", *where, "--json")
    assert (second.returncode, json.loads(second.stdout)["copied"]) == (0, 0)
