"""The connection-test job: log in on both sides of an account and record the outcome."""

from __future__ import annotations

import logging
from typing import Any

from app.crypto import CredentialsKeyError
from app.db import utcnow
from app.events import EventType, publish
from app.resources import Resources
from app.services import account_runs, scheduling
from workers.engine.errors import CopyError
from workers.engine.imap import test_login
from workers.jobs.logins import Side, imap_endpoint

logger = logging.getLogger(__name__)


def _login_error(res: Resources, login: account_runs.AccountLogin, side: Side) -> str | None:
    """None when the login works, else a sentence a mail admin can act on (for OAuth2, the token
    endpoint's own error code, never a secret)."""
    try:
        test_login(imap_endpoint(res, login, side))
    except CopyError as exc:
        return exc.message
    except CredentialsKeyError as exc:
        return str(exc)
    return None


def test_logins(res: Resources, account_id: int) -> dict[str, Any]:
    """Log in on both sides, store the outcome on the account, publish `account_test`."""
    with res.sessions() as session:
        login = account_runs.load_login(session, account_id)
    if login is None:
        return {"status": "skipped", "reason": "account deleted"}
    sides: tuple[Side, Side] = ("src", "dst")
    results: dict[str, str | None] = {side: _login_error(res, login, side) for side in sides}
    with res.sessions.begin() as session:
        outcome = scheduling.record_test(session, account_id, results, utcnow())
    if outcome is None:
        return {"status": "skipped", "reason": "account deleted"}
    publish(res.redis, EventType.ACCOUNT_TEST, login.task_id, account_id=account_id, data=outcome)
    logger.info(
        "account_test.done account_id=%s src=%s dst=%s",
        account_id,
        outcome["test_src_status"],
        outcome["test_dst_status"],
    )
    return outcome
