"""Turning the domain's errors into HTTP answers, in one place."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from obligations.errors import (
    Conflict,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
    ObligationsError,
)

FIELD_PREFIX = re.compile(r"^(?P<field>[a-z_]+|--[a-z-]+): (?P<message>.*)$", re.DOTALL)


class Unauthorized(ObligationsError):
    """No token, or one that is unknown or revoked (HTTP 401)."""


class Forbidden(ObligationsError):
    """A valid token without the right (HTTP 403)."""


class TooManyAttempts(ObligationsError):
    """Too many failed sign-ins or bearer tokens from one client (HTTP 429)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


STATUS = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    Unauthorized: 401,
    Forbidden: 403,
    TooManyAttempts: 429,
    DatabaseUnavailable: 503,
}
# How long a client is asked to wait when the database cannot be reached.
DATABASE_RETRY_SECONDS = 30
DATABASE_DOWN = (
    "the database cannot be reached just now; nothing was read or written. "
    f"Try again in {DATABASE_RETRY_SECONDS} seconds."
)


def status_of(error: ObligationsError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


def field_message(error: ObligationsError) -> tuple[str | None, str]:
    """('received', 'is in the future') from 'received: 2030-01-01 is in the future'."""
    match = FIELD_PREFIX.match(str(error))
    if match is None:
        return None, str(error)
    return match.group("field").lstrip("-").replace("-", "_"), match.group("message")


def error_body(error: ObligationsError) -> dict[str, object]:
    field, message = field_message(error)
    if isinstance(error, InvalidInput) and field is not None:
        return {"detail": [{"loc": ["body", field], "msg": message, "type": "value_error"}]}
    return {"detail": str(error)}


def error_headers(error: ObligationsError) -> dict[str, str]:
    """What a client needs besides the body: how to authenticate, or when to come back."""
    if isinstance(error, Unauthorized):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(error, TooManyAttempts):
        return {"Retry-After": str(error.retry_after)}
    if isinstance(error, DatabaseUnavailable):
        return {"Retry-After": str(DATABASE_RETRY_SECONDS)}
    return {}


def install(app: FastAPI) -> None:
    @app.exception_handler(ObligationsError)
    async def domain_error(_request: Request, error: ObligationsError) -> JSONResponse:
        return JSONResponse(
            error_body(error), status_code=status_of(error), headers=error_headers(error)
        )
