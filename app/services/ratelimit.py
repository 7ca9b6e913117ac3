"""Fixed-window counters in Redis (login attempts)."""

from __future__ import annotations

import redis


class LoginThrottle:
    """Counts failed logins per (client address, username) in a window; refuses past the limit."""

    def __init__(self, client: redis.Redis[bytes], limit: int, window_seconds: int) -> None:
        self._redis = client
        self._limit = limit
        self._window = window_seconds

    def _key(self, address: str, username: str) -> str:
        return f"imapcopier:login-fail:{address}:{username.lower()}"

    def blocked(self, address: str, username: str) -> bool:
        count = self._redis.get(self._key(address, username))
        return count is not None and int(count) >= self._limit

    def failed(self, address: str, username: str) -> None:
        key = self._key(address, username)
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, self._window, nx=True)
        pipe.execute()

    def succeeded(self, address: str, username: str) -> None:
        self._redis.delete(self._key(address, username))
