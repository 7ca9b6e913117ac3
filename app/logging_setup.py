"""Logging: plain text for a terminal, or one JSON object per line (LOG_FORMAT=json).

Job code wraps its work in `log_context(run_id=..., task_id=..., account_id=...)`; every line logged
inside carries those ids (as JSON fields, or `key=value` at the end of a text line).
"""

from __future__ import annotations

import contextvars
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s%(context)s"
_context: contextvars.ContextVar[dict[str, object] | None]
_context = contextvars.ContextVar("log_context", default=None)


@contextmanager
def log_context(**ids: object) -> Iterator[None]:
    """Attach ids (run_id, task_id, account_id, ...) to every log line emitted inside the block."""
    token = _context.set({**(_context.get() or {}), **{k: v for k, v in ids.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ids = _context.get() or {}
        for key, value in ids.items():
            setattr(record, key, value)
        record.context = "".join(f" {k}={v}" for k, v in ids.items())
        return True


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Configure the root logger once per process (idempotent)."""
    root = logging.getLogger()
    if getattr(root, "_imapcopier_configured", False):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ContextFilter())
    if fmt == "json":
        fields = "%(asctime)s %(levelname)s %(name)s %(message)s"
        handler.setFormatter(JsonFormatter(fields, reserved_attrs=[*_RESERVED, "context"]))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root._imapcopier_configured = True  # type: ignore[attr-defined]


_RESERVED = [*logging.LogRecord("", 0, "", 0, "", None, None).__dict__, "message", "asctime"]
