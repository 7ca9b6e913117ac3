"""A run into the test bed's Cyrus server, with real workers: renamed folders and altered messages reach
the plan and the run log as notes and warnings, never as errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from app.models import enums
from testbed.corpus import load_corpus, new_messages
from testbed.cyrus import CyrusImapServer
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.engine.test_engine_cyrus import EIGHT_BIT
from tests.imap_fixtures import new_username
from tests.support.factories import Mailbox, dovecot_task
from tests.support.processes import WorkerPool
from tests.support.rows import wait_finished, wait_for

pytestmark = [pytest.mark.celery, pytest.mark.imap]


@pytest.fixture()
def user(src_server: ImapServer, cyrus_server: CyrusImapServer) -> Iterator[str]:
    username = new_username()
    cyrus_server.add_user(username)
    yield username
    cyrus_server.reset_user(username)
    src_server.reset_user(username)


def test_a_run_into_cyrus_shows_renamed_folders_and_altered_messages(
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    cyrus_server: CyrusImapServer,
    user: str,
) -> None:
    message = next(iter(new_messages(1)))
    folders = ("INBOX/Unterordner", "Unterordner")
    load_corpus(src_server, user, [replace(message, folder=f, raw=EIGHT_BIT) for f in folders])
    built = dovecot_task(clean_db, src_server, cyrus_server, [Mailbox(user, user)])

    plan = api.get(f"/api/tasks/{built.task_id}/plan")
    assert plan.status_code == 200, plan.json
    planned = {f["source"]: f for f in plan.json["folders"]}
    assert planned["INBOX/Unterordner"]["destination"] == "INBOX.Unterordner (2)"
    assert "already the destination of 'Unterordner'" in planned["INBOX/Unterordner"]["note"]

    run = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"], timeout=60)
    assert run.status == enums.RunStatus.DONE and (run.total_copied, run.total_errors) == (2, 0)
    account = api.get(f"/api/runs/{run.id}").json["accounts"][0]
    assert account["errors_list"] == []
    assert {(w["kind"], w["folder"], w["count"]) for w in account["warnings"]} == {
        ("altered", "INBOX/Unterordner", 1),
        ("altered", "Unterordner", 1),
    }
    notes = {f["folder"]: f["note"] for f in account["folders"]}
    assert notes["Unterordner"] is None and "already the destination" in notes["INBOX/Unterordner"]


def test_a_run_that_cannot_fit_the_destination_quota_says_so_before_copying(
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    cyrus_server: CyrusImapServer,
    user: str,
) -> None:
    load_corpus(src_server, user, list(new_messages(4, batch=3)))
    cyrus_server.connect(user).logout()  # the first login creates the mailbox
    cyrus_server.set_quota(user, 10)  # KiB
    built = dovecot_task(clean_db, src_server, cyrus_server, [Mailbox(user, user)])

    plan = api.get(f"/api/tasks/{built.task_id}/plan").json
    assert plan["quota"]["limit_bytes"] == 10 * 1024 and "quota" in plan["quota"]["warning"]

    run = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"], timeout=60)
    assert run.total_errors > 0  # refused at the limit, counted as today
    account = api.get(f"/api/runs/{run.id}").json["accounts"][0]
    quota = [w for w in account["warnings"] if w["kind"] == "quota"]
    assert len(quota) == 1 and quota[0]["message"] == plan["quota"]["warning"]
    assert {e["code"] for e in account["errors_list"]} == {"message_refused"}


def test_the_connection_test_reports_the_destination_quota_against_the_source_size(
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    cyrus_server: CyrusImapServer,
    user: str,
) -> None:
    messages = list(new_messages(4, batch=4))
    load_corpus(src_server, user, messages)
    cyrus_server.connect(user).logout()
    cyrus_server.set_quota(user, 10)  # KiB
    built = dovecot_task(clean_db, src_server, cyrus_server, [Mailbox(user, user)], tested=False)
    account_id = built.account_ids[0]

    assert api.post(f"/api/accounts/{account_id}/test").status_code == 202

    def tested() -> dict[str, Any] | None:
        rows = api.get(f"/api/tasks/{built.task_id}/accounts").json
        return rows[0] if rows[0]["tested_at"] else None

    account = wait_for(tested, 30, "the connection test")
    assert (account["test_src_status"], account["test_dst_status"]) == ("ok", "ok")
    quota = account["test_dst_quota"]
    assert quota["limit_bytes"] == 10 * 1024 and quota["needed_bytes"] == sum(len(m.raw) for m in messages)
    assert "cannot" not in quota["warning"] and "quota" in quota["warning"]
