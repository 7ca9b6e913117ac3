"""Application errors: a typed hierarchy with HTTP status and stable codes, rendered in one place."""

from __future__ import annotations


class AppError(Exception):
    """Base of every error the API reports to a client as `{"error": {code, message, fields}}`."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def to_dict(self) -> dict[str, object]:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class BadRequest(AppError):
    status = 400
    code = "bad_request"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class Invalid(AppError):
    """The request is well-formed JSON but a field's value is not acceptable."""

    status = 422
    code = "invalid"


class RateLimited(AppError):
    status = 429
    code = "rate_limited"


class ImapUnavailable(AppError):
    """A job that had to talk IMAP for the request (the dry-run plan) could not."""

    status = 502
    code = "imap_error"


class JobTimeout(AppError):
    """The job a request waits for (the dry-run plan) did not answer in time: no worker running?"""

    status = 504
    code = "timeout"
