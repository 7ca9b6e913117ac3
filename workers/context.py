"""Per-process resources of a worker (settings, DB engine and sessions, Redis, the secret box).

Made on first use, never at import time, so that `celery -A workers.celery_app` can import this
module in the parent process without opening connections that forked children would then share.
"""

from __future__ import annotations

from app.config import get_settings
from app.resources import Resources

_resources: Resources | None = None


def resources() -> Resources:
    global _resources
    if _resources is None:
        _resources = Resources.from_settings(get_settings())
    return _resources


def after_fork() -> None:
    """In a forked child: drop the parent's pooled DB connections without closing them under it.

    SQLAlchemy's pooling guide: `dispose(close=False)` makes the child open its own connections
    while the parent's sockets stay intact for the parent (redis-py resets its pools by PID itself).
    """
    if _resources is not None:
        _resources.engine.dispose(close=False)
