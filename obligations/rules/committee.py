"""Article 72: the size of the Committee."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

ENLARGING_PARTY = 41
MEMBERS_INITIAL = 10
MEMBERS_ENLARGED = 14


def enlargement_date(entry_into_force_dates: Iterable[date]) -> date | None:
    """Art. 72(1)(b): the date the Convention entered into force for the forty-first State Party."""
    ordered = sorted(entry_into_force_dates)
    if len(ordered) < ENLARGING_PARTY:
        return None
    return ordered[ENLARGING_PARTY - 1]


def committee_members(enlarged_on: date | None, as_of: date) -> int:
    if enlarged_on is not None and enlarged_on <= as_of:
        return MEMBERS_ENLARGED
    return MEMBERS_INITIAL
