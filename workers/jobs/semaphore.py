"""Per-endpoint connection slots in Redis, shared by every worker process: a counting semaphore whose
slots are leases, so a worker killed with SIGKILL cannot leak one (its lease simply runs out).

One sorted set per endpoint: one member per IMAP connection a holder may open ("<token>:<n>"),
score = lease expiry (Redis server time, so worker clocks do not matter). A job takes its slots on
each endpoint it uses atomically (all or none: holding one side while waiting for the other could
deadlock two jobs), renews them with its heartbeat, and releases them when done. A job over the
limit waits; it never fails for that.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import redis

logger = logging.getLogger(__name__)
KEY_PREFIX = "imapcopier:endpoint-slots:"

# KEYS: one sorted set per endpoint; ARGV: token, lease seconds, weight, then one limit per key.
# A holder of weight n has n members "<token>:0".."<token>:<n-1>" (one per connection it may open).
# Expired leases are dropped first; then either every key has room for n more and the members are
# added to all, or nothing changes.
_ACQUIRE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local lease = tonumber(ARGV[2])
local weight = tonumber(ARGV[3])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', t)
  local held = redis.call('ZSCORE', key, ARGV[1] .. ':0') ~= false
  if not held and redis.call('ZCARD', key) + weight > tonumber(ARGV[i + 3]) then
    return 0
  end
end
for _, key in ipairs(KEYS) do
  for n = 0, weight - 1 do
    redis.call('ZADD', key, t + lease, ARGV[1] .. ':' .. n)
  end
  redis.call('EXPIRE', key, math.ceil(lease) + 60)
end
return 1
"""
# Renew only slots still held (XX): a lease that ran out may have been given to someone else.
_RENEW = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local held = 0
for _, key in ipairs(KEYS) do
  for n = 0, tonumber(ARGV[3]) - 1 do
    held = held + redis.call('ZADD', key, 'XX', 'CH', t + tonumber(ARGV[2]), ARGV[1] .. ':' .. n)
  end
  redis.call('EXPIRE', key, math.ceil(tonumber(ARGV[2])) + 60)
end
return held
"""


def slot_key(endpoint_id: int) -> str:
    return f"{KEY_PREFIX}{endpoint_id}"


class EndpointSlots:
    """Slots on a set of endpoints (`limits`: endpoint id -> max simultaneous IMAP connections);
    `weight` slots on each, one per connection the job may open there."""

    def __init__(
        self, client: redis.Redis[bytes], limits: dict[int, int], lease_seconds: float, weight: int = 1
    ) -> None:
        if weight < 1 or weight > min(limits.values()):
            raise ValueError(f"weight {weight} must be between 1 and every limit {limits}")
        self._redis = client
        self.weight = weight
        self._keys = [slot_key(endpoint_id) for endpoint_id in sorted(limits)]
        self._limits = [limits[endpoint_id] for endpoint_id in sorted(limits)]
        self._lease = lease_seconds
        self.token = uuid.uuid4().hex
        self.held = False

    def _script(self, source: str, *args: Any) -> int:
        client: Any = self._redis  # redis-py's eval() is untyped
        return int(client.eval(source, len(self._keys), *self._keys, *args))

    def try_acquire(self) -> bool:
        self.held = self._script(_ACQUIRE, self.token, self._lease, self.weight, *self._limits) == 1
        return self.held

    def renew(self) -> None:
        """Extend the lease (the heartbeat calls this); a lost lease is taken again if there is room."""
        expected = len(self._keys) * self.weight
        if self.held and self._script(_RENEW, self.token, self._lease, self.weight) < expected:
            logger.warning("slots.lease_lost keys=%s", ",".join(self._keys))
            self.try_acquire()

    def release(self) -> None:
        if self.held:
            self.held = False
            pipe = self._redis.pipeline()
            members = [f"{self.token}:{n}" for n in range(self.weight)]
            for key in self._keys:
                pipe.zrem(key, *members)
            pipe.execute()


def wait_sleep(attempt: int) -> float:
    """Poll interval while waiting for a slot: quick at first, then about every 2 s, jittered so
    that waiting jobs do not all retry at the same instant."""
    return min(0.2 * (attempt + 1), 2.0) * random.uniform(0.75, 1.25)


@contextmanager
def endpoint_slots(
    slots: EndpointSlots,
    should_stop: Callable[[], bool],
    on_wait: Callable[[], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[bool]:
    """Hold slots for the duration of the block; yields False if told to stop while still waiting."""
    attempt = 0
    while not slots.try_acquire():
        if should_stop():
            yield False
            return
        if attempt == 0 and on_wait is not None:
            on_wait()
        sleep(wait_sleep(attempt))
        attempt += 1
    try:
        yield True
    finally:
        slots.release()


def holders(client: redis.Redis[bytes], endpoint_ids: Sequence[int]) -> dict[int, int]:
    """How many unexpired slots (connections) each endpoint has out (for tests and diagnostics)."""
    now = time.time()
    return {eid: int(client.zcount(slot_key(eid), now, "+inf")) for eid in endpoint_ids}
