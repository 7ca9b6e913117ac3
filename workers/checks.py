"""Short jobs that talk IMAP for the UI: an account's connection test and a task's dry-run plan."""

from __future__ import annotations

import logging
from typing import Any

from app.crypto import CredentialsKeyError
from app.db import utcnow
from app.events import EventType, publish
from app.extensions import Resources
from app.services import account_runs, scheduling
from workers.engine.copier import plan_account
from workers.engine.errors import CopyError
from workers.engine.imap import test_login
from workers.imap_endpoints import copy_options, imap_endpoint, imap_endpoints
from workers.sync_state_db import SqlSyncState

logger = logging.getLogger(__name__)


def _login_error(res: Resources, login: account_runs.AccountLogin, side: str) -> str | None:
    """None when the login works, else a sentence a mail admin can act on."""
    spec = login.src if side == "src" else login.dst
    username = login.src_username if side == "src" else login.dst_username
    password_enc = login.src_password_enc if side == "src" else login.dst_password_enc
    try:
        test_login(imap_endpoint(spec, username, password_enc, res.box, res.settings))
    except CopyError as exc:
        return exc.message
    except CredentialsKeyError as exc:
        return str(exc)
    return None


def test_account(res: Resources, account_id: int) -> dict[str, Any]:
    """Log in on both sides, store the outcome on the account, publish `account_test`."""
    with res.sessions() as session:
        login = account_runs.load_login(session, account_id)
    if login is None:
        return {"status": "skipped", "reason": "account deleted"}
    results = {side: _login_error(res, login, side) for side in ("src", "dst")}
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


def plan_task(res: Resources, account_id: int) -> dict[str, Any]:
    """The folder plan of one account of a task: `{"folders": [...]}` or `{"error": {code, message}}`."""
    with res.sessions() as session:
        login = account_runs.load_login(session, account_id)
    if login is None:
        return {"error": {"code": "not_found", "message": f"account {account_id} not found"}}
    state = SqlSyncState(res.sessions, f"account:{account_id}", account_id)
    try:
        src, dst = imap_endpoints(login, res.box, res.settings)
        plan = plan_account(src, dst, copy_options(login), state)
    except CopyError as exc:
        return {"error": {"code": exc.code, "message": exc.message}}
    except CredentialsKeyError as exc:
        return {"error": {"code": "credentials_key", "message": str(exc)}}
    folders: list[dict[str, Any]] = [
        {
            "source": item.src,
            "destination": item.dst,
            "messages": item.messages,
            "bytes": item.size,
            "pending": item.pending,
            "excluded": False,
            "special_use": item.reason == "special-use",
            "reason": item.reason,
            "destination_exists": item.dst_exists,
        }
        for item in plan.folders
    ]
    folders += [
        {"source": name, "destination": None, "messages": None, "bytes": None, "pending": None,
         "excluded": True, "special_use": False, "reason": "excluded", "destination_exists": False}
        for name in plan.excluded
    ]  # fmt: skip
    return {"folders": folders}
