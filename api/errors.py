"""Turning the domain's errors into HTTP answers, in one place."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from obligations.errors import Conflict, InvalidInput, NotFound, ObligationsError

FIELD_PREFIX = re.compile(r"^(?P<field>[a-z_]+|--[a-z-]+): (?P<message>.*)$", re.DOTALL)


class Unauthorized(ObligationsError):
    """No token, or one that is unknown or revoked (HTTP 401)."""


class Forbidden(ObligationsError):
    """A valid token without the right (HTTP 403)."""


STATUS = {InvalidInput: 422, NotFound: 404, Conflict: 409, Unauthorized: 401, Forbidden: 403}


def error_body(error: ObligationsError) -> dict[str, object]:
    message = str(error)
    match = FIELD_PREFIX.match(message)
    if isinstance(error, InvalidInput) and match:
        field = match.group("field").lstrip("-").replace("-", "_")
        return {
            "detail": [
                {"loc": ["body", field], "msg": match.group("message"), "type": "value_error"}
            ]
        }
    return {"detail": message}


def install(app: FastAPI) -> None:
    @app.exception_handler(ObligationsError)
    async def domain_error(_request: Request, error: ObligationsError) -> JSONResponse:
        status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error_body(error), status_code=status, headers=headers)
