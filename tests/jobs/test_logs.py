"""Worker logs of a full run: one JSON object per line, job ids on every job line, no passwords, and
no OAuth2 client secret, refresh token or access token."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from app.models.enums import RunStatus
from testbed.corpus import CorpusMessage
from testbed.corpus_imap import load_corpus
from testbed.dovecot import ImapServer
from tests.conftest import ApiClient
from tests.jobs.oauth_builders import OAuthSide, make_oauth_task
from tests.oauth_fixtures import APP_ID, APP_SECRET, IdpHandle
from tests.support.factories import Mailbox, TaskOnPair
from tests.support.processes import CeleryProcess, WorkerPool, worker
from tests.support.rows import wait_finished

pytestmark = [pytest.mark.celery, pytest.mark.imap]
WRONG_PASSWORD = "Wr0ng-pass-7f3a9c-unique"


@pytest.fixture
def json_worker(
    any_workers: WorkerPool, worker_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CeleryProcess]:
    any_workers.ensure()  # stop the shared workers: this test reads one worker's whole log
    proc = worker("jsonlog", {**worker_env, "LOG_FORMAT": "json"}, tmp_path_factory.mktemp("jsonlog"))
    proc.start()
    yield proc
    proc.stop()


def test_full_run_logs_are_json_with_ids_and_no_passwords(
    task_on_pair: TaskOnPair,
    api: ApiClient,
    json_worker: CeleryProcess,
    clean_db: Engine,
    src_server: ImapServer,
    big_sources: list[str],
    dst_users: list[str],
) -> None:
    mailboxes = [Mailbox(big_sources[0], dst_users[0]), Mailbox(big_sources[1], dst_users[1], WRONG_PASSWORD)]
    built = task_on_pair(mailboxes)
    run = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"])
    assert run.status == RunStatus.FAILED and run.total_errors >= 1 and run.total_copied > 0

    log = json_worker.log()
    assert WRONG_PASSWORD not in log
    assert not re.search(rf"\b{re.escape(src_server.password)}\b", log), "an IMAP password reached the log"
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    job_lines = [r for r in records if r.get("name", "").startswith("workers.jobs.account_job")]
    assert job_lines, "no account job lines logged"
    for record in job_lines:
        assert record["run_id"] == run.id and record["account_id"] in built.account_ids, record
    assert {r["account_id"] for r in job_lines} == set(built.account_ids)


def test_oauth2_secrets_and_tokens_stay_out_of_worker_logs(
    api: ApiClient,
    json_worker: CeleryProcess,
    clean_db: Engine,
    test_idp: IdpHandle,
    oauth_src: ImapServer,
    oauth_dst: ImapServer,
    mailbox: str,
    test_corpus: list[CorpusMessage],
) -> None:
    load_corpus(oauth_src, mailbox, test_corpus[:30])
    consent = test_idp.state.issue_refresh_token(APP_ID, mailbox)
    src = OAuthSide(oauth_src.port_plain, "client_credentials", test_idp.idp.token_url, APP_ID, APP_SECRET)
    dst = OAuthSide(
        oauth_dst.port_plain, "refresh_token", test_idp.idp.token_url, APP_ID, APP_SECRET,
        authorize_url=test_idp.idp.authorize_url,
    )  # fmt: skip
    built = make_oauth_task(clean_db, src, dst, [(mailbox, consent)])
    run = wait_finished(clean_db, api.post(f"/api/tasks/{built.task_id}/run").json["run_id"])
    assert run.status == RunStatus.DONE and run.total_copied == 30

    log = json_worker.log()
    assert "oauth2.token_renewed" in log  # the sign-in really went through the token cache
    with test_idp.state.lock:
        access_tokens = list(test_idp.state.tokens)
    assert access_tokens
    for secret in (APP_SECRET, consent, *access_tokens):
        assert secret not in log
