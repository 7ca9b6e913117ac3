"""Options of one account copy (what the task or the CLI asked for, and the engine's limits)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from workers.engine.plan import MappingRules

MB = 1024 * 1024


@dataclass(frozen=True)
class CopyOptions:
    """Folder selection and tuning. Defaults suit a loopback pair as well as a remote host.

    - `folder_mapping`: source folder -> destination folder (full names; children follow).
    - `include` / `exclude`: folder names (with their subtree) or full-match regexes.
    - `batch_bytes` / `batch_messages`: one FETCH + one MULTIAPPEND per batch; a larger message
      travels alone. Memory stays around a few times `batch_bytes`.
    - `large_message_bytes`: a message bigger than this is spooled to a temporary file and streamed
      into its APPEND instead of being held in memory (see large.py).
    - `retries`: reconnections per folder after a dropped connection, with exponential backoff
      from `retry_wait` seconds (capped at `retry_wait_max`), before the account fails.
    """

    folder_mapping: Mapping[str, str] = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    batch_bytes: int = 8 * MB
    batch_messages: int = 50
    large_message_bytes: int = 8 * MB
    max_error_records: int = 100
    retries: int = 3
    retry_wait: float = 1.0
    retry_wait_max: float = 30.0
    sync_flags: bool = True

    @property
    def rules(self) -> MappingRules:
        return MappingRules(dict(self.folder_mapping), tuple(self.include), tuple(self.exclude))
