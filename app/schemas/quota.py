"""The destination's storage quota against the source's size: in folder plans and connection tests."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PlanQuota(BaseModel):
    """The destination's storage quota against what the source would add (RFC 2087/9208 QUOTA)."""

    limit_bytes: int
    used_bytes: int
    free_bytes: int
    needed_bytes: int | None = Field(None, description="Null when a source folder's size is unknown")
    warning: str | None = Field(None, description="Set when the account clearly cannot fit")
