"""Tasks: a migration of many accounts from one endpoint to another.

The schedule interval is read-only here: it changes only through PUT /api/tasks/{id}/schedule, which
enforces the "every account tested" rule. `extra="forbid"` turns an attempt to set it into a 422.
The daily window and the extra recipients are set here (docs/notifications.md); the window does not
clear `broken`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.folder_rules import MAX_PATTERN_LENGTH, MAX_PATTERNS, pattern_problem
from app.models.enums import RunStatus, TaskStatus, Trigger
from app.schemas.accounts import AccountOut
from app.schemas.fields import FolderName, Id, Name, NoNul, PatchModel, RequestModel, UtcDateTime
from app.schemas.windows import EmailList, ScheduleWindow

FolderMapping = Annotated[
    dict[FolderName, FolderName],
    Field(max_length=1000, description="Source folder name -> destination folder name"),
]
FolderList = Annotated[list[FolderName], Field(max_length=1000)]


def _compiles(pattern: str) -> str:
    problem = pattern_problem(pattern)
    if problem is not None:
        raise ValueError(problem)
    return pattern


FolderPattern = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_PATTERN_LENGTH), NoNul, AfterValidator(_compiles)
]
FolderPatterns = Annotated[
    list[FolderPattern],
    Field(
        max_length=MAX_PATTERNS,
        description='Python regular expressions, searched in the source folder\'s name written with "/" '
        'between levels (docs/console.md, "Folder rules")',
    ),
]


class TaskIn(RequestModel):
    name: Name
    src_endpoint_id: Id
    dst_endpoint_id: Id
    folder_mapping: FolderMapping = Field(default_factory=dict)
    exclude_folders: FolderList = Field(default_factory=list)
    folder_include: FolderPatterns = Field(default_factory=list)
    folder_exclude: FolderPatterns = Field(default_factory=list)


class TaskPatch(PatchModel):
    nullable = frozenset({"schedule_window"})

    name: Name | None = None
    src_endpoint_id: Id | None = None
    dst_endpoint_id: Id | None = None
    folder_mapping: FolderMapping | None = None
    exclude_folders: FolderList | None = None
    folder_include: FolderPatterns | None = None
    folder_exclude: FolderPatterns | None = None
    schedule_window: ScheduleWindow | None = Field(
        None, description="Scheduled runs start only inside this daily window; null removes it"
    )
    notify_emails: EmailList | None = None


class RunSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    trigger: Trigger
    status: RunStatus
    started_at: UtcDateTime
    finished_at: UtcDateTime | None
    total_copied: int
    total_skipped: int
    total_errors: int
    total_bytes: int


class TaskOut(BaseModel):
    id: int
    name: str
    src_endpoint_id: int
    dst_endpoint_id: int
    status: TaskStatus
    folder_mapping: dict[str, str]
    exclude_folders: list[str]
    folder_include: list[str] = Field(
        default_factory=list, description="A folder is copied only if one of these matches (none: all)"
    )
    folder_exclude: list[str] = Field(
        default_factory=list, description="A folder one of these matches is not copied"
    )
    schedule_interval_seconds: int
    broken: bool
    schedule_window: ScheduleWindow | None = None
    notify_emails: list[str] = Field(default_factory=list, description="Recipients on top of the global ones")
    next_run_at: UtcDateTime | None = Field(description="RFC 3339 UTC; null when off, running or broken")
    last_run: RunSummary | None
    account_count: int
    failing_count: int = Field(description="Enabled accounts with a failed login test or a failed last run")
    paused_count: int = Field(description="Accounts left out of runs (enabled false)")
    schedule_waiting_reason: str | None = Field(
        None, description="Set when the schedule is on but due runs cannot start (accounts not tested OK)"
    )
    created_at: UtcDateTime
    updated_at: UtcDateTime


class TaskDetail(BaseModel):
    task: TaskOut
    accounts: list[AccountOut]
