"""The websocket events' contract: one model per type, mirrors of the engine's models kept equal,
published in the OpenAPI document, and the pace (rates, ETA) the worker computes."""

from __future__ import annotations

from typing import get_args

from pydantic import BaseModel

from app.openapi_dump import document
from app.schemas import events
from workers.engine import results
from workers.jobs.rates import SlidingRate

EVENT_TYPES = {
    "run_started",
    "plan",
    "account_started",
    "folder",
    "progress",
    "account_done",
    "account_test",
    "error",
    "cancelled",
    "run_done",
    "task_broken",
}


def _members() -> tuple[type[BaseModel], ...]:
    union = get_args(events.TaskEvent)[0]
    return get_args(union)


def test_one_model_per_event_type() -> None:
    types = [member.model_fields["type"].default for member in _members()]
    assert sorted(types) == sorted(EVENT_TYPES)


def test_the_union_picks_the_model_by_type() -> None:
    raw = '{"type": "cancelled", "task_id": 3, "run_id": 7, "data": {}, "ts": "2026-01-01"}'
    event = events.TASK_EVENT.validate_json(raw)
    assert isinstance(event, events.CancelledEvent) and event.run_id == 7


def test_an_event_with_the_wrong_data_is_refused() -> None:
    bad = {"type": "run_done", "task_id": 1, "data": {"status": "done"}, "ts": "2026-01-01T00:00:00Z"}
    try:
        events.TASK_EVENT.validate_python(bad)
    except ValueError:
        return
    raise AssertionError("a run_done without its totals validated")


def test_every_event_serializes_every_key() -> None:
    event = events.ProgressEvent(task_id=1, data=events.ProgressData(waiting="throttled"))
    dumped = event.model_dump(mode="json")
    assert set(dumped) == {"type", "task_id", "run_id", "account_id", "data", "ts"}
    assert dumped["ts"].endswith("Z") and dumped["data"]["account"] is None


def test_the_mirrors_of_the_engine_models_keep_their_fields() -> None:
    # app/ never imports the engine: these models copy its fields, and must not drift from them.
    assert set(events.PlannedFolder.model_fields) == set(results.FolderPlanItem.model_fields)
    assert set(events.AccountPlan.model_fields) == set(results.AccountPlan.model_fields)
    assert set(events.ErrorData.model_fields) == set(results.ErrorRecord.model_fields)
    assert set(results.FolderResult.model_fields) <= set(events.FolderData.model_fields)


def test_the_openapi_document_publishes_every_event() -> None:
    schemas = document()["components"]["schemas"]
    mapping = schemas["TaskEvent"]["discriminator"]["mapping"]
    assert set(mapping) == EVENT_TYPES
    for ref in mapping.values():
        name = ref.rsplit("/", 1)[1]
        assert {"type", "task_id", "run_id", "account_id", "data", "ts"} <= set(schemas[name]["required"])
    assert {"msgs_per_s", "bytes_per_s", "eta_seconds"} <= set(schemas["AccountTotals"]["properties"])
    assert {"planned_messages", "planned_bytes"} <= set(schemas["PlanData"]["required"])


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_pace_is_measured_over_a_sliding_window() -> None:
    clock = _Clock()
    rate = SlidingRate(window=10.0, clock=clock)
    assert rate.add(0, 0, planned=1000).msgs_per_s is None  # one sample: no rate yet
    for second in range(1, 21):  # 10 messages (1 kB) a second for 20 s
        clock.now = 100.0 + second
        pace = rate.add(10 * second, 1000 * second, planned=1000)
    assert pace.msgs_per_s == 10.0 and pace.bytes_per_s == 1000.0
    assert pace.eta_seconds == 80.0  # 800 left at 10/s
    clock.now += 5  # a stall: the window still holds the fast seconds, so the rate drops, not to 0
    slowed = rate.add(200, 20_000, planned=1000)
    assert slowed.msgs_per_s is not None and 0 < slowed.msgs_per_s < 10.0
    rate.reset()
    assert rate.add(200, 20_000).msgs_per_s is None
