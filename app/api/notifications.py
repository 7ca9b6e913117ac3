"""Notification channels (admin settings), "send a test", and the notification log."""

from __future__ import annotations

import uuid

from flask import Blueprint

from app.api.spec import operation
from app.db import utcnow
from app.dispatch import deliver_notifications
from app.errors import Conflict
from app.extensions import celery_client, db, resources
from app.schemas.notifications import (
    NotificationOut,
    NotificationSettingsIn,
    NotificationSettingsOut,
    NotificationsQuery,
    TestOut,
)
from app.services.notifications import channels, records

bp = Blueprint("notifications", __name__)


@operation(bp, "/settings/notifications", "GET", response=NotificationSettingsOut)
def get_settings() -> NotificationSettingsOut:
    """The e-mail and webhook channels (secrets only as *_set)."""
    return channels.describe(channels.load(db()))


@operation(
    bp, "/settings/notifications", "PUT", body=NotificationSettingsIn, response=NotificationSettingsOut
)
def put_settings(body: NotificationSettingsIn) -> NotificationSettingsOut:
    """Replace the channels; an omitted secret keeps the stored one."""
    row = channels.replace(db(), resources().box, body)
    db().commit()
    return channels.describe(row)


@operation(bp, "/settings/notifications/test", "POST", response=TestOut, status=202, errors=(409,))
def send_test() -> TestOut:
    """Send a test message on every configured channel; follow it in GET /api/notifications.
    409 when no channel is configured."""
    ids = records.for_test(db(), resources().box, utcnow(), uuid.uuid4().hex)
    if not ids:
        raise Conflict("no notification channel is configured: add e-mail recipients or a webhook first")
    db().commit()
    deliver_notifications(celery_client(), ids)
    return TestOut(notifications=records.by_ids(db(), ids))


@operation(bp, "/notifications", "GET", query=NotificationsQuery, response=list[NotificationOut])
def list_notifications(query: NotificationsQuery) -> list[NotificationOut]:
    """Notifications newest first, each with its status and every delivery attempt."""
    return records.recent(db(), query.limit)
