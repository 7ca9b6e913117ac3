"""The running account's per-folder view the job saves with its progress (workers/jobs/live_folders.py):
the same fold as the browser's live-folders.ts."""

from __future__ import annotations

from workers.engine.results import FolderPlanItem, FolderResult
from workers.jobs.live_folders import LiveFolders


def _plan() -> tuple[FolderPlanItem, ...]:
    return (
        FolderPlanItem(src="INBOX", dst="INBOX", reason="inbox", dst_exists=True, messages=120, pending=None),
        FolderPlanItem(src="Sent", dst="Sent", reason="special-use", dst_exists=True, messages=30, pending=4),
        FolderPlanItem(src="Notes", dst="Notes", reason="translated", dst_exists=False, messages=9),
    )


def test_planned_then_running_then_done_with_counts_that_only_grow() -> None:
    live = LiveFolders()
    live.plan(_plan())
    live.started("INBOX", "INBOX")
    live.progress("INBOX", 50, 10, 1, 120)
    live.progress("INBOX", 40, 10, 1, 120)  # a late event never moves a count back
    live.done(FolderResult(folder="Sent", dst_folder="Sent", status="partial", copied=3, errors=1))
    by_name = {f["folder"]: f for f in live.dump()}
    assert [f["folder"] for f in live.dump()] == ["INBOX", "Sent", "Notes"]
    assert by_name["INBOX"] == {
        "folder": "INBOX", "dst": "INBOX", "state": "running", "planned": 120,
        "copied": 50, "skipped": 10, "errors": 1, "status": None,
    }  # fmt: skip
    assert (by_name["Sent"]["state"], by_name["Sent"]["planned"], by_name["Sent"]["status"]) == (
        "done",
        4,
        "partial",
    )
    assert (by_name["Notes"]["state"], by_name["Notes"]["planned"]) == ("planned", 9)


def test_a_folder_missing_from_the_plan_is_added_when_it_starts_and_a_done_one_stays_done() -> None:
    live = LiveFolders()
    live.plan(_plan())
    live.done(FolderResult(folder="INBOX", dst_folder="INBOX", status="ok", copied=120))
    live.started("INBOX", "INBOX")
    live.progress("Archive/2020", 5, 0, 0, 8)
    states = {f["folder"]: (f["state"], f["planned"]) for f in live.dump()}
    assert states["INBOX"] == ("done", 120)
    assert states["Archive/2020"] == ("running", 8)
    live.plan(_plan()[:1])  # a new attempt's plan starts afresh
    assert [f["folder"] for f in live.dump()] == ["INBOX"]
