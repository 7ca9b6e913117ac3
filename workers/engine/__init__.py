"""The IMAP copy engine. Imports nothing from Flask, Celery, SQLAlchemy or app/.

from workers.engine import CopyOptions, ImapEndpoint, JsonFileState, copy_mailbox

src = ImapEndpoint("imap.old.example", 993, "ssl", "jane", "pw")
dst = ImapEndpoint("imap.new.example", 993, "ssl", "jane", "pw")
with JsonFileState(Path("jane.json")) as state:
    result = copy_mailbox(src, dst, CopyOptions(exclude=("Junk.*",)), state)
print(result.model_dump_json(indent=2))
"""

from workers.engine.copier import compare_mailbox, copy_mailbox, plan_mailbox
from workers.engine.errors import (
    AuthFailed,
    ConnectFailed,
    CopyError,
    FolderUnavailable,
    MessageRefused,
    Throttled,
    TlsFailed,
    TransientImapError,
)
from workers.engine.events import EngineEvent, ErrorFound, FolderDone, FolderStarted, PlanMade, Progress
from workers.engine.imap import ImapEndpoint, test_login
from workers.engine.options import CopyOptions
from workers.engine.results import AccountComparison, AccountPlan, AccountResult, ErrorRecord, FolderResult
from workers.engine.state import FolderCheckpoint, MemoryState, MessageRecord, SyncState
from workers.engine.state_file import JsonFileState

__all__ = [
    "AccountComparison",
    "AccountPlan",
    "AccountResult",
    "AuthFailed",
    "ConnectFailed",
    "CopyError",
    "CopyOptions",
    "EngineEvent",
    "ErrorFound",
    "ErrorRecord",
    "FolderCheckpoint",
    "FolderDone",
    "FolderResult",
    "FolderStarted",
    "FolderUnavailable",
    "ImapEndpoint",
    "JsonFileState",
    "MemoryState",
    "MessageRecord",
    "MessageRefused",
    "PlanMade",
    "Progress",
    "SyncState",
    "Throttled",
    "TlsFailed",
    "TransientImapError",
    "compare_mailbox",
    "copy_mailbox",
    "plan_mailbox",
    "test_login",
]
