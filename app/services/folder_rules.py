"""The regex rules' preview: which folders a task's include/exclude rules would copy, by
app/folder_rules.py, the module the workers decide with. Reads only the task (docs/console.md,
"Folder rules")."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.folder_rules import FolderRules
from app.models import AccountRun, Run
from app.schemas.runs import FolderRuleDecision, FolderRulesPreviewIn, FolderRulesPreviewOut
from app.services.tasks import get_task


def last_run_folders(session: Session, task_id: int) -> list[str]:
    """The source folders the task's newest run with folder results went through, by name."""
    run_id = session.scalar(
        select(Run.id)
        .join(AccountRun, AccountRun.run_id == Run.id)
        .where(Run.task_id == task_id, AccountRun.folders != {})
        .order_by(Run.started_at.desc(), Run.id.desc())
        .limit(1)
    )
    if run_id is None:
        return []
    names: set[str] = set()
    for folders in session.scalars(select(AccountRun.folders).where(AccountRun.run_id == run_id)):
        names.update(folders)
    return sorted(names, key=lambda name: (name.upper() != "INBOX", name))


def preview(session: Session, task_id: int, body: FolderRulesPreviewIn) -> FolderRulesPreviewOut:
    """Raises: NotFound for an unknown task."""
    task = get_task(session, task_id)
    listed = task.exclude_folders if body.exclude_folders is None else body.exclude_folders
    rules = FolderRules(tuple(body.include), tuple(body.exclude), tuple(listed))
    names = body.folders if body.folders is not None else last_run_folders(session, task_id)
    decisions = [
        FolderRuleDecision(name=name, copied=copied, decided_by=rule)
        for name, copied, rule in rules.preview(names, body.separator)
    ]
    copied = sum(1 for decision in decisions if decision.copied)
    return FolderRulesPreviewOut(folders=decisions, copied=copied, excluded=len(decisions) - copied)
