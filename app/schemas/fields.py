"""Field types shared by the request/response models: trimmed names, hosts, UTC timestamps."""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)


def _no_nul(value: str) -> str:
    # PostgreSQL text and JSONB cannot hold U+0000: refuse it here rather than fail in the driver.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


NoNul = AfterValidator(_no_nul)
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoNul]
Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320), NoNul]
# Passwords are taken verbatim: leading or trailing spaces can be part of a real password.
Password = Annotated[str, StringConstraints(min_length=1, max_length=1000), NoNul]
# OAuth2 client secrets, PEM keys and refresh tokens: verbatim, write-only.
Secret = Annotated[str, StringConstraints(min_length=1, max_length=20000), NoNul]
FolderName = Annotated[str, StringConstraints(min_length=1, max_length=1000), NoNul]
# Primary keys are PostgreSQL `integer`: a larger id in a URL must be a 404, not a driver overflow.
MAX_ID = 2**31 - 1
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Port = Annotated[StrictInt, Field(ge=1, le=65535)]
Flag = StrictBool

_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOSTNAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$")


def _check_host(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        pass
    if len(value) > 253 or not _HOSTNAME.match(value):
        raise ValueError("must be a hostname or an IP address, without scheme, port or spaces")
    return value


Host = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255), AfterValidator(_check_host)
]


def _as_utc(value: datetime) -> datetime:
    # psycopg returns timestamptz in the session's time zone; the API always speaks UTC ("...Z").
    return value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]


class RequestModel(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class PatchModel(RequestModel):
    """A partial update: every field optional, but only `nullable` fields may be set to null."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("may not be null")
        return value

    def changes(self) -> dict[str, Any]:
        """Only the fields the client sent."""
        return self.model_dump(exclude_unset=True)
