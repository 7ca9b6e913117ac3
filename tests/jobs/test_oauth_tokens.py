"""The jobs' token provider: one token per (endpoint, mailbox) shared through Redis, and rotated
refresh tokens kept on the account for the next run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import Account
from app.resources import Resources
from app.services.runs.account_runs import load_login
from tests.jobs.oauth_builders import OAuthSide, make_oauth_task
from tests.oauth_fixtures import APP_ID, APP_SECRET, DOMAIN, IdpHandle
from tests.support.factories import BOX
from workers.engine.sasl import TokenFailed
from workers.jobs.logins import imap_endpoint


@pytest.fixture
def res(settings: Settings, clean_db: Engine) -> Iterator[Resources]:
    resources = Resources.from_settings(settings)
    resources.redis.flushdb()
    yield resources
    resources.engine.dispose()


def _task(engine: Engine, idp: IdpHandle, refresh_token: str) -> int:
    app = OAuthSide(1, "client_credentials", idp.idp.token_url, APP_ID, APP_SECRET)
    consent = OAuthSide(
        2, "refresh_token", idp.idp.token_url, APP_ID, APP_SECRET, authorize_url=idp.idp.authorize_url
    )
    return make_oauth_task(engine, app, consent, [(f"jane@{DOMAIN}", refresh_token)]).account_ids[0]


def _provider(res: Resources, account_id: int, side: str):  # type: ignore[no-untyped-def]
    with res.sessions() as session:
        login = load_login(session, account_id)
    assert login is not None
    provider = imap_endpoint(res, login, side).token_provider  # type: ignore[arg-type]
    assert provider is not None
    return provider


def test_workers_share_one_token_per_mailbox(res: Resources, clean_db: Engine, test_idp: IdpHandle) -> None:
    account_id = _task(clean_db, test_idp, test_idp.state.issue_refresh_token(APP_ID, f"jane@{DOMAIN}"))
    first = _provider(res, account_id, "src")(False)
    assert _provider(res, account_id, "src")(False) == first  # another "worker": read from Redis
    assert len(test_idp.state.issued("client_credentials")) == 1
    assert _provider(res, account_id, "src")(True) != first  # a refused token is renewed on demand
    assert first.encode() not in b"".join(
        res.redis.get(k) or b"" for k in res.redis.keys("imapcopier:oauth2:*")
    )


def test_rotated_refresh_tokens_are_kept_for_the_next_run(
    res: Resources, clean_db: Engine, test_idp: IdpHandle
) -> None:
    test_idp.state.rotate_refresh_tokens = True
    original = test_idp.state.issue_refresh_token(APP_ID, f"jane@{DOMAIN}")
    account_id = _task(clean_db, test_idp, original)
    run_one = _provider(res, account_id, "dst")
    run_one(True)
    run_one(True)  # the rotated token, kept in memory
    with Session(clean_db) as session:
        stored = session.get_one(Account, account_id).dst_refresh_token_enc
    assert stored and BOX.decrypt(stored) != original
    _provider(res, account_id, "dst")(True)  # the next run starts from the stored one
    assert len(test_idp.state.issued("refresh_token")) == 3
    _task_revoked = _task(clean_db, test_idp, original)
    with pytest.raises(TokenFailed, match="consent revoked"):
        _provider(res, _task_revoked, "dst")(True)
