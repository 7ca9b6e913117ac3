"""Accounts: one mailbox to copy. Passwords are write-only: responses only say whether one is set."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from app.models import Account
from app.models.enums import TestStatus
from app.schemas.fields import Flag, Password, PatchModel, RequestModel, Secret, Username, UtcDateTime
from app.schemas.quota import PlanQuota

_OPTIONAL = "Required unless this side's endpoint signs in with OAuth2; write-only"
_REFRESH = "An OAuth2 consent for the refresh_token grant (usually set by Connect); write-only"


class AccountIn(RequestModel):
    src_username: Username
    src_password: Password | None = Field(None, description=_OPTIONAL)
    dst_username: Username
    dst_password: Password | None = Field(None, description=_OPTIONAL)
    src_refresh_token: Secret | None = Field(None, description=_REFRESH)
    dst_refresh_token: Secret | None = Field(None, description=_REFRESH)


class AccountPatch(PatchModel):
    src_username: Username | None = None
    src_password: Password | None = None
    dst_username: Username | None = None
    dst_password: Password | None = None
    src_refresh_token: Secret | None = Field(None, description=_REFRESH)
    dst_refresh_token: Secret | None = Field(None, description=_REFRESH)
    enabled: Flag | None = None


class AccountOut(BaseModel):
    id: int
    task_id: int
    src_username: str
    src_password_set: bool
    dst_username: str
    dst_password_set: bool
    src_refresh_token_set: bool
    dst_refresh_token_set: bool
    test_src_status: TestStatus
    test_src_error: str | None
    test_dst_status: TestStatus
    test_dst_error: str | None
    test_dst_quota: PlanQuota | None = Field(
        None,
        description="The destination's storage quota against the source's size (last test); null: no limit",
    )
    tested_at: UtcDateTime | None
    enabled: bool

    @classmethod
    def of(cls, account: Account) -> AccountOut:
        tested_at: datetime | None = account.tested_at
        return cls(
            id=account.id,
            task_id=account.task_id,
            src_username=account.src_username,
            src_password_set=bool(account.src_password_enc),
            dst_username=account.dst_username,
            dst_password_set=bool(account.dst_password_enc),
            src_refresh_token_set=bool(account.src_refresh_token_enc),
            dst_refresh_token_set=bool(account.dst_refresh_token_enc),
            test_src_status=TestStatus(account.test_src_status),
            test_src_error=account.test_src_error,
            test_dst_status=TestStatus(account.test_dst_status),
            test_dst_error=account.test_dst_error,
            test_dst_quota=PlanQuota.model_validate(account.test_dst_quota)
            if account.test_dst_quota
            else None,
            tested_at=tested_at,
            enabled=account.enabled,
        )


class ImportQuery(RequestModel):
    mode: Literal["create", "upsert"] = Field(
        "create", description="upsert: a line whose src_user is in the task updates that account"
    )


class ImportOut(BaseModel):
    imported: int = Field(description="Lines applied: created + updated")
    created: int
    updated: int
    accounts: list[AccountOut] = Field(description="The created accounts, then the updated ones")


class TestFilter(StrEnum):
    OK = "ok"  # both sides tested OK
    FAIL = "fail"  # either side failed
    UNTESTED = "untested"  # neither failed, at least one side untested


class LastOutcome(StrEnum):
    DONE = "done"
    DONE_WITH_ERRORS = "done_with_errors"
    FAILED = "failed"
    NEVER = "never"


class AccountListQuery(RequestModel):
    limit: int | None = Field(
        None, ge=1, le=500, description="Page size; the answer then carries X-Total-Count"
    )
    cursor: str | None = Field(
        None, pattern=r"^[0-9]{1,10}$", description="X-Next-Cursor of the previous page"
    )
    q: str | None = Field(None, max_length=320, description="Case-insensitive substring of either username")
    test_status: TestFilter | None = None
    last_outcome: LastOutcome | None = None


class AccountRow(AccountOut):
    last_outcome: LastOutcome = Field(
        description="How the account's last run ended (runs it was cancelled in are skipped)"
    )
