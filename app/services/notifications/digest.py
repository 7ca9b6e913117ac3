"""The daily digest: runs, copied, errors per task over the last day, broken tasks, and accounts that
failed in each of their last N finished runs. One e-mail per admin recipient, one post per webhook."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.crypto import SecretBox
from app.models import Account, AccountRun, Run, Task
from app.schemas.notifications import Digest, DigestTask, FailingAccount, PayloadTask, WebhookPayload
from app.services.notifications import channels, records

logger = logging.getLogger(__name__)
DAY = timedelta(days=1)
FAILING_PASSES = 3  # an account failing this many finished runs in a row is listed


def build(session: Session, since: datetime, until: datetime) -> Digest:
    per_task = session.execute(
        select(
            Task.id,
            Task.name,
            Task.broken,
            func.count(Run.id),
            func.coalesce(func.sum(Run.total_copied), 0),
            func.coalesce(func.sum(Run.total_errors), 0),
        )
        .join(Run, Run.task_id == Task.id)
        .where(Run.finished_at >= since, Run.finished_at < until)
        .group_by(Task.id)
        .order_by(Task.id)
    ).all()
    tasks = [
        DigestTask(id=tid, name=name, runs=n, copied=copied, errors=errors, broken=broken)
        for tid, name, broken, n, copied, errors in per_task
    ]
    broken = session.execute(select(Task.id, Task.name).where(Task.broken).order_by(Task.id)).all()
    return Digest(
        since=since,
        until=until,
        runs=sum(t.runs for t in tasks),
        copied=sum(t.copied for t in tasks),
        errors=sum(t.errors for t in tasks),
        tasks=tasks,
        broken_tasks=[PayloadTask(id=tid, name=name) for tid, name in broken],
        failing_accounts=_failing(session),
    )


def _failing(session: Session) -> list[FailingAccount]:
    """Accounts whose last FAILING_PASSES finished account runs all failed or had errors."""
    ranked = (
        select(
            AccountRun.account_id,
            ((AccountRun.status == "failed") | (AccountRun.errors > 0)).label("bad"),
            func.row_number()
            .over(partition_by=AccountRun.account_id, order_by=AccountRun.finished_at.desc())
            .label("rank"),
        )
        .where(AccountRun.finished_at.is_not(None))
        .subquery()
    )
    rows = session.execute(
        select(Account.id, Account.task_id, Account.src_username)
        .join(ranked, ranked.c.account_id == Account.id)
        .where(ranked.c.rank <= FAILING_PASSES)
        .group_by(Account.id)
        .having(func.count() == FAILING_PASSES, func.bool_and(ranked.c.bad))
        .order_by(Account.id)
        .limit(200)
    ).all()
    return [
        FailingAccount(account_id=aid, task_id=tid, src_username=user, failed_passes=FAILING_PASSES)
        for aid, tid, user in rows
    ]


def for_day(session: Session, box: SecretBox, now: datetime) -> list[int]:
    """Create today's digest notifications (idempotent per day and recipient)."""
    digest = build(session, now - DAY, now)
    summary = (
        f"Daily digest: {digest.runs} run(s), {digest.copied} copied, {digest.errors} error(s), "
        f"{len(digest.broken_tasks)} broken task(s)"
    )
    payload = WebhookPayload(
        event="digest", notification_id=0, created_at=now, summary=summary, digest=digest
    )
    data = payload.model_dump(mode="json", exclude={"notification_id"})
    subject = f"[IMAP Copier] {summary}"
    day = now.date().isoformat()
    row = channels.load(session)
    smtp = channels.smtp_channel(row, box)
    ids: list[int | None] = []
    common: dict[str, Any] = {"kind": "digest", "subject": subject, "payload": data, "now": now}
    for recipient in smtp.recipients if smtp else ():
        ids.append(
            records.add(
                session, f"digest:{day}:email:{recipient}", channel="email", target=recipient, **common
            )
        )
    for url in channels.webhook_urls(row):
        ids.append(
            records.add(session, f"digest:{day}:webhook:{url}", channel="webhook", target=url, **common)
        )
    created = [new_id for new_id in ids if new_id is not None]
    logger.info("notifications.digest day=%s count=%d", day, len(created))
    return created
