"""The facts the rules reason about: plain immutable values, independent of storage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from obligations.rules.precision import Precision


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
    date_precision: Precision = Precision.DAY

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
    received_precision: Precision = Precision.DAY
    source: str | None = None  # the document the fact was read in
    out_of_sequence: str | None = None  # why it stands although beyond the next report due

    def covers(self, number: int) -> bool:
        return self.first <= number <= self.last


@dataclass(frozen=True)
class Review:
    """The Committee's consideration of a State (with or without a report, rule 34)."""

    first: int
    last: int
    session: int | None
    date: dt.date
    end_date: dt.date | None = None
    symbol: str | None = None
    without_report: bool = False
    source: str | None = None  # the document the fact was read in
    out_of_sequence: str | None = None  # why it stands although its reports were not received

    def covers(self, number: int) -> bool:
        return self.first <= number <= self.last


@dataclass(frozen=True)
class Decision:
    """A Committee decision fixing when a report is due."""

    report: int
    due: dt.date
    decided: dt.date
    kind: DecisionKind = DecisionKind.FIX_DUE_DATE
    symbol: str | None = None
    due_precision: Precision = Precision.DAY
    source: str | None = None  # the document the fact was read in


class NextReportMode(StrEnum):
    """What concluding observations say of the next report's date."""

    FIXED = "fixed"  # a date is given
    LOIPR = "loipr"  # a LOIPR will be sent; its deadline will be the date
    REVIEW_CALENDAR = "review_calendar"  # to be set under the predictable review calendar
    UNKNOWN = "unknown"  # the record does not say


@dataclass(frozen=True)
class Loipr:
    """A list of issues prior to reporting: its replies are report `report` (simplified)."""

    report: int
    symbol: str
    transmitted: dt.date
    deadline: dt.date | None = None
    deadline_precision: Precision = Precision.DAY
    transmitted_precision: Precision = Precision.DAY
    source: str | None = None  # the document the fact was read in


@dataclass(frozen=True)
class ListOfIssues:
    """A list of issues (standard procedure); its replies are not an article 73 report."""

    report: int
    symbol: str
    issued: dt.date
    replies_received: dt.date | None = None
    replies_symbol: str | None = None
    issued_precision: Precision = Precision.DAY
    replies_precision: Precision = Precision.DAY
    source: str | None = None  # the document the fact was read in


@dataclass(frozen=True)
class Observations:
    """Concluding observations number `number`, adopted on `adopted`."""

    number: int
    symbol: str
    adopted: dt.date
    next_first: int | None = None
    next_last: int | None = None
    next_due: dt.date | None = None
    next_due_mode: NextReportMode = NextReportMode.UNKNOWN
    follow_up_due: dt.date | None = None
    session: int | None = None
    follow_up_paragraphs: str | None = None
    adopted_precision: Precision = Precision.DAY
    next_due_precision: Precision = Precision.DAY
    follow_up_precision: Precision = Precision.DAY
    source: str | None = None  # the document the fact was read in


@dataclass(frozen=True)
class FollowUp:
    """Follow-up information received on concluding observations number `number`."""

    number: int
    received: dt.date
    symbol: str | None = None
    received_precision: Precision = Precision.DAY
    source: str | None = None  # the document the fact was read in
