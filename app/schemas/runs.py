"""Runs, the run log, schedules, folder plans and the job-system actions (app/api/runs.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, model_validator

from app.models.enums import AccountRunStatus, RunStatus, Trigger
from app.schemas.events import AccountPlan
from app.schemas.fields import FolderName, Id, RequestModel, UtcDateTime
from app.schemas.quota import PlanQuota
from app.schemas.tasks import FolderList, FolderMapping, FolderPatterns


class ScheduleIn(RequestModel):
    interval_seconds: StrictInt = Field(description="0 (off), 3600, 10800, 21600, 43200 or 86400")


class FolderMappingIn(RequestModel):
    folder_mapping: FolderMapping
    exclude_folders: FolderList = Field(default_factory=list)
    folder_include: FolderPatterns | None = Field(None, description="Left out: the saved rules stay")
    folder_exclude: FolderPatterns | None = Field(None, description="Left out: the saved rules stay")


class FolderRulesPreviewIn(RequestModel):
    include: FolderPatterns = Field(default_factory=list)
    exclude: FolderPatterns = Field(default_factory=list)
    folders: Annotated[list[FolderName], Field(max_length=5000)] | None = Field(
        None,
        description="Source folder names as the plan lists them; left out: the folders of the task's "
        "last run",
    )
    separator: Annotated[str, StringConstraints(max_length=1)] = Field(
        "/", description="The source's hierarchy separator (the plan's src_separator)"
    )
    exclude_folders: FolderList | None = Field(None, description="Left out: the task's saved list")


class FolderRuleDecision(BaseModel):
    name: str
    copied: bool
    decided_by: str | None = Field(
        description='"list" | "exclude rule <pattern>" | "include rules" (not copied), "include rule '
        '<pattern>" (copied), or null when no rule had a say'
    )


class FolderRulesPreviewOut(BaseModel):
    folders: list[FolderRuleDecision]
    copied: int
    excluded: int


class RunIn(RequestModel):
    account_ids: list[Id] | None = Field(
        None, min_length=1, max_length=5000, description="Run only these accounts (enabled, of this task)"
    )


class RunStarted(BaseModel):
    run_id: int


class CancelOut(BaseModel):
    run_id: int
    status: RunStatus = Field(
        description="`cancelled` when it closed at once, else `running` until jobs stop"
    )


class TestsQueued(BaseModel):
    account_ids: list[int]


class RunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    task_id: int
    trigger: Trigger
    status: RunStatus
    started_at: UtcDateTime
    finished_at: UtcDateTime | None
    scheduled_for: UtcDateTime | None
    cancel_requested: bool
    total_copied: int
    total_skipped: int
    total_errors: int
    total_bytes: int
    error_summary: str | None


ErrorKind = Literal[
    "connection",
    "tls",
    "login",
    "token",
    "protocol",
    "timeout",
    "size",
    "throttled",
    "quota",
    "folder",
    "message",
]
# The kind of items stored before items carried one, from their stable code (docs/console.md).
KIND_OF_CODE: dict[str, ErrorKind] = {
    "auth_failed": "login",
    "tls_failed": "tls",
    "connect_failed": "connection",
    "connection_lost": "connection",
    "throttled": "throttled",
    "folder_unavailable": "folder",
    "message_refused": "message",
    "time_limit": "timeout",
}


class ErrorItem(BaseModel):
    code: str
    reason: str
    folder: str | None = None
    uid: int | None = None
    side: Literal["src", "dst"] | None = Field(None, description="Which server: source, destination, unknown")
    kind: ErrorKind = "protocol"

    @model_validator(mode="before")
    @classmethod
    def _kind_of_old_items(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" not in data:
            return {**data, "kind": KIND_OF_CODE.get(str(data.get("code")), "protocol")}
        return data


class WarningItem(BaseModel):
    """Something the admin must know that is not an error (never counted in `errors`)."""

    kind: Literal["altered", "quota", "budget"]
    folder: str | None = None
    count: int = 0
    message: str


class LiveFolder(BaseModel):
    """One folder of a running account, as the live view shows it (workers/jobs/live_folders.py)."""

    folder: str
    dst: str
    state: Literal["planned", "running", "done"]
    planned: int | None = Field(description="Messages the run looks at in it (pending, else its count)")
    copied: int = 0
    skipped: int = 0
    errors: int = 0
    status: str | None = Field(None, description="Its final status once done")


class AccountRunOut(BaseModel):
    id: int
    account_id: int
    src_username: str
    dst_username: str
    status: AccountRunStatus
    copied: int
    skipped: int
    errors: int
    bytes: int
    planned_messages: int | None
    planned_bytes: int | None
    error_summary: str | None
    errors_list: list[ErrorItem] = Field(description="The first errors (folder, UID, reason)")
    folders: list[dict[str, Any]] = Field(
        description="Per source folder: destination, status, counts, `altered`, and `note` when renamed"
    )
    warnings: list[WarningItem] = Field(
        default_factory=list,
        description="Not errors: the destination quota the account cannot fit (known before copying), "
        "and per folder the messages the destination stored altered",
    )
    live_folders: list[LiveFolder] = Field(
        default_factory=list,
        description="While the account runs: each folder of its plan with its state, saved with the progress",
    )
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None


class RunDetail(BaseModel):
    run: RunOut
    accounts: list[AccountRunOut]


class RunListQuery(RequestModel):
    limit: int = Field(100, ge=1, le=1000)


class PlanQuery(RequestModel):
    account_id: int | None = Field(None, ge=1, description="Which account to plan with (default: the first)")


class PlanFolder(BaseModel):
    source: str
    destination: str | None
    messages: int | None
    bytes: int | None
    pending: int | None = Field(None, description="Messages the next run would look at, if known")
    excluded: bool
    excluded_by: str | None = Field(
        None,
        description='Why it is left out: "list" (exclude_folders), "exclude rule <pattern>", "include '
        'rules" (no include pattern matches it), "provider" (a Gmail view)',
    )
    special_use: bool
    reason: str = Field(description="explicit | special-use | inbox | translated | excluded")
    destination_exists: bool
    note: str | None = Field(
        None, description="Why the destination name differs from the automatic one (a name it had to change)"
    )


class PlanOut(BaseModel):
    account_id: int
    folders: list[PlanFolder] = Field(description="Copied and excluded folders together: INBOX, then by name")
    src_separator: str = Field("", description="The source's hierarchy separator")
    dst_separator: str = Field("", description="The destination's hierarchy separator")
    dst_prefix: str = Field(
        "", description='The destination\'s personal namespace prefix ("INBOX." or empty)'
    )
    dst_other_prefixes: list[str] = Field(
        default_factory=list, description="The destination's other users' and shared namespace prefixes"
    )
    quota: PlanQuota | None = Field(None, description="Null when the destination reports no storage limit")
    warnings: list[WarningItem] = Field(
        default_factory=list, description="Known before copying: the daily upload budget the account exceeds"
    )

    @classmethod
    def from_plan(
        cls, account_id: int, plan: AccountPlan, warnings: list[WarningItem] | None = None
    ) -> PlanOut:
        """The preview's rows, copied and excluded alike in one order (INBOX, then by name), so a
        folder keeps its place when it is excluded."""
        folders = [
            PlanFolder(
                source=item.src,
                destination=item.dst,
                messages=item.messages,
                bytes=item.size,
                pending=item.pending,
                excluded=False,
                special_use=item.reason == "special-use",
                reason=item.reason,
                destination_exists=item.dst_exists,
                note=item.note,
            )
            for item in plan.folders
        ]
        folders += [
            PlanFolder(source=name, destination=None, messages=None, bytes=None, pending=None, excluded=True,
                       excluded_by=plan.excluded_by.get(name), special_use=False, reason="excluded",
                       destination_exists=False)
            for name in plan.excluded
        ]  # fmt: skip
        folders.sort(key=lambda folder: (folder.source.upper() != "INBOX", folder.source))
        return cls(
            account_id=account_id,
            folders=folders,
            src_separator=plan.src_separator,
            dst_separator=plan.dst_separator,
            dst_prefix=plan.dst_prefix,
            dst_other_prefixes=list(plan.dst_other_prefixes),
            quota=plan.quota,
            warnings=warnings or [],
        )
