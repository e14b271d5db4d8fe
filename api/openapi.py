"""The OpenAPI schema says what every route may answer: the errors it can give, in one place.

FastAPI documents 200 and 422 by itself; the domain's errors (401, 403, 404, 409), the database
being down (503) and the State code's pattern are added here, so every route, old or new, is
described alike.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

STATE_CODE_PATTERN = "^[A-Z]{3}$"
WRITES = {"post", "patch", "put", "delete"}
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "title": "Detail",
            "description": "What is wrong, in a sentence; for malformed input, each field.",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}],
        }
    },
}
DESCRIPTIONS = {
    "401": "No bearer token, or one unknown or revoked",
    "403": "The token does not give this right",
    "404": "No such State or id",
    "409": "Conflicts with the record",
    "422": "Malformed input: each field and what is wrong with it",
    "429": "Too many failed attempts from this client; wait Retry-After seconds",
    "503": "The database cannot be reached just now; try again after Retry-After seconds",
}


def error_response(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status in ("429", "503"):
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return response


def statuses_of(method: str, operation: dict[str, Any]) -> list[str]:
    """The errors an operation can answer, from what it takes and whether it is protected."""
    parameters = operation.get("parameters", [])
    statuses = ["503"]
    if parameters or "requestBody" in operation:
        statuses.append("422")
    if any(p.get("in") == "path" for p in parameters):
        statuses.append("404")
    if operation.get("security"):
        statuses += ["401", "403", "429"]
        if method in WRITES:
            statuses.append("409")
    return statuses


def describe_errors(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status in statuses_of(method, operation):
                responses.setdefault(status, error_response(status))
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "code":
                    parameter["schema"] = {**parameter["schema"], "pattern": STATE_CODE_PATTERN}
    return schema


def install(app: FastAPI) -> None:
    """Build the schema once, on first request, with the error responses added."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    summary=app.summary,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
