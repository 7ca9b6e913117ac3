"""Sending one message: SMTP (smtplib) or a signed webhook POST (urllib). Raises DeliveryError."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from app.services.notifications import signing
from app.services.notifications.channels import SmtpChannel

TIMEOUT_SECONDS = 20


class DeliveryError(Exception):
    """A channel refused or could not be reached; the message is retried later. The text never holds
    a secret (it names the server and the protocol's reply)."""


def render_text(payload: dict[str, Any]) -> str:
    """The plain-text e-mail body for any notification payload."""
    lines = [payload["summary"], ""]
    if task := payload.get("task"):
        lines.append(f"Task: {task['name']} (id {task['id']})")
    if run := payload.get("run"):
        lines.append(
            f"Run: {run['id']} ({run['trigger']}), status {run['status']}, started {run['started_at']}, "
            f"finished {run['finished_at']}, copied {run['total_copied']}, errors {run['total_errors']}"
        )
    if accounts := payload.get("failed_accounts"):
        lines += ["", "Accounts that failed:"]
        lines += [
            f"- {a['src_username']} -> {a['dst_username']} (account {a['account_id']}): "
            f"{a['errors']} error(s); {a['first_error'] or ''}"
            for a in accounts
        ]
    if errors := payload.get("errors"):
        lines += ["", "First errors:", *(f"- {e}" for e in errors)]
    if url := payload.get("reenable_url"):
        lines += [
            "",
            "The schedule was turned off so that no more runs start unattended. To re-enable it, fix the",
            f"accounts, then open {url} and set the schedule again.",
        ]
    if digest := payload.get("digest"):
        lines += ["", f"Since {digest['since']} until {digest['until']}:"]
        lines += [
            f"- {t['name']} (id {t['id']}): {t['runs']} run(s), {t['copied']} copied, {t['errors']} error(s)"
            + (" [broken]" if t["broken"] else "")
            for t in digest["tasks"]
        ]
        lines += ["", "Broken tasks:", *(f"- {t['name']} (id {t['id']})" for t in digest["broken_tasks"])]
        lines += ["", "Accounts failing run after run:"]
        lines += [
            f"- {a['src_username']} (task {a['task_id']}): {a['failed_passes']} passes in a row"
            for a in digest["failing_accounts"]
        ]
    return "\n".join(lines) + "\n"


def send_email(smtp: SmtpChannel, to: list[str], subject: str, text: str, ca_file: str | None = None) -> None:
    """Certificates are verified (system CAs, plus `ca_file`); `none` security sends in clear."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.from_address, ", ".join(to), subject
    message["Date"], message["Message-ID"] = formatdate(localtime=False), make_msgid(domain="imapcopier")
    message.set_content(text)
    context = ssl.create_default_context(cafile=ca_file)
    try:
        client: smtplib.SMTP
        if smtp.security == "tls":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if smtp.username:
                client.login(smtp.username, smtp.password or "")
            client.send_message(message, to_addrs=to)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"SMTP login refused by {smtp.host}:{smtp.port} ({exc.smtp_code})") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {smtp.host}:{smtp.port}: {exc.__class__.__name__}: {exc}"[:500]) from exc


def post_webhook(url: str, secret: str, body: bytes, timestamp: int, event: str) -> None:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "imapcopier-webhook/1",
            "X-ImapCopier-Event": event,
            signing.HEADER: signing.sign(secret, body, timestamp),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"webhook answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"webhook unreachable: {exc.__class__.__name__}") from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"webhook answered HTTP {status}")


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
