"""Articles 76 and 77: declarations, withdrawals and the ten-declaration threshold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from obligations.rules.standing import DeclarationSpell

DECLARATIONS_FOR_ENTRY_INTO_FORCE = 10


@dataclass(frozen=True)
class ProcedureStatus:
    """Where the communication procedure under one article stands on a date."""

    article: int
    states: tuple[str, ...]
    in_force_since: date | None

    @property
    def count(self) -> int:
        return len(self.states)

    @property
    def in_force(self) -> bool:
        return self.in_force_since is not None

    @property
    def needed(self) -> int:
        if self.in_force:
            return 0
        return max(0, DECLARATIONS_FOR_ENTRY_INTO_FORCE - self.count)


def procedure_status(
    article: int, spells: Iterable[DeclarationSpell], as_of: date
) -> ProcedureStatus:
    """The procedure comes into force the day the tenth declaration in effect is deposited,
    and stays in force whatever is withdrawn afterwards."""
    relevant = [s for s in spells if s.article == article and s.start <= as_of]
    events: list[tuple[date, int]] = []
    for spell in relevant:
        events.append((spell.start, +1))
        if spell.end is not None and spell.end <= as_of:
            events.append((spell.end, -1))
    # On one day, withdrawals count before deposits so the count never overstates.
    events.sort(key=lambda e: (e[0], e[1]))
    in_effect = 0
    in_force_since: date | None = None
    for day, change in events:
        in_effect += change
        if in_force_since is None and in_effect >= DECLARATIONS_FOR_ENTRY_INTO_FORCE:
            in_force_since = day
    states = tuple(sorted({s.state for s in relevant if s.in_effect_on(as_of)}))
    return ProcedureStatus(article, states, in_force_since)
