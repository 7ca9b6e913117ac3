"""Progress events passed to `on_event`: the jobs publish them, the CLI draws a progress line.

Each event is a frozen dataclass with a `kind`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from workers.engine.results import ErrorRecord, FolderPlanItem, FolderResult, QuotaCheck


@dataclass(frozen=True)
class _Event:
    """Base of the engine's events."""


@dataclass(frozen=True)
class PlanMade(_Event):
    """The folder plan, once per run before copying."""

    folders: tuple[FolderPlanItem, ...]
    excluded: tuple[str, ...]
    quota: QuotaCheck | None = None  # with `warning` when the account clearly cannot fit
    kind: Literal["plan"] = "plan"


@dataclass(frozen=True)
class FolderStarted(_Event):
    folder: str
    dst_folder: str
    kind: Literal["folder_started"] = "folder_started"


@dataclass(frozen=True)
class Progress(_Event):
    """After each batch: running totals for the folder (`total`: new messages this pass)."""

    folder: str
    copied: int
    skipped: int
    errors: int
    bytes: int
    done: int
    total: int
    kind: Literal["progress"] = "progress"


@dataclass(frozen=True)
class FolderDone(_Event):
    result: FolderResult
    kind: Literal["folder_done"] = "folder_done"


@dataclass(frozen=True)
class ErrorFound(_Event):
    error: ErrorRecord
    kind: Literal["error"] = "error"


EngineEvent = PlanMade | FolderStarted | Progress | FolderDone | ErrorFound
EventSink = Callable[[EngineEvent], None]


def ignore_event(event: EngineEvent) -> None:
    """The default sink."""
