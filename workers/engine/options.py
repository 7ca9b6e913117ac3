"""Options of one account copy (what the task or the CLI asked for, and the engine's limits)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from workers.engine.plan import MappingRules

MB = 1024 * 1024


@dataclass(frozen=True)
class CopyOptions:
    """Folder selection and tuning. Defaults suit a loopback pair as well as a remote host.

    - `folder_mapping`: source folder -> destination folder (full names; children follow).
    - `include` / `exclude`: folder names (with their subtree) or full-match regexes.
    - `select`: decides instead of `include`/`exclude` when set: (source name, separator) -> why the
      folder is left out, or None (a task's rules; plan.py, MappingRules).
    - `batch_bytes` / `batch_messages`: one FETCH + one MULTIAPPEND per batch; a larger message
      travels alone. Memory stays around a few times `batch_bytes` per lane (measured: a mailbox of
      7.8 MB messages peaks at 78 MB RSS on one lane, 109 MB on two).
    - `large_message_bytes`: a message bigger than this is spooled to a temporary file and streamed
      into its APPEND instead of being held in memory (see large.py).
    - `parallel_folders`: folders copied at once, each on its own source/destination connection pair,
      when the pass has at least `parallel_min_messages` messages to look at (see lanes.py). An account
      thus uses up to `parallel_folders` connections to each server; 1 copies one folder at a time.
    - `compress`: COMPRESS=DEFLATE (RFC 4978) on every connection whose server offers it; off by
      default, it wins only on a bandwidth-bound link (docs/performance.md).
    - `gmail_source`: the source is Gmail: All Mail, Important and Starred are left out of the folder
      copy and the messages only in All Mail (archived mail) go to the destination's \\Archive
      folder (gmail.py, docs/providers.md). Set for endpoints with provider `gmail`.
    - `retries`: reconnections in a row that copy nothing, per folder, with exponential backoff
      from `retry_wait` seconds (capped at `retry_wait_max`), before the account fails. A
      reconnection after which a batch was checkpointed starts the count again, so a long folder
      on a link that drops now and then is copied to the end; `max_reconnects` bounds them all
      (docs/decisions.md, "Reconnecting").
    """

    folder_mapping: Mapping[str, str] = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    select: Callable[[str, str], str | None] | None = None
    batch_bytes: int = 8 * MB
    batch_messages: int = 50
    large_message_bytes: int = 8 * MB
    parallel_folders: int = 2
    parallel_min_messages: int = 250
    max_error_records: int = 100
    retries: int = 3
    max_reconnects: int = 100
    retry_wait: float = 1.0
    retry_wait_max: float = 30.0
    sync_flags: bool = True
    compress: bool = False
    gmail_source: bool = False

    @property
    def rules(self) -> MappingRules:
        return MappingRules(dict(self.folder_mapping), tuple(self.include), tuple(self.exclude), self.select)
