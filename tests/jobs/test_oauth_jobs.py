"""OAuth2 through real workers: the connection test names the token endpoint's error, and a copy with
10-second tokens over connections cut every few seconds signs in again and finishes clean."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.models import Account
from app.models.enums import RunStatus
from testbed.corpus import generate, new_messages
from testbed.corpus_imap import load_corpus
from testbed.dovecot import DovecotPair, ImapServer
from testbed.faultproxy import FaultProxy
from tests.conftest import ApiClient
from tests.jobs.oauth_builders import OAuthSide, make_oauth_task
from tests.oauth_fixtures import APP_ID, APP_SECRET, DOMAIN, IdpHandle
from tests.support.processes import WorkerPool
from tests.support.rows import as_dict, wait_finished, wait_for
from workers.engine import ImapEndpoint, compare_mailbox
from workers.engine.grants import GrantSpec, MemoryTokenProvider

pytestmark = [pytest.mark.celery, pytest.mark.imap]
WRONG_SECRET = "Wr0ng-client-secret-5e1b-unique"
RENEWAL_MESSAGES = 2000


def _app(idp: IdpHandle, port: int, secret: str = APP_SECRET) -> OAuthSide:
    return OAuthSide(port, "client_credentials", idp.idp.token_url, APP_ID, client_secret=secret)


def _consent(idp: IdpHandle, port: int) -> OAuthSide:
    return OAuthSide(
        port,
        "refresh_token",
        idp.idp.token_url,
        APP_ID,
        client_secret=APP_SECRET,
        authorize_url=idp.idp.authorize_url,
        sasl_mechanism="oauthbearer",
    )


@pytest.fixture
def mailboxes(oauth_pair: DovecotPair) -> Iterator[list[str]]:
    users = [f"job-{uuid.uuid4().hex[:8]}@{DOMAIN}" for _ in range(2)]
    yield users
    for server in oauth_pair.servers():
        for user in users:
            server.reset_user(user)


def test_connection_test_names_the_token_endpoint_error_never_the_secret(
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    test_idp: IdpHandle,
    oauth_src: ImapServer,
    oauth_dst: ImapServer,
    mailboxes: list[str],
) -> None:
    revoked = test_idp.state.issue_refresh_token(APP_ID, mailboxes[1])
    test_idp.state.revoke(revoked)
    good = test_idp.state.issue_refresh_token(APP_ID, mailboxes[0])
    ok = make_oauth_task(
        clean_db, _app(test_idp, oauth_src.port_plain), _consent(test_idp, oauth_dst.port_plain),
        [(mailboxes[0], good), (mailboxes[1], revoked)], tested=False,
    )  # fmt: skip
    wrong = _app(test_idp, oauth_src.port_plain, WRONG_SECRET)
    bad = make_oauth_task(
        clean_db, wrong, _consent(test_idp, oauth_dst.port_plain), [(mailboxes[0], None)], False
    )
    ids = [*ok.account_ids, *bad.account_ids]
    for task_id in (ok.task_id, bad.task_id):
        assert api.post(f"/api/tasks/{task_id}/test").status_code == 202

    def tested() -> list[Account] | None:
        with Session(clean_db) as session:
            rows = [session.get_one(Account, account_id) for account_id in ids]
        return rows if all(row.tested_at for row in rows) else None

    fine, consent_revoked, wrong_secret = wait_for(tested, 60, "the connection tests")
    assert (fine.test_src_status, fine.test_dst_status) == ("ok", "ok"), (
        fine.test_src_error,
        fine.test_dst_error,
    )
    assert consent_revoked.test_dst_error == "consent revoked, press Connect again (invalid_grant)"
    assert "(invalid_client)" in (wrong_secret.test_src_error or "")
    assert wrong_secret.test_dst_error and "Connect" in wrong_secret.test_dst_error  # no consent yet
    served = api.get(f"/api/tasks/{bad.task_id}/accounts").data + api.get(f"/api/tasks/{ok.task_id}").data
    assert WRONG_SECRET.encode() not in served and APP_SECRET.encode() not in served
    log = "".join(proc.log() for proc in one_worker.workers.values())
    assert "oauth2.token_renewed" in log
    for secret in (WRONG_SECRET, APP_SECRET, good, revoked, test_idp.private_key_pem.splitlines()[1]):
        assert secret not in log


def test_mid_run_renewal_with_short_tokens_and_cut_connections(
    api: ApiClient,
    one_worker: WorkerPool,
    clean_db: Engine,
    test_idp: IdpHandle,
    oauth_src: ImapServer,
    oauth_dst: ImapServer,
    mailboxes: list[str],
) -> None:
    mailbox = mailboxes[0]
    corpus = [
        *generate("test"),
        *new_messages(RENEWAL_MESSAGES, folders=("INBOX", "Archive/2023", "Projects")),
    ]
    load_corpus(oauth_src, mailbox, corpus)
    test_idp.state.access_lifetime = 10
    consent = test_idp.state.issue_refresh_token(APP_ID, mailbox)
    with (
        FaultProxy(oauth_src.port_plain) as src_proxy,
        # A slow link to the destination (about 8 s for the whole corpus, however fast the machine),
        # so that the copy outlives the renewal point of a 10 s token and sees its source cut twice.
        FaultProxy(oauth_dst.port_plain, delay=0.012, rate=sum(len(m.raw) for m in corpus) / 8) as dst_proxy,
        src_proxy.cutting_every(3.5),
    ):
        built = make_oauth_task(
            clean_db, _app(test_idp, src_proxy.port), _consent(test_idp, dst_proxy.port), [(mailbox, consent)]
        )
        run_id = api.post(f"/api/tasks/{built.task_id}/run").json["run_id"]
        try:
            run = wait_finished(clean_db, run_id, timeout=150)
        except AssertionError:
            log = "".join(proc.log() for proc in one_worker.workers.values())
            raise AssertionError("\n".join(log.splitlines()[-80:])) from None
    assert run.status == RunStatus.DONE, api.get(f"/api/runs/{run.id}").json
    # A message appended just before a cut is found on the destination after the reconnect: skipped.
    assert run.total_errors == 0 and run.total_copied + run.total_skipped == len(corpus), as_dict(run)
    assert src_proxy.cuts + dst_proxy.cuts >= 1  # a session really ended mid-run
    provider = MemoryTokenProvider(
        GrantSpec("client_credentials", test_idp.idp.token_url, APP_ID, None, APP_SECRET), mailbox
    )
    comparison = compare_mailbox(
        ImapEndpoint("127.0.0.1", oauth_src.port_plain, "plain", mailbox, "", token_provider=provider),
        ImapEndpoint("127.0.0.1", oauth_dst.port_plain, "plain", mailbox, "", token_provider=provider),
    )
    assert (comparison.missing, comparison.duplicated) == (0, 0)
    issued = test_idp.state.issued()
    renewals = [entry for entry in issued if entry["grant_type"] == "refresh_token"]
    print(f"\nrenewal run: {len(corpus)} messages, {src_proxy.cuts + dst_proxy.cuts} cuts, "
          f"{len(issued)} tokens issued ({len(renewals)} by refresh_token)")  # fmt: skip
    # One token per side to start with, then renewals (a 10 s token is renewed after 5 s).
    assert renewals and len(issued) >= 3
