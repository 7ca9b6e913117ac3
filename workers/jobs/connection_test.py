"""The connection-test job: log in on both sides of an account and record the outcome."""

from __future__ import annotations

import logging
from typing import Any

from app.crypto import CredentialsKeyError
from app.db import utcnow
from app.resources import Resources
from app.schemas.events import AccountTestData
from app.services import connection_tests
from app.services.runs import account_runs
from workers.engine.copier import quota_preflight
from workers.engine.errors import CopyError
from workers.engine.imap import test_login
from workers.events import JobEvents
from workers.jobs.logins import Side, copy_options, imap_endpoint, imap_endpoints

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


def _quota(res: Resources, login: account_runs.AccountLogin) -> dict[str, Any] | None:
    """The destination's quota against the source's size, where the destination has a limit."""
    try:
        src, dst = imap_endpoints(login, res)
        check = quota_preflight(src, dst, copy_options(login))
    except (CopyError, CredentialsKeyError) as exc:
        logger.info("account_test.quota_unread account_id=%s reason=%s", login.account_id, exc)
        return None
    return check.model_dump() if check else None


def test_logins(res: Resources, account_id: int) -> dict[str, Any]:
    """Log in on both sides, store the outcome on the account, publish `account_test`."""
    with res.sessions() as session:
        login = account_runs.load_login(session, account_id)
    if login is None:
        return {"status": "skipped", "reason": "account deleted"}
    sides: tuple[Side, Side] = ("src", "dst")
    results: dict[str, str | None] = {side: _login_error(res, login, side) for side in sides}
    quota = _quota(res, login) if all(error is None for error in results.values()) else None
    with res.sessions.begin() as session:
        outcome = connection_tests.record_test(session, account_id, results, utcnow(), quota)
    if outcome is None:
        return {"status": "skipped", "reason": "account deleted"}
    data = AccountTestData.model_validate(outcome)
    JobEvents(res.redis, login.task_id, account_id=account_id).account_test(data)
    logger.info(
        "account_test.done account_id=%s src=%s dst=%s",
        account_id,
        data.test_src_status.value,
        data.test_dst_status.value,
    )
    return data.model_dump(mode="json")
