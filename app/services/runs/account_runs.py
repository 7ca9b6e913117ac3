"""One account job's bookkeeping: what it needs to start, its claim, heartbeat, progress and result.

Each function is one short statement or two; the job calls each in its own transaction and never
holds one across IMAP I/O. The claim is a conditional UPDATE, so a redelivered job that finds its
account run already finished (or its run closed or cancelled) does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Account, AccountRun, Endpoint, Run, Task
from app.models.enums import AccountRunStatus
from app.services.runs.transitions import ACCOUNT_RUNS, OPEN_ACCOUNT_RUN

_RUNNING = (AccountRunStatus.RUNNING,)


@dataclass(frozen=True)
class EndpointSpec:
    id: int
    host: str
    port: int
    tls_mode: str
    verify_tls: bool
    max_connections: int | None
    max_connections_per_account: int | None = None
    auth_mode: str = "password"
    sasl_mechanism: str = "auto"
    oauth2_grant: str | None = None
    oauth2_token_url: str | None = None
    oauth2_client_id: str | None = None
    oauth2_scope: str | None = None
    oauth2_client_secret_enc: bytes | None = field(default=None, repr=False)
    oauth2_private_key_enc: bytes | None = field(default=None, repr=False)
    provider: str = "generic"
    daily_upload_mb: int | None = None


@dataclass(frozen=True)
class Counters:
    copied: int = 0
    skipped: int = 0
    errors: int = 0
    bytes: int = 0

    def plus(self, other: Counters) -> Counters:
        return Counters(
            self.copied + other.copied,
            self.skipped + other.skipped,
            self.errors + other.errors,
            self.bytes + other.bytes,
        )


@dataclass(frozen=True)
class AccountLogin:
    """An account with its task's endpoints and folder rules (passwords still encrypted)."""

    task_id: int
    account_id: int
    src: EndpointSpec
    dst: EndpointSpec
    src_username: str
    src_password_enc: bytes
    dst_username: str
    dst_password_enc: bytes
    folder_mapping: dict[str, str]
    exclude_folders: tuple[str, ...]
    src_refresh_token_enc: bytes | None = field(default=None, repr=False)
    dst_refresh_token_enc: bytes | None = field(default=None, repr=False)
    folder_include: tuple[str, ...] = ()
    folder_exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountJob:
    """What one copy job reads before it starts: ids and ciphertext (it decrypts itself)."""

    account_run_id: int
    run_id: int
    login: AccountLogin


def _endpoint(endpoint: Endpoint) -> EndpointSpec:
    return EndpointSpec(
        endpoint.id,
        endpoint.host,
        endpoint.port,
        endpoint.tls_mode,
        endpoint.verify_tls,
        endpoint.max_connections,
        endpoint.max_connections_per_account,
        endpoint.auth_mode,
        endpoint.sasl_mechanism,
        endpoint.oauth2_grant,
        endpoint.oauth2_token_url,
        endpoint.oauth2_client_id,
        endpoint.oauth2_scope,
        endpoint.oauth2_client_secret_enc,
        endpoint.oauth2_private_key_enc,
        endpoint.provider,
        endpoint.daily_upload_mb,
    )


def load_login(session: Session, account_id: int) -> AccountLogin | None:
    account = session.get(Account, account_id)
    if account is None:
        return None
    task = session.get(Task, account.task_id)
    assert task is not None  # foreign key
    src, dst = session.get(Endpoint, task.src_endpoint_id), session.get(Endpoint, task.dst_endpoint_id)
    assert src is not None and dst is not None  # RESTRICT foreign keys
    return AccountLogin(
        task.id,
        account.id,
        _endpoint(src),
        _endpoint(dst),
        account.src_username,
        account.src_password_enc,
        account.dst_username,
        account.dst_password_enc,
        dict(task.folder_mapping),
        tuple(task.exclude_folders),
        account.src_refresh_token_enc,
        account.dst_refresh_token_enc,
        tuple(task.folder_include),
        tuple(task.folder_exclude),
    )


def load_job(session: Session, run_id: int, account_id: int) -> AccountJob | None:
    """The job's inputs, or None when there is nothing to do (run closed or cancelled, account run
    finished, account deleted)."""
    account_run_id = session.scalar(
        select(AccountRun.id)
        .join(Run, Run.id == AccountRun.run_id)
        .where(
            AccountRun.run_id == run_id,
            AccountRun.account_id == account_id,
            AccountRun.status.in_(OPEN_ACCOUNT_RUN),
            Run.finished_at.is_(None),
            Run.cancel_requested.is_(False),
        )
    )
    login = load_login(session, account_id) if account_run_id is not None else None
    return None if account_run_id is None or login is None else AccountJob(account_run_id, run_id, login)


def start(
    session: Session, account_run_id: int, celery_task_id: str | None, now: datetime
) -> Counters | None:
    """The claim: queued (or running, left by a dead job whose advisory lock we now hold) -> running.

    Returns the counters earlier attempts of this account run recorded, or None: nothing to do.
    """
    open_run = select(Run.id).where(Run.finished_at.is_(None), Run.cancel_requested.is_(False))
    row = session.execute(
        update(AccountRun)
        .where(
            AccountRun.id == account_run_id,
            ACCOUNT_RUNS.guard(AccountRun.status, AccountRunStatus.RUNNING),
            AccountRun.run_id.in_(open_run),
        )
        .values(
            status=AccountRunStatus.RUNNING,
            celery_task_id=celery_task_id,
            started_at=now,
            heartbeat_at=now,
        )
        .returning(AccountRun.copied, AccountRun.skipped, AccountRun.errors, AccountRun.bytes)
    ).first()
    if row is not None:
        _touch_run(session, account_run_id, now)
    return None if row is None else Counters(*row)


