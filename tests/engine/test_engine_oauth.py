"""OAuth2 sign-in end to end: the engine copies between two Dovecot servers whose logins the test
identity provider checks, with tokens from real grants, and renews them across dropped connections."""

from __future__ import annotations

import pytest

from testbed.corpus import CorpusMessage
from testbed.corpus_imap import load_corpus
from testbed.dovecot import ImapServer
from testbed.faultproxy import FaultProxy
from tests.oauth_fixtures import APP_ID, APP_SECRET, SERVICE_ACCOUNT, IdpHandle
from workers.engine import AuthFailed, ImapEndpoint, compare_mailbox, copy_mailbox
from workers.engine.grants import GrantSpec, MemoryTokenProvider, fetch_token
from workers.engine.imap import test_login as check_login
from workers.engine.options import CopyOptions
from workers.engine.sasl import TokenFailed


def _app(idp: IdpHandle, secret: str = APP_SECRET) -> GrantSpec:
    return GrantSpec("client_credentials", idp.idp.token_url, APP_ID, "imap", client_secret=secret, timeout=5)


def _endpoint(
    server: ImapServer, mailbox: str, provider: MemoryTokenProvider, port: int | None = None, **kw: object
) -> ImapEndpoint:
    return ImapEndpoint(
        server.host,
        port or server.port_plain,
        "plain",
        mailbox,
        "",
        timeout=10,
        token_provider=provider,
        **kw,
    )  # type: ignore[arg-type]


def test_copy_with_client_credentials_and_jwt_bearer(
    test_idp: IdpHandle,
    oauth_src: ImapServer,
    oauth_dst: ImapServer,
    mailbox: str,
    test_corpus: list[CorpusMessage],
) -> None:
    load_corpus(oauth_src, mailbox, test_corpus[:60])
    service = GrantSpec(
        "jwt_bearer", test_idp.idp.token_url, SERVICE_ACCOUNT, "mail", private_key=test_idp.private_key_pem
    )
    src = _endpoint(oauth_src, mailbox, MemoryTokenProvider(_app(test_idp), mailbox))
    dst = _endpoint(oauth_dst, mailbox, MemoryTokenProvider(service, mailbox), sasl_mechanism="oauthbearer")
    result = copy_mailbox(src, dst)
    assert result.errors == 0 and result.copied == 60
    assert compare_mailbox(src, dst).complete
    grants = {entry["grant_type"] for entry in test_idp.state.issued()}
    assert grants == {"client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"}


def test_refused_token_is_renewed_once_then_fails(
    test_idp: IdpHandle, oauth_src: ImapServer, mailbox: str
) -> None:
    calls: list[bool] = []

    def provider(force: bool) -> str:
        calls.append(force)
        return "at-stale" if not force else fetch_token(_app(test_idp), mailbox).token

    check_login(_endpoint(oauth_src, mailbox, provider))  # type: ignore[arg-type]
    assert calls == [False, True]
    with pytest.raises(AuthFailed, match="refused the OAuth2 token"):
        check_login(_endpoint(oauth_src, mailbox, lambda force: "at-forged"))  # type: ignore[arg-type]


def test_wrong_client_secret_names_the_error_not_the_secret(
    test_idp: IdpHandle, oauth_src: ImapServer, mailbox: str
) -> None:
    wrong = "wrong-secret-4b1d"
    with pytest.raises(TokenFailed) as caught:
        check_login(_endpoint(oauth_src, mailbox, MemoryTokenProvider(_app(test_idp, wrong), mailbox)))
    assert caught.value.error == "invalid_client"
    assert "invalid_client" in caught.value.message and wrong not in caught.value.message


def test_tokens_renewed_across_dropped_connections(
    test_idp: IdpHandle,
    oauth_src: ImapServer,
    oauth_dst: ImapServer,
    mailbox: str,
    test_corpus: list[CorpusMessage],
) -> None:
    test_idp.state.access_lifetime = 2
    load_corpus(oauth_src, mailbox, test_corpus)
    provider = MemoryTokenProvider(_app(test_idp), mailbox)
    # A 40 ms round trip to the source keeps the copy going for several cuts however fast the machine.
    with FaultProxy(oauth_src.port_plain, delay=0.02) as proxy, proxy.cutting_every(1.0):
        src = _endpoint(oauth_src, mailbox, provider, port=proxy.port)
        dst = _endpoint(oauth_dst, mailbox, provider)
        result = copy_mailbox(src, dst, CopyOptions(retries=20))
    assert result.errors == 0, result.errors
    assert proxy.cuts >= 1
    assert provider.fetched >= 2  # renewed mid-run
    assert compare_mailbox(_endpoint(oauth_src, mailbox, provider), dst).complete
