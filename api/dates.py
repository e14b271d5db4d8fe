"""Dates in request bodies: strictly YYYY-MM-DD within the tracker's range, by the one rule.

Pydantic alone would take `0` (1970-01-01) or `2010-01-01T00:00:00` for a date; a body field
typed `IsoDate` takes only what `obligations.inputs.parse_date` takes.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema

from obligations.errors import InvalidInput
from obligations.inputs import EARLIEST_DATE, LATEST_DATE, parse_date


def strict_date(value: object) -> date:
    """A JSON string YYYY-MM-DD (or a date already parsed); anything else is refused."""
    if not isinstance(value, str | date):
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
    try:
        return parse_date(value, "date")
    except InvalidInput as error:
        # Pydantic names the field itself: keep only what is wrong.
        raise ValueError(str(error).removeprefix("date: ")) from None


IsoDate = Annotated[
    date,
    BeforeValidator(strict_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": f"YYYY-MM-DD, from {EARLIEST_DATE} to {LATEST_DATE}",
        }
    ),
]
