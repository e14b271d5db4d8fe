"""Article 73: the reports a State owes, when each is due and why, and where each stands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from obligations.rules.dates import add_years
from obligations.rules.facts import Decision, DecisionKind, ReportReceived

INITIAL_BASIS = "art. 73(1)(a)"
PERIODIC_BASIS = "art. 73(1)(b)"
PERIODIC_YEARS = 5


class ReportStatus(StrEnum):
    RECEIVED = "received"
    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class ReportObligation:
    number: int
    due: date
    basis: str
    status: ReportStatus
    received: date | None = None
    symbol: str | None = None

    @property
    def kind(self) -> str:
        return "initial" if self.number == 1 else "periodic"


def overdue_from(due: date) -> date:
    """The first day a report is overdue: the day after its due date (on it, it is due)."""
    return due + timedelta(days=1)


def decision_basis(decision: Decision) -> str:
    what = (
        "Committee request (art. 73(1)(b))"
        if decision.kind is DecisionKind.REQUEST_REPORT
        else "Committee decision"
    )
    if decision.symbol:
        return f"{what}, {decision.symbol}"
    return f"{what} of {decision.decided.isoformat()}"


def fixed_due_dates(decisions: Iterable[Decision], as_of: date) -> dict[int, Decision]:
    """The Committee decision in force for each report number: the latest taken by `as_of`."""
    fixed: dict[int, Decision] = {}
    for decision in sorted(decisions, key=lambda d: d.decided):
        if decision.decided <= as_of:
            fixed[decision.report] = decision
    return fixed


def report_schedule(
    bound_from: date,
    reports: Iterable[ReportReceived],
    decisions: Iterable[Decision],
    as_of: date,
    obligations_end: date | None = None,
) -> list[ReportObligation]:
    """Every report due by `as_of`, plus the next one, each with its status on `as_of`.

    Report 1 is due a year after entry into force, each later one five years after the
    previous due date, unless the Committee fixed a date: that wins, and later defaults
    count from it. No obligation falls due on or after `obligations_end` (art. 89).
    """
    received = sorted((r for r in reports if r.received <= as_of), key=lambda r: r.received)
    fixed = fixed_due_dates(decisions, as_of)
    last_received = max((r.last for r in received), default=0)
    schedule: list[ReportObligation] = []
    previous_due: date | None = None
    number = 1
    while True:
        decision = fixed.get(number)
        if decision is not None:
            due, basis = decision.due, decision_basis(decision)
        elif previous_due is None:
            due, basis = add_years(bound_from, 1), INITIAL_BASIS
        else:
            due, basis = add_years(previous_due, PERIODIC_YEARS), PERIODIC_BASIS
        if obligations_end is not None and due >= obligations_end:
            break
        obligation = _with_status(number, due, basis, received, as_of)
        schedule.append(obligation)
        # Stop after the first report not yet due and not received in advance.
        if due > as_of and number >= last_received and obligation.received is None:
            break
        previous_due = due
        number += 1
    return schedule


def _with_status(
    number: int, due: date, basis: str, received: list[ReportReceived], as_of: date
) -> ReportObligation:
    for report in received:
        if report.covers(number):
            return ReportObligation(
                number, due, basis, ReportStatus.RECEIVED, report.received, report.symbol
            )
    if as_of >= overdue_from(due):
        status = ReportStatus.OVERDUE
    elif due == as_of:
        status = ReportStatus.DUE
    else:
        status = ReportStatus.UPCOMING
    return ReportObligation(number, due, basis, status)
