"""Reading runs: a task's run log (newest first) and one run with its per-account results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models import Account, AccountRun, AccountRunStatus, Run
from app.schemas.runs import AccountRunOut, ErrorItem, LiveFolder, RunDetail, RunOut, WarningItem
from app.services.tasks import get_task


def list_runs(session: Session, task_id: int, limit: int) -> Sequence[Run]:
    """Raises: NotFound for an unknown task."""
    get_task(session, task_id)
    query = select(Run).where(Run.task_id == task_id).order_by(Run.started_at.desc(), Run.id.desc())
    return session.scalars(query.limit(limit)).all()


def _warnings(folders: Iterable[dict[str, Any]]) -> list[WarningItem]:
    """Messages the destination stored differently from what was sent, per folder (see docs/servers.md)."""
    return [
        WarningItem(
            kind="altered",
            folder=folder.get("folder"),
            count=int(folder["altered"]),
            message=f"{folder['altered']} message(s) stored altered by the destination (size or header)",
        )
        for folder in folders
        if folder.get("altered")
    ]


def _account_run(row: AccountRun, account: Account) -> AccountRunOut:
    return AccountRunOut(
        id=row.id,
        account_id=row.account_id,
        src_username=account.src_username,
        dst_username=account.dst_username,
        status=AccountRunStatus(row.status),
        copied=row.copied,
        skipped=row.skipped,
        errors=row.errors,
        bytes=row.bytes,
        planned_messages=row.planned_messages,
        planned_bytes=row.planned_bytes,
        error_summary=row.error_summary,
        errors_list=[ErrorItem.model_validate(item) for item in row.error_list],
        folders=list(row.folders.values()),
        warnings=[WarningItem.model_validate(w) for w in row.warnings] + _warnings(row.folders.values()),
        live_folders=[LiveFolder.model_validate(f) for f in row.live_folders],
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


def run_detail(session: Session, run_id: int) -> RunDetail:
    """Raises: NotFound."""
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"run {run_id} not found")
    rows = session.execute(
        select(AccountRun, Account)
        .join(Account, Account.id == AccountRun.account_id)
        .where(AccountRun.run_id == run_id)
        .order_by(AccountRun.account_id)
    ).all()
    return RunDetail(
        run=RunOut.model_validate(run), accounts=[_account_run(row, account) for row, account in rows]
    )
