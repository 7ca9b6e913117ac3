"""Per-endpoint connection slots in Redis: the limit holds across holders, leases expire, waiting
jobs get in when a slot frees up, and a job takes its slots on both endpoints or none."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import redis

from app.config import Settings
from workers.jobs.semaphore import EndpointSlots, endpoint_slots, holders


@pytest.fixture
def client(settings: Settings) -> Iterator[redis.Redis[bytes]]:
    connection: redis.Redis[bytes] = redis.Redis.from_url(settings.redis_url)
    connection.flushdb()
    yield connection
    connection.close()


def test_no_more_holders_than_the_limit(client: redis.Redis[bytes]) -> None:
    limits = {1: 2}
    first, second, third = (EndpointSlots(client, limits, 30) for _ in range(3))
    assert first.try_acquire() and second.try_acquire()
    assert not third.try_acquire()
    assert holders(client, [1]) == {1: 2}
    first.release()
    assert third.try_acquire()


def test_an_expired_lease_frees_its_slot(client: redis.Redis[bytes]) -> None:
    dead = EndpointSlots(client, {7: 1}, lease_seconds=0.3)  # a killed worker never releases
    assert dead.try_acquire()
    waiting = EndpointSlots(client, {7: 1}, lease_seconds=30)
    assert not waiting.try_acquire()
    time.sleep(0.4)
    assert waiting.try_acquire()


def test_renewal_keeps_a_live_lease(client: redis.Redis[bytes]) -> None:
    live = EndpointSlots(client, {3: 1}, lease_seconds=0.4)
    assert live.try_acquire()
    for _ in range(4):
        time.sleep(0.2)
        live.renew()
    assert not EndpointSlots(client, {3: 1}, 30).try_acquire()


def test_slots_on_two_endpoints_are_taken_all_or_none(client: redis.Redis[bytes]) -> None:
    busy_dst = EndpointSlots(client, {2: 1}, 30)
    assert busy_dst.try_acquire()
    both = EndpointSlots(client, {1: 5, 2: 1}, 30)
    assert not both.try_acquire()
    assert holders(client, [1, 2]) == {1: 0, 2: 1}  # no slot held on the free side meanwhile


def test_waiting_jobs_run_one_at_a_time_under_a_limit_of_one(client: redis.Redis[bytes]) -> None:
    inside, peak, done = [0], [0], []
    lock = threading.Lock()

    def job(n: int) -> None:
        slots = EndpointSlots(client, {9: 1}, 30)
        with endpoint_slots(slots, lambda: False) as acquired:
            assert acquired
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1
        done.append(n)

    threads = [threading.Thread(target=job, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(done) == list(range(5)) and peak[0] == 1


def test_a_stopped_job_gives_up_waiting(client: redis.Redis[bytes]) -> None:
    assert EndpointSlots(client, {4: 1}, 30).try_acquire()
    with endpoint_slots(EndpointSlots(client, {4: 1}, 30), lambda: True) as acquired:
        assert acquired is False


def test_the_cap_counts_connections_when_accounts_use_several(client: redis.Redis[bytes]) -> None:
    """Jobs of two workers holding 2 connections each on a 5-connection endpoint: a third such job
    waits, a one-connection job still fits, and a released job's connections all come back."""
    limits = {4: 5}
    first, second, third = (EndpointSlots(client, limits, 30, weight=2) for _ in range(3))
    assert first.try_acquire() and second.try_acquire()
    assert not third.try_acquire()
    assert holders(client, [4]) == {4: 4}
    single = EndpointSlots(client, limits, 30)
    assert single.try_acquire() and holders(client, [4]) == {4: 5}
    first.renew()
    assert holders(client, [4]) == {4: 5}
    first.release()
    assert third.try_acquire() and holders(client, [4]) == {4: 5}
    with pytest.raises(ValueError, match="weight"):
        EndpointSlots(client, limits, 30, weight=6)
