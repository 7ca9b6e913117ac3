"""A Gmail-shaped source through a real worker: an endpoint with provider `gmail` switches the Gmail
folder rules on (docs/providers.md); labels once each, archived mail in Archive, nothing twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models import Endpoint
from app.models.enums import RunStatus
from testbed.corpus import load_corpus, new_messages, snapshot
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.gmail_shape import ALL_MAIL, gmail_source
from tests.support.factories import Mailbox, TaskOnPair
from tests.support.processes import WorkerPool
from tests.support.rows import account_runs, wait_finished

pytestmark = [pytest.mark.celery, pytest.mark.imap]


def test_a_gmail_source_endpoint_copies_labels_and_archived_mail_once(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    src_server: ImapServer,
    dst_server: ImapServer,
    imap_user: str,
) -> None:
    labelled = list(new_messages(6, folders=("INBOX", "Work", "Travel"), batch=92))
    archived = [replace(m, folder=ALL_MAIL) for m in new_messages(3, batch=93)]
    load_corpus(src_server, imap_user, gmail_source(labelled, archived))
    built = task_on_pair([Mailbox(imap_user, imap_user)])
    with Session(clean_db) as session, session.begin():  # a Gmail source that signs in with a password
        session.execute(update(Endpoint).where(Endpoint.id == built.src_endpoint_id).values(provider="gmail"))

    for copied in (10, 0):  # the second run copies nothing
        run = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"])
        [account] = account_runs(clean_db, run.id)
        assert run.status == RunStatus.DONE and (account.copied, account.errors) == (copied, 0)
    view = snapshot(dst_server, imap_user)
    everything = sum((Counter(s.raw for s in msgs) for msgs in view.values()), Counter[bytes]())
    assert everything == Counter(m.raw for m in [*labelled, labelled[1], *archived])
    assert Counter(s.raw for s in view["Archive"]) == Counter(m.raw for m in archived)
