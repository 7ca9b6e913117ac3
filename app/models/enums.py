"""Statuses and modes, stored as plain strings (with CHECK constraints in the schema)."""

from __future__ import annotations

from enum import StrEnum


class TlsMode(StrEnum):
    SSL = "ssl"
    STARTTLS = "starttls"
    PLAIN = "plain"


class Provider(StrEnum):
    GENERIC = "generic"
    MICROSOFT365 = "microsoft365"
    GMAIL = "gmail"


class AuthMode(StrEnum):
    PASSWORD = "password"
    OAUTH2 = "oauth2"


class OAuth2Grant(StrEnum):
    CLIENT_CREDENTIALS = "client_credentials"
    JWT_BEARER = "jwt_bearer"
    REFRESH_TOKEN = "refresh_token"


class SaslMechanism(StrEnum):
    AUTO = "auto"
    XOAUTH2 = "xoauth2"
    OAUTHBEARER = "oauthbearer"


class TaskStatus(StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TestStatus(StrEnum):
    UNTESTED = "untested"
    OK = "ok"
    FAIL = "fail"


class Trigger(StrEnum):
    MANUAL = "manual"
    SCHEDULED = "scheduled"


class RunStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    ABANDONED = "abandoned"  # the workers vanished (heartbeat stopped): infrastructure, not mail errors


class AccountRunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    OK = "ok"
    PARTIAL = "partial"  # finished, some messages refused
    FAILED = "failed"
    CANCELLED = "cancelled"
    ABANDONED = "abandoned"


def check_in(column: str, enum: type[StrEnum]) -> str:
    """SQL for a CHECK constraint that limits `column` to the enum's values."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} IN ({values})"


class Role(StrEnum):
    """What a user may do (docs/security.md): each role includes the ones below it."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank
