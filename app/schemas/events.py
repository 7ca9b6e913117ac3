"""The websocket events: one model per type, a union discriminated on `type` (docs/events.md).

Every event is `{type, task_id, run_id, account_id, data, ts}`; `data` has one model per type. The
workers build theirs in workers/events.py, the API its few in app/events.py; the OpenAPI document
publishes `TaskEvent` and its members (app/api/openapi.py), and the UI's client is generated from it.
Derived figures (planned totals, rates, ETA) are computed once, on the worker, and sent here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.db import utcnow
from app.models.enums import AccountRunStatus, RunStatus, TestStatus, Trigger
from app.schemas.quota import PlanQuota

FolderStatus = Literal["ok", "unchanged", "partial", "failed", "cancelled"]


# The server always sends every key, so the published schema marks defaulted fields required too.
_CONFIG = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)


class _Data(BaseModel):
    model_config = _CONFIG


class Counts(_Data):
    copied: int = 0
    skipped: int = 0
    errors: int = 0
    bytes: int = 0


class AccountTotals(Counts):
    """Account-wide figures of a running account, this attempt and earlier ones together."""

    msgs_per_s: float | None = Field(None, description="Messages handled per second, sliding window")
    bytes_per_s: float | None = Field(None, description="Bytes copied per second, sliding window")
    eta_seconds: float | None = Field(None, description="Time left at the current rate, if the plan is known")


class PlannedFolder(_Data):
    """One folder of a plan; mirrors the engine's FolderPlanItem (a test keeps them equal)."""

    src: str
    dst: str
    reason: str = Field(description="explicit | special-use | inbox | translated")
    dst_exists: bool
    messages: int
    size: int | None = None
    pending: int | None = Field(None, description="Messages the run will look at, if known")
    note: str | None = None


class AccountPlan(_Data):
    """The folder plan of one account; mirrors the engine's AccountPlan."""

    folders: list[PlannedFolder]
    excluded: list[str]
    excluded_by: dict[str, str] = Field(default_factory=dict, description="Excluded folder -> why")
    src_separator: str = ""
    dst_separator: str = ""
    dst_prefix: str = ""
    dst_other_prefixes: list[str] = Field(default_factory=list)
    quota: PlanQuota | None = None


class RunStartedData(_Data):
    trigger: Trigger
    accounts: int = Field(description="How many accounts the run copies")


class PlanData(_Data):
    folders: list[PlannedFolder]
    excluded: list[str]
    planned_messages: int = Field(description="Messages the run will look at (pending, else all)")
    planned_bytes: int | None = Field(description="Their size, when every folder's size is known")
    quota: PlanQuota | None = Field(None, description="The destination's quota, when it has one")


class AccountStartedData(_Data):
    src_username: str
    dst_username: str
    already_copied: int = Field(description="Copied by earlier attempts of this account run")


class FolderData(Counts):
    """A folder started (`state` started, counters 0) or finished (its result and the account's totals)."""

    folder: str
    dst_folder: str
    state: Literal["started", "done"]
    status: FolderStatus | None = None
    flags_updated: int = 0
    seconds: float = 0.0
    altered: int = Field(0, description="Messages the destination stored altered (warnings, not errors)")
    note: str | None = Field(None, description="Why the destination name differs from the automatic one")
    account: AccountTotals | None = None


class ProgressData(Counts):
    """The current folder's figures (`done` of `total` new messages) and the account's totals; or,
    while the job waits for a connection slot or a throttling server, only `waiting`."""

    folder: str | None = None
    done: int = 0
    total: int = 0
    account: AccountTotals | None = None
    waiting: str | None = None


class AccountDoneData(Counts):
    status: AccountRunStatus
    error_summary: str | None = None


class AccountTestData(_Data):
    test_src_status: TestStatus
    test_src_error: str | None = None
    test_dst_status: TestStatus
    test_dst_error: str | None = None


class ErrorData(_Data):
    """One refused message (folder + uid), a failed folder, or the account."""

    code: str
    reason: str
    folder: str | None = None
    uid: int | None = None
    side: Literal["src", "dst"] | None = Field(None, description="Which server: source, destination, or null")
    kind: str = Field(
        "protocol",
        description="connection | tls | login | token | protocol | timeout | size | throttled | quota | "
        "folder | message",
    )


class CancelledData(_Data):
    pass


class RunDoneData(_Data):
    status: RunStatus
    trigger: Trigger
    total_copied: int
    total_skipped: int
    total_errors: int
    total_bytes: int


class TaskBrokenData(_Data):
    errors: int
    reason: str


class _Event(BaseModel):
    model_config = _CONFIG

    task_id: int
    run_id: int | None = None
    account_id: int | None = None
    ts: datetime = Field(default_factory=utcnow)


class RunStartedEvent(_Event):
    type: Literal["run_started"] = "run_started"
    data: RunStartedData


class PlanEvent(_Event):
    type: Literal["plan"] = "plan"
    data: PlanData


class AccountStartedEvent(_Event):
    type: Literal["account_started"] = "account_started"
    data: AccountStartedData


class FolderEvent(_Event):
    type: Literal["folder"] = "folder"
    data: FolderData


class ProgressEvent(_Event):
    type: Literal["progress"] = "progress"
    data: ProgressData


class AccountDoneEvent(_Event):
    type: Literal["account_done"] = "account_done"
    data: AccountDoneData


class AccountTestEvent(_Event):
    type: Literal["account_test"] = "account_test"
    data: AccountTestData


class ErrorEvent(_Event):
    type: Literal["error"] = "error"
    data: ErrorData


class CancelledEvent(_Event):
    type: Literal["cancelled"] = "cancelled"
    data: CancelledData = CancelledData()


class RunDoneEvent(_Event):
    type: Literal["run_done"] = "run_done"
    data: RunDoneData


class TaskBrokenEvent(_Event):
    type: Literal["task_broken"] = "task_broken"
    data: TaskBrokenData


TaskEvent = Annotated[
    RunStartedEvent
    | PlanEvent
    | AccountStartedEvent
    | FolderEvent
    | ProgressEvent
    | AccountDoneEvent
    | AccountTestEvent
    | ErrorEvent
    | CancelledEvent
    | RunDoneEvent
    | TaskBrokenEvent,
    Field(discriminator="type"),
]
TASK_EVENT: TypeAdapter[TaskEvent] = TypeAdapter(TaskEvent)
