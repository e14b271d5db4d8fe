"""Calendar arithmetic the Convention relies on."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

OPENED_FOR_SIGNATURE = date(1990, 12, 18)


def add_months(day: date, months: int) -> date:
    """Calendar months; a day missing in the target month falls on that month's last day."""
    result: date = day + relativedelta(months=months)
    return result


def add_years(day: date, years: int) -> date:
    result: date = day + relativedelta(years=years)
    return result


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def first_of_month_after_period(start: date, months: int) -> date:
    """The first day of the month following a period of `months` calendar months after `start`."""
    return first_of_next_month(add_months(start, months))
