"""What the engine returns: immutable pydantic models, so jobs can `model_dump()` them as they are."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

AccountStatus = Literal["ok", "partial", "failed", "cancelled"]
FolderStatusName = Literal["ok", "unchanged", "partial", "failed", "cancelled"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class ErrorRecord(_Frozen):
    """One thing that went wrong: a refused message (folder + uid), a folder, or the account."""

    code: str
    reason: str
    folder: str | None = None
    uid: int | None = None
    side: Literal["src", "dst"] | None = None
    kind: str = "protocol"


class FolderResult(_Frozen):
    folder: str
    dst_folder: str
    status: FolderStatusName
    copied: int = 0
    skipped: int = 0
    errors: int = 0
    bytes: int = 0
    flags_updated: int = 0
    seconds: float = 0.0
    altered: int = 0  # appended, but stored differently from what was sent (a warning: see verify.py)
    note: str | None = None  # why dst_folder is not the name the mapping alone gives (see renames.py)


class AccountResult(_Frozen):
    """The outcome of `copy_mailbox`. `errors` counts all errors; `error_list` keeps the first ones.

    For status "failed", `error_code`/`message` say why, and `retryable` whether running the job
    again later may succeed (connection lost or throttled) rather than needing a fix (password, TLS).
    """

    status: AccountStatus
    copied: int = 0
    skipped: int = 0
    errors: int = 0
    bytes: int = 0
    flags_updated: int = 0
    seconds: float = 0.0
    altered: int = 0
    folders: tuple[FolderResult, ...] = ()
    error_list: tuple[ErrorRecord, ...] = ()
    error_code: str | None = None
    message: str | None = None
    retryable: bool = False


class FolderPlanItem(_Frozen):
    src: str
    dst: str
    reason: str
    dst_exists: bool
    messages: int
    size: int | None = None
    pending: int | None = None
    note: str | None = None  # set when the destination name had to change (see renames.py)


class QuotaCheck(_Frozen):
    """The destination's storage quota (RFC 2087/9208) against what the source account would add.

    `needed_bytes` is None when a source folder's size is unknown; `warning` is set when the account
    clearly cannot fit (the copy still goes on until the server refuses, counting refusals)."""

    limit_bytes: int
    used_bytes: int
    free_bytes: int
    needed_bytes: int | None = None
    warning: str | None = None


class AccountPlan(_Frozen):
    """Dry run: source folder -> destination folder with counts and sizes; nothing written."""

    folders: tuple[FolderPlanItem, ...]
    excluded: tuple[str, ...]
    excluded_by: dict[str, str] = {}  # excluded folder -> why (plan.py, excluded_by)
    src_separator: str
    dst_separator: str
    dst_prefix: str
    dst_other_prefixes: tuple[str, ...] = ()  # other users' and shared namespaces
    quota: QuotaCheck | None = None


class FolderComparison(_Frozen):
    src: str
    dst: str
    src_messages: int
    dst_messages: int
    missing: int
    duplicated: int
    flag_differences: int
    missing_uids: tuple[int, ...] = ()
    duplicated_uids: tuple[int, ...] = ()
    dst_exists: bool = True
    altered: int = 0  # deep compare only: paired messages whose bytes differ
    altered_uids: tuple[int, ...] = ()


class AccountComparison(_Frozen):
    """`complete` when nothing is missing or duplicated (flag differences are reported, not fatal)."""

    folders: tuple[FolderComparison, ...]
    missing: int
    duplicated: int
    flag_differences: int
    complete: bool
    altered: int = 0
