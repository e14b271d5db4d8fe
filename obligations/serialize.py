"""One serializer for the CLI's --json and the API: dataclasses to JSON-ready values."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any

import orjson

# orjson writes dataclasses, dates, enums and tuples itself, as `jsonable` below does:
# datetimes to the second, dict keys as strings, UTF-8 unescaped.
ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_OMIT_MICROSECONDS


def jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _unknown(value: Any) -> Any:
    """What orjson cannot write itself (sets, Decimals…): the shape `jsonable` gives it."""
    shaped = jsonable(value)
    if shaped is value:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")
    return shaped


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON of an answer: the same text as json.dumps(jsonable(value))."""
    return orjson.dumps(value, default=_unknown, option=ORJSON_OPTIONS)


def json_text(value: Any) -> str:
    """The CLI's --json: the same text as json.dumps(jsonable(value), ensure_ascii=False,
    indent=2), written by orjson without building the JSON-ready copy first."""
    indented = ORJSON_OPTIONS | orjson.OPT_INDENT_2
    return orjson.dumps(value, default=_unknown, option=indented).decode()
