"""`imapcopier copy|compare` with OAuth2: grant options, secrets and ready tokens from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from testbed.corpus import CorpusMessage
from testbed.corpus_imap import load_corpus
from testbed.dovecot import ImapServer
from tests.engine.test_engine_cli import as_json, run
from tests.oauth_fixtures import APP_ID, APP_SECRET, SERVICE_ACCOUNT, IdpHandle

pytestmark = pytest.mark.imap


def _where(src: ImapServer, dst: ImapServer, mailbox: str) -> list[str]:
    return [
        "--src", f"imap+plain://{mailbox}@{src.host}:{src.port_plain}",
        "--dst", f"imap+plain://{mailbox}@{dst.host}:{dst.port_plain}",
    ]  # fmt: skip


def test_cli_copies_with_a_grant_and_a_ready_token(
    test_idp: IdpHandle,
    oauth_src: ImapServer,
    oauth_dst: ImapServer,
    mailbox: str,
    test_corpus: list[CorpusMessage],
    tmp_path: Path,
) -> None:
    load_corpus(oauth_src, mailbox, test_corpus[:40])
    ready = requests.post(
        test_idp.idp.token_url,
        data={"grant_type": "client_credentials"},
        auth=(APP_ID, APP_SECRET),
        timeout=10,
    ).json()["access_token"]
    grant = [
        "--src-oauth2-grant", "client_credentials", "--src-oauth2-token-url", test_idp.idp.token_url,
        "--src-oauth2-client-id", APP_ID, "--src-oauth2-scope", "imap", "--dst-sasl-mechanism", "oauthbearer",
    ]  # fmt: skip
    env = {"IMAPCOPIER_SRC_OAUTH2_CLIENT_SECRET": APP_SECRET, "IMAPCOPIER_DST_ACCESS_TOKEN": ready}
    state = ["--state-file", str(tmp_path / "state.json")]
    done = run("copy", *_where(oauth_src, oauth_dst, mailbox), *grant, *state, "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert as_json(done)["copied"] == 40

    key_file = tmp_path / "sa.pem"
    key_file.write_text(test_idp.private_key_pem)
    service = [
        "--src-oauth2-grant", "jwt_bearer", "--src-oauth2-token-url", test_idp.idp.token_url,
        "--src-oauth2-client-id", SERVICE_ACCOUNT,
    ]  # fmt: skip
    env = {"IMAPCOPIER_SRC_OAUTH2_PRIVATE_KEY_FILE": str(key_file), "IMAPCOPIER_DST_ACCESS_TOKEN": ready}
    compared = run("compare", *_where(oauth_src, oauth_dst, mailbox), *service, "--json", env=env)
    assert compared.returncode == 0, compared.stderr
    assert {"client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"} <= {
        e["grant_type"] for e in test_idp.state.issued()
    }


def test_cli_names_the_token_error_not_the_secret(
    test_idp: IdpHandle, oauth_src: ImapServer, oauth_dst: ImapServer, mailbox: str, tmp_path: Path
) -> None:
    wrong = "Wr0ng-cli-secret-9d2c"
    grant = [
        "--src-oauth2-grant", "client_credentials", "--src-oauth2-token-url", test_idp.idp.token_url,
        "--src-oauth2-client-id", APP_ID,
    ]  # fmt: skip
    env = {"IMAPCOPIER_SRC_OAUTH2_CLIENT_SECRET": wrong, "IMAPCOPIER_DST_ACCESS_TOKEN": "at-whatever"}
    done = run(
        "copy",
        *_where(oauth_src, oauth_dst, mailbox),
        *grant,
        "--state-file",
        str(tmp_path / "s.json"),
        env=env,
    )
    assert done.returncode == 3, done.stderr
    assert "invalid_client" in done.stdout + done.stderr
    assert wrong not in done.stdout + done.stderr
    missing = run(
        "copy", *_where(oauth_src, oauth_dst, mailbox), *grant, env={"IMAPCOPIER_SRC_PASSWORD": "x"}
    )
    assert missing.returncode == 2 and "IMAPCOPIER_SRC_OAUTH2_CLIENT_SECRET" in missing.stderr
