"""Calendar arithmetic the Convention relies on."""

from __future__ import annotations

import calendar
from datetime import date

OPENED_FOR_SIGNATURE = date(1990, 12, 18)


def add_months(day: date, months: int) -> date:
    """Calendar months; a day missing in the target month falls on that month's last day."""
    # Same answers as dateutil's relativedelta(months=...), at a fraction of the cost.
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if day.day <= 28:  # every month has the day: no need to ask the calendar
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def first_of_month_after_period(start: date, months: int) -> date:
    """The first day of the month following a period of `months` calendar months after `start`."""
    return first_of_next_month(add_months(start, months))
