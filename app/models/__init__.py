"""All models, imported here so Alembic and the mappers see every table."""

from app.models.account import Account
from app.models.audit import AuditEntry
from app.models.endpoint import Endpoint
from app.models.enums import AccountRunStatus, Role, RunStatus, TaskStatus, TestStatus, TlsMode, Trigger
from app.models.notification import Notification, NotificationSettings
from app.models.run import AccountRun, Run
from app.models.sync_state import FolderState, MessageMap
from app.models.task import Task
from app.models.user import ApiToken, User

__all__ = [
    "Account",
    "AccountRun",
    "AccountRunStatus",
    "ApiToken",
    "AuditEntry",
    "Endpoint",
    "FolderState",
    "MessageMap",
    "Notification",
    "NotificationSettings",
    "Role",
    "Run",
    "RunStatus",
    "Task",
    "TaskStatus",
    "TestStatus",
    "TlsMode",
    "Trigger",
    "User",
]
