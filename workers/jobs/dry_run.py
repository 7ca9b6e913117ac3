"""The dry-run plan job: which source folder goes where, with counts, for the mapping preview."""

from __future__ import annotations

from typing import Any

from app.crypto import CredentialsKeyError
from app.resources import Resources
from app.services.runs import account_runs
from workers.engine.copier import plan_mailbox
from workers.engine.errors import CopyError
from workers.jobs.budget import budget_warning, daily_budget
from workers.jobs.logins import copy_options, imap_endpoints
from workers.jobs.sync_state_store import SqlSyncState


def plan_folders(res: Resources, account_id: int) -> dict[str, Any]:
    """The folder plan of one account of a task, as it crosses the broker: `{"plan": <the engine's
    AccountPlan, dumped>, "warnings": [the daily-budget item, if the account exceeds it]}` or
    `{"error": {code, message}}` (read by app/api/runs.py)."""
    with res.sessions() as session:
        login = account_runs.load_login(session, account_id)
    if login is None:
        return {"error": {"code": "not_found", "message": f"account {account_id} not found"}}
    state = SqlSyncState(res.sessions, f"account:{account_id}", account_id)
    try:
        src, dst = imap_endpoints(login, res)
        plan = plan_mailbox(src, dst, copy_options(login), state)
    except CopyError as exc:
        return {"error": {"code": exc.code, "message": exc.message}}
    except CredentialsKeyError as exc:
        return {"error": {"code": "credentials_key", "message": str(exc)}}
    sizes = [0 if item.pending == 0 else item.size for item in plan.folders]
    planned = None if any(size is None for size in sizes) else sum(size or 0 for size in sizes)
    over = budget_warning(planned, daily_budget(login.dst))
    return {"plan": plan.model_dump(mode="json"), "warnings": [over] if over else []}
