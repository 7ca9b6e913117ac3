"""The notification channels (one settings row): read, replace, and decrypt for delivery.

Secrets are Fernet-encrypted with the installation's key and never returned: responses say `*_set`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.crypto import SecretBox
from app.errors import Invalid
from app.models import NotificationSettings
from app.schemas.notifications import NotificationSettingsIn, NotificationSettingsOut, SmtpOut, WebhookOut

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpChannel:
    host: str
    port: int
    security: str
    username: str | None
    password: str | None
    from_address: str
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class WebhookChannel:
    url: str
    secret: str


def load(session: Session, *, lock: bool = False) -> NotificationSettings | None:
    return session.get(NotificationSettings, 1, with_for_update=lock)


def describe(row: NotificationSettings | None) -> NotificationSettingsOut:
    if row is None:
        return NotificationSettingsOut(smtp=None, webhooks=[])
    smtp = None
    if row.smtp_host and row.smtp_from:
        smtp = SmtpOut(
            host=row.smtp_host,
            port=row.smtp_port,
            security=row.smtp_security,
            username=row.smtp_username,
            password_set=bool(row.smtp_password_enc),
            from_address=row.smtp_from,
            recipients=list(row.smtp_recipients),
        )
    hooks = [WebhookOut(url=hook["url"], secret_set=bool(hook.get("secret_enc"))) for hook in row.webhooks]
    return NotificationSettingsOut(smtp=smtp, webhooks=hooks)


def replace(session: Session, box: SecretBox, body: NotificationSettingsIn) -> NotificationSettings:
    """Store the channels; an omitted secret keeps the stored one (a webhook's: for the same URL).

    A webhook without a secret (new URL, none given) is refused: every delivery must be signed.
    Raises: Invalid.
    """
    row = load(session, lock=True)
    if row is None:
        row = NotificationSettings(id=1, smtp_recipients=[], webhooks=[])
        session.add(row)
    if body.smtp is None:
        row.smtp_host = row.smtp_from = row.smtp_username = None
        row.smtp_password_enc = None
        row.smtp_recipients = []
    else:
        smtp = body.smtp
        row.smtp_host, row.smtp_port, row.smtp_security = smtp.host, smtp.port, smtp.security
        row.smtp_username, row.smtp_from = smtp.username, smtp.from_address
        row.smtp_recipients = list(smtp.recipients)
        if smtp.password is not None:
            row.smtp_password_enc = box.encrypt(smtp.password)
        elif smtp.clear_password:
            row.smtp_password_enc = None
    stored = {hook["url"]: hook.get("secret_enc") for hook in row.webhooks}
    hooks: list[dict[str, str]] = []
    for index, hook in enumerate(body.webhooks):
        url = str(hook.url)
        secret_enc = box.encrypt(hook.secret).decode() if hook.secret is not None else stored.get(url)
        if not secret_enc:
            raise Invalid(
                "a new webhook needs a secret", {f"webhooks.{index}.secret": "required for a new URL"}
            )
        hooks.append({"url": url, "secret_enc": secret_enc})
    row.webhooks = hooks
    session.flush()
    logger.info("notifications.settings_saved smtp=%s webhooks=%d", row.smtp_host is not None, len(hooks))
    return row


def smtp_channel(row: NotificationSettings | None, box: SecretBox) -> SmtpChannel | None:
    if row is None or not row.smtp_host or not row.smtp_from:
        return None
    password = box.decrypt(row.smtp_password_enc) if row.smtp_password_enc else None
    return SmtpChannel(
        row.smtp_host,
        row.smtp_port,
        row.smtp_security,
        row.smtp_username,
        password,
        row.smtp_from,
        tuple(row.smtp_recipients),
    )


def webhook_secret(row: NotificationSettings | None, box: SecretBox, url: str) -> str | None:
    for hook in row.webhooks if row is not None else []:
        if hook["url"] == url and hook.get("secret_enc"):
            return box.decrypt(hook["secret_enc"].encode())
    return None


def webhook_urls(row: NotificationSettings | None) -> list[str]:
    return [hook["url"] for hook in row.webhooks] if row is not None else []
