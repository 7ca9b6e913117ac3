"""OAuth2 access tokens for jobs: cached per (endpoint, mailbox) in Redis, shared by every worker,
Fernet-encrypted there, and renewed before they expire (docs/oauth2.md)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import replace

import redis
from redis.exceptions import LockError

from app.crypto import CredentialsKeyError, SecretBox
from workers.engine.grants import GrantSpec, fetch_token, renew_after

logger = logging.getLogger(__name__)
KEY_PREFIX = "imapcopier:oauth2:token"


def cache_key(endpoint_id: int, mailbox: str) -> str:
    # The mailbox is hashed: Redis keys show up in monitoring tools, mailbox names need not.
    digest = hashlib.sha256(mailbox.strip().lower().encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{endpoint_id}:{digest}"


class RedisTokenProvider:
    """The engine's token provider for one side of one account (called at every connect)."""

    def __init__(
        self,
        client: redis.Redis[bytes],
        box: SecretBox,
        endpoint_id: int,
        mailbox: str,
        spec: GrantSpec,
        on_rotated: Callable[[str], None] | None = None,
    ) -> None:
        """`on_rotated` stores a new refresh token when the token endpoint rotates them."""
        self.redis, self.box, self.spec = client, box, spec
        self.endpoint_id, self.mailbox = endpoint_id, mailbox
        self.key = cache_key(endpoint_id, mailbox)
        self.on_rotated = on_rotated

    def __call__(self, force_refresh: bool) -> str:
        if not force_refresh and (cached := self._cached()):
            return cached
        try:
            # One renewal at a time per mailbox: the other workers wait and then read the new token.
            with self.redis.lock(f"{self.key}:lock", timeout=60, blocking_timeout=60):
                if not force_refresh and (cached := self._cached()):
                    return cached
                return self._renew()
        except LockError:
            return self._renew()

    def _cached(self) -> str | None:
        raw = self.redis.get(self.key)
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            if time.time() >= float(entry["renew_at"]):
                return None
            return self.box.decrypt(entry["token"].encode())
        except (ValueError, KeyError, TypeError, CredentialsKeyError):
            return None

    def _renew(self) -> str:
        """Raises: TokenFailed."""
        fresh = fetch_token(self.spec, self.mailbox)
        if fresh.refresh_token:
            # Use the new one from now on; the old one may stop working once the new one is used.
            self.spec = replace(self.spec, refresh_token=fresh.refresh_token)
            if self.on_rotated is not None:
                self.on_rotated(fresh.refresh_token)
        entry = {
            "token": self.box.encrypt(fresh.token).decode(),
            "renew_at": time.time() + renew_after(fresh.expires_in),
        }
        self.redis.set(self.key, json.dumps(entry), ex=max(1, fresh.expires_in))
        logger.info(
            "oauth2.token_renewed endpoint_id=%s grant=%s expires_in=%s",
            self.endpoint_id,
            self.spec.grant,
            fresh.expires_in,
        )
        return fresh.token
