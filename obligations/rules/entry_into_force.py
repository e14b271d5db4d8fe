"""Article 87: entry into force of the Convention, generally and for each State."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from obligations.rules.dates import first_of_month_after_period
from obligations.rules.facts import COUNTED_INSTRUMENTS, Action, ActionKind

INSTRUMENTS_FOR_ENTRY_INTO_FORCE = 20


@dataclass(frozen=True)
class GeneralEntryIntoForce:
    """Art. 87(1), as the record stood on a date."""

    instruments: int
    twentieth_deposited: dt.date | None
    date: dt.date | None

    @property
    def instruments_needed(self) -> int:
        return max(0, INSTRUMENTS_FOR_ENTRY_INTO_FORCE - self.instruments)

    def in_force_on(self, day: dt.date) -> bool:
        return self.date is not None and self.date <= day


@dataclass(frozen=True)
class StateEntryIntoForce:
    """The date the Convention binds a State, and why."""

    date: dt.date
    basis: str


def own_entry_into_force(deposited: dt.date) -> dt.date:
    """Art. 87(2): first day of the month following three calendar months after deposit."""
    return first_of_month_after_period(deposited, 3)


def general_entry_into_force(actions: Iterable[Action], as_of: dt.date) -> GeneralEntryIntoForce:
    """Derive art. 87(1) from the instruments of ratification or accession deposited by `as_of`."""
    return general_entry_into_force_of(counted_deposits(actions), as_of)


def counted_deposits(actions: Iterable[Action]) -> list[dt.date]:
    """The dates of every instrument that counts towards the twenty, in order."""
    return sorted(a.date for a in actions if a.action in COUNTED_INSTRUMENTS)


def general_entry_into_force_of(
    deposits: Sequence[dt.date], as_of: dt.date
) -> GeneralEntryIntoForce:
    """As `general_entry_into_force`, from `counted_deposits` (sorted, of any date)."""
    count = bisect_right(deposits, as_of)
    if count < INSTRUMENTS_FOR_ENTRY_INTO_FORCE:
        return GeneralEntryIntoForce(count, None, None)
    twentieth = deposits[INSTRUMENTS_FOR_ENTRY_INTO_FORCE - 1]
    return GeneralEntryIntoForce(count, twentieth, own_entry_into_force(twentieth))


def state_entry_into_force(
    instrument: Action, general: GeneralEntryIntoForce
) -> StateEntryIntoForce | None:
    """When `instrument` binds its State; None while the Convention awaits its twentieth."""
    if general.date is None:
        return None
    if instrument.action is ActionKind.SUCCESSION:
        # The successor is bound from the date it names, else from its deposit.
        own = instrument.effective or instrument.date
        if own >= general.date:
            return StateEntryIntoForce(own, "succession (art. 87(2) does not apply)")
        return StateEntryIntoForce(general.date, "art. 87(1)")
    own = own_entry_into_force(instrument.date)
    if own > general.date:
        return StateEntryIntoForce(own, "art. 87(2)")
    return StateEntryIntoForce(general.date, "art. 87(1)")
