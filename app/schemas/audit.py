"""The audit log as the API shows it (secrets masked before they were stored)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.fields import MAX_ID, UtcDateTime

MAX_PAGE = 500


class AuditQuery(BaseModel):
    task_id: int | None = Field(None, ge=1, le=MAX_ID)
    user: str | None = Field(None, max_length=150, description="the actor's username, or `scheduler`")
    action: str | None = Field(None, max_length=64)
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="X-Next-Cursor of the previous page")


class AuditOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: UtcDateTime
    actor: str
    address: str | None
    action: str
    target_type: str | None
    target_id: int | None
    task_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
