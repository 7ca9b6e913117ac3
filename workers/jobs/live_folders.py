"""The running account's per-folder view (each folder of its plan: waiting, copying or done, with its
counts), kept beside the events that show it live and saved with the progress, so a page reloaded
mid-run lists the folders at once (docs/console.md, "Per-folder live view"). It folds the same
events as the browser's frontend/src/features/runs/lib/live-folders.ts: counts only grow, and a
folder missing from the plan is added when it starts."""

from __future__ import annotations

from typing import Any

from app.schemas.runs import LiveFolder
from workers.engine.results import FolderPlanItem, FolderResult


class LiveFolders:
    def __init__(self) -> None:
        self._folders: dict[str, LiveFolder] = {}

    def plan(self, items: tuple[FolderPlanItem, ...]) -> None:
        """A new plan (a new attempt too) starts the list afresh, as the browser does."""
        self._folders = {
            item.src: LiveFolder(
                folder=item.src,
                dst=item.dst,
                state="planned",
                planned=item.messages if item.pending is None else item.pending,
            )
            for item in items
        }

    def _get(self, folder: str, dst: str | None) -> LiveFolder:
        return self._folders.get(folder) or LiveFolder(
            folder=folder, dst=dst or folder, state="planned", planned=None
        )

    def started(self, folder: str, dst: str) -> None:
        current = self._get(folder, dst)
        if current.state != "done":
            self._folders[folder] = current.model_copy(update={"state": "running"})

    def progress(self, folder: str, copied: int, skipped: int, errors: int, total: int) -> None:
        current = self._get(folder, None)
        self._folders[folder] = current.model_copy(
            update={
                "state": "done" if current.state == "done" else "running",
                "planned": total if current.planned is None else current.planned,
                **_grown(current, copied, skipped, errors),
            }
        )

    def done(self, result: FolderResult) -> None:
        """`result`: the folder's figures, earlier attempts included."""
        current = self._get(result.folder, result.dst_folder)
        self._folders[result.folder] = current.model_copy(
            update={
                "state": "done",
                "status": result.status,
                **_grown(current, result.copied, result.skipped, result.errors),
            }
        )

    def dump(self) -> list[dict[str, Any]]:
        return [folder.model_dump(mode="json") for folder in self._folders.values()]


def _grown(current: LiveFolder, copied: int, skipped: int, errors: int) -> dict[str, int]:
    return {
        "copied": max(current.copied, copied),
        "skipped": max(current.skipped, skipped),
        "errors": max(current.errors, errors),
    }
