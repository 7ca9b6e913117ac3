"""Notification channels (admin settings), the notification log, and the webhook payload.

Secrets (the SMTP password, webhook secrets) are write-only: a response only says whether one is set.
On PUT, an omitted secret keeps the stored one (for a webhook: the one stored for the same URL).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, Field, StringConstraints

from app.schemas.fields import Host, Password, Port, RequestModel, Username, UtcDateTime
from app.schemas.windows import Email, EmailList

Secret = Annotated[str, StringConstraints(min_length=8, max_length=1000)]
SmtpSecurity = Literal["none", "starttls", "tls"]
Url = Annotated[AnyHttpUrl, Field(description="http(s) URL the JSON payload is POSTed to")]


class SmtpIn(RequestModel):
    host: Host
    port: Port = 587
    security: SmtpSecurity = "starttls"
    username: Username | None = None
    password: Password | None = Field(None, description="Write-only; omit to keep the stored one")
    clear_password: bool = Field(False, description="Remove the stored password")
    from_address: Email
    recipients: EmailList = Field(default_factory=list, description="Admin recipients (and of the digest)")


class WebhookIn(RequestModel):
    url: Url
    secret: Secret | None = Field(None, description="Write-only; omit to keep the one stored for this URL")


class NotificationSettingsIn(RequestModel):
    smtp: SmtpIn | None = Field(None, description="null: no e-mail")
    webhooks: list[WebhookIn] = Field(default_factory=list, max_length=20)


class SmtpOut(BaseModel):
    host: str
    port: int
    security: SmtpSecurity
    username: str | None
    password_set: bool
    from_address: str
    recipients: list[str]


class WebhookOut(BaseModel):
    url: str
    secret_set: bool


class NotificationSettingsOut(BaseModel):
    smtp: SmtpOut | None
    webhooks: list[WebhookOut]


class Attempt(BaseModel):
    at: UtcDateTime
    ok: bool
    error: str | None = None


NotificationKind = Literal["task_broken", "run_failed", "digest", "test"]
NotificationStatus = Literal["pending", "sending", "retrying", "sent", "failed"]


class NotificationOut(BaseModel):
    id: int
    kind: NotificationKind
    channel: Literal["email", "webhook"]
    target: str
    task_id: int | None
    run_id: int | None
    subject: str
    status: NotificationStatus
    attempts: list[Attempt]
    created_at: UtcDateTime
    sent_at: UtcDateTime | None


class NotificationsQuery(RequestModel):
    limit: int = Field(100, ge=1, le=500)


# The webhook payload: what each delivery POSTs (and what an e-mail says), one model for all kinds.
class PayloadTask(BaseModel):
    id: int
    name: str


class PayloadRun(BaseModel):
    id: int
    trigger: str
    status: str
    started_at: UtcDateTime
    finished_at: UtcDateTime | None
    total_copied: int
    total_errors: int


class FailedAccount(BaseModel):
    account_id: int
    src_username: str
    dst_username: str
    errors: int
    first_error: str | None


class DigestTask(BaseModel):
    id: int
    name: str
    runs: int
    copied: int
    errors: int
    broken: bool


class FailingAccount(BaseModel):
    account_id: int
    task_id: int
    src_username: str
    failed_passes: int = Field(description="Consecutive finished runs in which this account failed")


class Digest(BaseModel):
    since: UtcDateTime
    until: UtcDateTime
    runs: int
    copied: int
    errors: int
    tasks: list[DigestTask]
    broken_tasks: list[PayloadTask]
    failing_accounts: list[FailingAccount]


class WebhookPayload(BaseModel):
    """The JSON body of every webhook delivery (`X-ImapCopier-Signature: t=<unix>,v1=<hex HMAC-SHA256(
    secret, "<t>.<body>")>`); a receiver recomputes the HMAC over the raw body and rejects old `t`."""

    event: NotificationKind
    notification_id: int
    created_at: UtcDateTime
    summary: str
    task: PayloadTask | None = None
    run: PayloadRun | None = None
    failed_accounts: list[FailedAccount] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list, description="The first error messages of the run")
    reenable_url: str | None = Field(None, description="Where to turn the schedule back on (task_broken)")
    digest: Digest | None = None


class TestOut(BaseModel):
    notifications: list[NotificationOut]
