"""The facts the rules reason about: plain immutable values, independent of storage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class ActionKind(StrEnum):
    SIGNATURE = "signature"
    RATIFICATION = "ratification"
    ACCESSION = "accession"
    SUCCESSION = "succession"
    SUCCESSION_TO_SIGNATURE = "succession_to_signature"
    DECLARATION = "declaration"
    WITHDRAWAL = "withdrawal"
    DENUNCIATION = "denunciation"


# Instruments that make a State a party (Art. 86-87); only the first two count towards the twenty.
BINDING_INSTRUMENTS = frozenset(
    {ActionKind.RATIFICATION, ActionKind.ACCESSION, ActionKind.SUCCESSION}
)
COUNTED_INSTRUMENTS = frozenset({ActionKind.RATIFICATION, ActionKind.ACCESSION})
SIGNATURES = frozenset({ActionKind.SIGNATURE, ActionKind.SUCCESSION_TO_SIGNATURE})

# Same-day actions replay in this order: a State may sign, ratify and declare on one day.
ACTION_ORDER = {
    ActionKind.SIGNATURE: 0,
    ActionKind.SUCCESSION_TO_SIGNATURE: 0,
    ActionKind.RATIFICATION: 1,
    ActionKind.ACCESSION: 1,
    ActionKind.SUCCESSION: 1,
    ActionKind.DECLARATION: 2,
    ActionKind.WITHDRAWAL: 3,
    ActionKind.DENUNCIATION: 4,
}


class Procedure(StrEnum):
    STANDARD = "standard"
    SIMPLIFIED = "simplified"


class DecisionKind(StrEnum):
    FIX_DUE_DATE = "fix_due_date"
    REQUEST_REPORT = "request_report"


@dataclass(frozen=True)
class Action:
    """One depositary action as the Secretary-General recorded it."""

    state: str
    action: ActionKind
    date: dt.date
    articles: tuple[int, ...] = ()
    source: str = ""
    # For a succession: the date from which the successor considers itself bound.
    effective: dt.date | None = None
    notification: str | None = None
    note: str | None = None

    @property
    def replay_key(self) -> tuple[dt.date, int]:
        return (self.date, ACTION_ORDER[self.action])


@dataclass(frozen=True)
class ReportReceived:
    """A report received by the Committee, discharging report numbers first..last."""

    first: int
    last: int
    received: dt.date
    symbol: str | None = None
    procedure: Procedure = Procedure.STANDARD

    def covers(self, number: int) -> bool:
        return self.first <= number <= self.last


@dataclass(frozen=True)
class Review:
    """The Committee's consideration of a State (with or without a report, rule 34)."""

    first: int
    last: int
    session: int
    date: dt.date
    end_date: dt.date | None = None
    symbol: str | None = None


@dataclass(frozen=True)
class Decision:
    """A Committee decision fixing when a report is due."""

    report: int
    due: dt.date
    decided: dt.date
    kind: DecisionKind = DecisionKind.FIX_DUE_DATE
    symbol: str | None = None
