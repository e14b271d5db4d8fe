"""The UN short name a State went by on a date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FormerName:
    name: str
    used_until: date  # first day the name was no longer in use


def name_on(current: str, former: Iterable[FormerName], day: date) -> str:
    """The earliest-ending former name still in use on `day`, else the current name."""
    if not former:
        return current
    candidates = sorted((f for f in former if day < f.used_until), key=lambda f: f.used_until)
    return candidates[0].name if candidates else current