def _touch_run(session: Session, account_run_id: int, now: datetime) -> None:
    """A job that starts or ends is a sign of life of its run. Without it a run of jobs each shorter
    than the heartbeat interval never touches the run, and the reaper takes it for a run whose workers
    died as soon as it sees none running between two jobs (docs/console.md, "Many short jobs")."""
    run_of = select(AccountRun.run_id).where(AccountRun.id == account_run_id).scalar_subquery()
    session.execute(update(Run).where(Run.id == run_of, Run.finished_at.is_(None)).values(heartbeat_at=now))


def beat(session: Session, run_id: int, account_run_id: int | None, now: datetime) -> bool:
    """Touch the run (and the account run); True while the job may go on (run open, no cancel)."""
    cancel = session.scalar(
        update(Run)
        .where(Run.id == run_id, Run.finished_at.is_(None))
        .values(heartbeat_at=now)
        .returning(Run.cancel_requested)
    )
    if account_run_id is not None:
        session.execute(
            update(AccountRun)
            .where(AccountRun.id == account_run_id, AccountRun.status == AccountRunStatus.RUNNING)
            .values(heartbeat_at=now)
        )
    return cancel is False


def save_progress(
    session: Session,
    account_run_id: int,
    counters: Counters,
    folders: dict[str, Any],
    error_list: list[dict[str, Any]] | None = None,
    live_folders: list[dict[str, Any]] | None = None,
) -> None:
    """Live figures of a running account run; `error_list`, when given, the error items so far;
    `live_folders`, when given, the per-folder live view."""
    values: dict[str, Any] = {
        "copied": counters.copied,
        "skipped": counters.skipped,
        "errors": counters.errors,
        "bytes": counters.bytes,
        "folders": folders,
    }
    if error_list is not None:
        values["error_list"] = error_list
    if live_folders is not None:
        values["live_folders"] = live_folders
    session.execute(
        update(AccountRun)
        .where(AccountRun.id == account_run_id, AccountRun.status == AccountRunStatus.RUNNING)
        .values(**values)
    )


def set_plan(
    session: Session,
    account_run_id: int,
    messages: int,
    nbytes: int | None,
    warnings: list[dict[str, Any]] | None = None,
    live_folders: list[dict[str, Any]] | None = None,
) -> None:
    """What the run's plan says: messages and bytes to look at, warnings known before copying, and
    the folders of the per-folder live view."""
    session.execute(
        update(AccountRun)
        .where(AccountRun.id == account_run_id)
        .values(
            planned_messages=messages,
            planned_bytes=nbytes,
            warnings=warnings or [],
            live_folders=live_folders or [],
        )
    )


@dataclass(frozen=True)
class AccountOutcome:
    status: AccountRunStatus
    counters: Counters
    error_summary: str | None = None
    error_list: tuple[dict[str, Any], ...] = ()
    folders: dict[str, Any] | None = None


def record(session: Session, account_run_id: int, outcome: AccountOutcome, now: datetime) -> bool:
    """Write the job's final result; False when the row is no longer ours (the reaper closed it)."""
    values: dict[str, Any] = {
        "status": outcome.status,
        "copied": outcome.counters.copied,
        "skipped": outcome.counters.skipped,
        "errors": outcome.counters.errors,
        "bytes": outcome.counters.bytes,
        "error_summary": (outcome.error_summary or "")[:2000] or None,
        "error_list": list(outcome.error_list),
        "finished_at": now,
        "heartbeat_at": now,
    }
    if outcome.folders is not None:
        values["folders"] = outcome.folders
    mine = ACCOUNT_RUNS.guard(AccountRun.status, outcome.status, among=_RUNNING)
    result = session.execute(
        update(AccountRun)
        .where(AccountRun.id == account_run_id, mine)
        .values(**values)
        .returning(AccountRun.id)
    )
    recorded = result.first() is not None
    if recorded:
        _touch_run(session, account_run_id, now)
    return recorded


def requeue(session: Session, account_run_id: int, counters: Counters) -> None:
    """The worker is shutting down: hand the account back (its message is requeued)."""
    session.execute(
        update(AccountRun)
        .where(
            AccountRun.id == account_run_id,
            ACCOUNT_RUNS.guard(AccountRun.status, AccountRunStatus.QUEUED, among=_RUNNING),
        )
        .values(
            status=AccountRunStatus.QUEUED,
            copied=counters.copied,
            skipped=counters.skipped,
            errors=counters.errors,
            bytes=counters.bytes,
        )
    )


def fail(session: Session, run_id: int, account_id: int, message: str, now: datetime) -> None:
    """A job died of an unexpected error (a bug, the database): record it so finalize counts it."""
    session.execute(
        update(AccountRun)
        .where(
            AccountRun.run_id == run_id,
            AccountRun.account_id == account_id,
            ACCOUNT_RUNS.guard(AccountRun.status, AccountRunStatus.FAILED),
        )
        .values(
            status=AccountRunStatus.FAILED,
            errors=AccountRun.errors + 1,
            error_summary=message[:2000],
            finished_at=now,
        )
    )
