"""Users of the console and their roles. Passwords are write-only."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.models.enums import Role
from app.schemas.fields import NoNul, PatchModel, RequestModel, UtcDateTime

LoginName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150, pattern=r"^[^\s]+$"), NoNul
]
# At least 8 characters (app/services/auth.py MIN_PASSWORD_LENGTH); taken verbatim.
NewPassword = Annotated[str, StringConstraints(min_length=8, max_length=500), NoNul]


class UserIn(RequestModel):
    username: LoginName
    password: NewPassword
    role: Role


class UserPatch(PatchModel):
    password: NewPassword | None = None
    role: Role | None = None


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: Role


class UserDetail(UserOut):
    created_at: UtcDateTime


class PasswordChange(RequestModel):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    new_password: NewPassword


class TokenIn(RequestModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150), NoNul]


class TokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    created_at: UtcDateTime
    last_used_at: UtcDateTime | None


class TokenCreated(TokenOut):
    token: str = Field(description="Shown once: only its SHA-256 is stored")
