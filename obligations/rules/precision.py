"""Dates as UN documents give them: to the day, or only to the month or year ("due in 2018").

A date known only to the month or year is kept as the last day of its period, with its
precision: a year-only due date is overdue from 1 January of the next year, and a fact
known only to the month counts from the end of that month. No day is ever invented.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from enum import StrEnum


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")


def period_end(year: int, month: int | None = None) -> date:
    """The last day of a year, or of a month."""
    if month is None:
        return date(year, 12, 31)
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_partial(text: str) -> tuple[date, Precision] | None:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY` as (last day of the period, precision); None if not one."""
    match = _PARTIAL.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if day is not None and month is not None:
            return date(year, month, day), Precision.DAY
        if month is not None:
            return period_end(year, month), Precision.MONTH
    except ValueError:
        return None
    return period_end(year), Precision.YEAR


def shown(day: date, precision: Precision | str) -> str:
    """The date as the document gave it: `2018`, `2018-07` or `2018-07-31`."""
    if precision == Precision.YEAR:
        return f"{day.year:04d}"
    if precision == Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()
