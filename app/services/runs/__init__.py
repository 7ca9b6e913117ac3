"""The run lifecycle: claim (claim.py), an account job's bookkeeping (account_runs.py), finalize with
the breaker (finalize.py), the reaper (reaper.py), cancel (cancel.py) and retry-failed (retry.py).
Every status change goes through the one table in transitions.py.

Functions take a Session and never commit: the caller (a view or a worker task) owns the transaction
and enqueues Celery work or publishes events only after its commit (app/dispatch.py, app/events.py).
"""

from app.services.runs.cancel import CancelOutcome, cancel_run
from app.services.runs.claim import SCAN_BATCH, ClaimedRun, claim_due_runs, claim_manual_run
from app.services.runs.finalize import RunOutcome, finalize_if_settled, finalize_run, run_status, should_break
from app.services.runs.reaper import reap_stale_runs
from app.services.runs.retry import retry_failed

__all__ = [
    "SCAN_BATCH",
    "CancelOutcome",
    "ClaimedRun",
    "RunOutcome",
    "cancel_run",
    "claim_due_runs",
    "claim_manual_run",
    "finalize_if_settled",
    "finalize_run",
    "reap_stale_runs",
    "retry_failed",
    "run_status",
    "should_break",
]
