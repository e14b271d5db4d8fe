"""Article 73 and the Committee's practice: the reports a State owes, when each is due and
why, and where each stands; and the follow-up information its concluding observations ask for.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from obligations.rules.dates import add_years
from obligations.rules.facts import (
    Decision,
    DecisionKind,
    FollowUp,
    Loipr,
    NextReportMode,
    Observations,
    ReportReceived,
    Review,
)
from obligations.rules.precision import Precision

INITIAL_BASIS = "art. 73(1)(a)"
PERIODIC_BASIS = "art. 73(1)(b)"
PERIODIC_YEARS = 5
FOLLOW_UP_YEARS = 2


class ReportStatus(StrEnum):
    RECEIVED = "received"
    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"
    REVIEWED_WITHOUT_REPORT = "reviewed_without_report"
    DATE_TO_BE_SET = "date_to_be_set"


@dataclass(frozen=True)
class ReportObligation:
    number: int
    due: date | None  # None only while the date is to be set
    basis: str
    status: ReportStatus
    received: date | None = None
    symbol: str | None = None
    due_precision: Precision = Precision.DAY
    received_precision: Precision = Precision.DAY
    source: str | None = None  # where the receipt is recorded from
    out_of_sequence: str | None = None  # why the receipt stands out of sequence, if it does

    @property
    def kind(self) -> str:
        return "initial" if self.number == 1 else "periodic"


@dataclass(frozen=True)
class FollowUpObligation:
    """Follow-up information on concluding observations `number` (CMW/C/<code>/FCO/<n>)."""

    number: int
    due: date | None  # None: the record does not say when it was due
    basis: str
    status: ReportStatus
    received: date | None = None
    symbol: str | None = None
    due_precision: Precision = Precision.DAY
    received_precision: Precision = Precision.DAY
    source: str | None = None
    kind: str = "follow_up"


@dataclass(frozen=True)
class DueDateSetting:
    """One fact of the Committee's that sets a report's due date (None: date to be set)."""

    report: int
    due: date | None
    decided: date
    basis: str
    precision: Precision = Precision.DAY


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


def due_date_settings(
    decisions: Iterable[Decision] = (),
    loiprs: Iterable[Loipr] = (),
    observations: Iterable[Observations] = (),
) -> list[DueDateSetting]:
    """Every Committee fact that sets a due date, in the order they were taken."""
    settings = [
        DueDateSetting(d.report, d.due, d.decided, decision_basis(d), d.due_precision)
        for d in decisions
    ]
    settings += [
        DueDateSetting(lo.report, lo.deadline, lo.transmitted, lo.symbol, lo.deadline_precision)
        for lo in loiprs
        if lo.deadline is not None  # a LOIPR whose deadline is not on record changes nothing
    ]
    for co in observations:
        if co.next_first is None:
            continue
        numbers = range(co.next_first, (co.next_last or co.next_first) + 1)
        if co.next_due is not None:
            settings += [
                DueDateSetting(n, co.next_due, co.adopted, co.symbol, co.next_due_precision)
                for n in numbers
            ]
        elif co.next_due_mode in (NextReportMode.REVIEW_CALENDAR, NextReportMode.LOIPR):
            basis = f"{co.symbol}: date to be set under the review calendar"
            settings += [DueDateSetting(n, None, co.adopted, basis) for n in numbers]
    # Sorting is stable: on one day, an explicit decision is listed after what it amends.
    return sorted(settings, key=lambda s: s.decided)


def fixed_due_dates(settings: Iterable[DueDateSetting], as_of: date) -> dict[int, DueDateSetting]:
    """The setting in force for each report number: the latest taken by `as_of`."""
    fixed: dict[int, DueDateSetting] = {}
    for setting in settings:
        if setting.decided <= as_of:
            fixed[setting.report] = setting
    return fixed


def report_schedule(
    bound_from: date,
    reports: Iterable[ReportReceived],
    decisions: Iterable[Decision],
    as_of: date,
    obligations_end: date | None = None,
    *,
    loiprs: Iterable[Loipr] = (),
    observations: Iterable[Observations] = (),
    reviews: Iterable[Review] = (),
    settings: Sequence[DueDateSetting] | None = None,
) -> list[ReportObligation]:
    """Every report due by `as_of`, plus the next one, each with its status on `as_of`.

    Report 1 is due a year after entry into force, each later one five years after the
    previous due date, unless the Committee set a date (a decision, a LOIPR's deadline,
    concluding observations): that wins, and later defaults count from it. A report whose
    date is to be set ends the schedule. No obligation falls due on or after
    `obligations_end` (art. 89). `settings`: `due_date_settings` of the decisions, LOIPRs and
    observations, when the caller keeps them (they do not depend on `as_of`).
    """
    if settings is None:
        settings = due_date_settings(decisions, loiprs, observations)
    return SchedulePlan.known_on(as_of, bound_from, reports, reviews, settings, obligations_end).on(
        as_of
    )


@dataclass(frozen=True)
class _Step:
    """One report number's due date and why, and the obligation if a fact discharged it."""

    number: int
    due: date | None
    basis: str
    precision: Precision
    settled: ReportObligation | None


class SchedulePlan:
    """The report schedule as a given set of facts sets it, whatever the day asked about.

    `report_schedule` on a day is this plan read up to that day: the day picks which facts
    count (the caller builds one plan per set of facts) and then only each open report's
    status and where the schedule stops. So a plan can be kept and read on any day whose
    known facts are the same. Steps are worked out as far as a reading needs, once.
    """

    def __init__(
        self,
        bound_from: date,
        received: Sequence[ReportReceived],
        reviews: Sequence[Review],
        fixed: dict[int, DueDateSetting],
        obligations_end: date | None,
    ) -> None:
        received = sorted(received, key=lambda r: r.received)
        # A report the Committee reviewed was received, even where the date it came is not
        # on record.
        self._discharged = _discharges(
            received,
            [r for r in reviews if not r.without_report],
            [r for r in reviews if r.without_report],
        )
        self._last_settled = max(
            max((r.last for r in received), default=0), max((r.last for r in reviews), default=0)
        )
        self._bound_from = bound_from
        self._fixed = fixed
        self._end = obligations_end
        self._steps: list[_Step] = []
        self._ended = False
        self._open: dict[tuple[int, ReportStatus], ReportObligation] = {}
        self._lock = threading.Lock()

    @classmethod
    def known_on(
        cls,
        as_of: date,
        bound_from: date,
        reports: Iterable[ReportReceived],
        reviews: Iterable[Review],
        settings: Sequence[DueDateSetting],
        obligations_end: date | None,
    ) -> SchedulePlan:
        """The plan the facts dated by `as_of` make."""
        return cls(
            bound_from,
            [r for r in reports if r.received <= as_of],
            [r for r in reviews if r.date <= as_of],
            fixed_due_dates(settings, as_of),
            obligations_end,
        )

    def on(self, as_of: date) -> list[ReportObligation]:
        """Every report due by `as_of`, plus the next one, each with its status on `as_of`."""
        schedule: list[ReportObligation] = []
        index = 0
        while (step := self._step(index)) is not None:
            if step.settled is not None:
                schedule.append(step.settled)
            else:
                schedule.append(self._open_on(step, as_of))
                if step.due is None:
                    break
                # Stop after the first report not yet due and not received in advance.
                if step.due > as_of and step.number >= self._last_settled:
                    break
            index += 1
        return schedule

    def _open_on(self, step: _Step, as_of: date) -> ReportObligation:
        status = standing_on(step.due, as_of)
        obligation = self._open.get((step.number, status))
        if obligation is None:
            obligation = ReportObligation(
                step.number, step.due, step.basis, status, due_precision=step.precision
            )
            self._open[(step.number, status)] = obligation
        return obligation

    def _step(self, index: int) -> _Step | None:
        steps = self._steps
        if index < len(steps):
            return steps[index]
        with self._lock:  # a kept plan is read by several threads
            while len(steps) <= index and not self._ended:
                self._extend()
            return steps[index] if index < len(steps) else None

    def _extend(self) -> None:
        steps = self._steps
        number = len(steps) + 1
        setting = self._fixed.get(number)
        precision = Precision.DAY
        due: date | None
        if setting is not None:
            due, basis, precision = setting.due, setting.basis, setting.precision
        elif number == 1:
            due, basis = add_years(self._bound_from, 1), INITIAL_BASIS
        elif (previous_due := steps[-1].due) is None:
            due, basis = None, "follows a report whose date is to be set"
        else:
            # Five years after a date known only to the year is itself known only to the year.
            due, basis = add_years(previous_due, PERIODIC_YEARS), PERIODIC_BASIS
            precision = steps[-1].precision
        if self._end is not None and due is not None and due >= self._end:
            self._ended = True
            return
        discharge = self._discharged.get(number)
        settled = None if discharge is None else _settled(number, due, basis, precision, discharge)
        steps.append(_Step(number, due, basis, precision, settled))


Discharge = ReportReceived | Review


def _discharges(
    received: Sequence[ReportReceived],
    reviewed: Sequence[Review],
    absent_reviews: Sequence[Review],
) -> dict[int, Discharge]:
    """Report number to the fact that discharged it: a report received (the earliest), else a
    review with a report, else a review in its absence. Looked up once per number."""
    found: dict[int, Discharge] = {}
    facts: list[Discharge] = [*received, *reviewed, *absent_reviews]
    for fact in facts:
        for number in range(fact.first, fact.last + 1):
            found.setdefault(number, fact)
    return found


def _settled(
    number: int,
    due: date | None,
    basis: str,
    precision: Precision,
    discharge: Discharge,
) -> ReportObligation:
    if isinstance(discharge, ReportReceived):
        return ReportObligation(
            number,
            due,
            basis,
            ReportStatus.RECEIVED,
            discharge.received,
            discharge.symbol,
            precision,
            discharge.received_precision,
            discharge.source,
            discharge.out_of_sequence,
        )
    if not discharge.without_report:
        # Received by the review's first day; the day it came is not on record.
        return ReportObligation(
            number,
            due,
            basis,
            ReportStatus.RECEIVED,
            due_precision=precision,
            out_of_sequence=discharge.out_of_sequence,
        )
    return ReportObligation(
        number, due, basis, ReportStatus.REVIEWED_WITHOUT_REPORT, due_precision=precision
    )


def standing_on(due: date | None, as_of: date) -> ReportStatus:
    """Where an obligation not yet discharged stands on `as_of`."""
    if due is None:
        return ReportStatus.DATE_TO_BE_SET
    if as_of > due:  # as_of >= overdue_from(due), without building that date
        return ReportStatus.OVERDUE
    if due == as_of:
        return ReportStatus.DUE
    return ReportStatus.UPCOMING


def default_follow_up_due(adopted: date) -> date:
    """Follow-up information is due within two years of the concluding observations."""
    return add_years(adopted, FOLLOW_UP_YEARS)


def follow_up_schedule(
    observations: Iterable[Observations], received: Iterable[FollowUp], as_of: date
) -> list[FollowUpObligation]:
    """The follow-up each concluding observations adopted by `as_of` asked for, and its status."""
    answers = {f.number: f for f in received if f.received <= as_of}
    obligations: list[FollowUpObligation] = []
    for co in sorted(observations, key=lambda o: o.number):
        answer = answers.get(co.number)
        if co.adopted > as_of or (co.follow_up_due is None and answer is None):
            continue
        if answer is not None:
            obligations.append(
                FollowUpObligation(
                    co.number,
                    co.follow_up_due,
                    co.symbol,
                    ReportStatus.RECEIVED,
                    answer.received,
                    answer.symbol,
                    co.follow_up_precision,
                    answer.received_precision,
                    answer.source,
                )
            )
        elif co.follow_up_due is not None:
            obligations.append(
                FollowUpObligation(
                    co.number,
                    co.follow_up_due,
                    co.symbol,
                    standing_on(co.follow_up_due, as_of),
                    due_precision=co.follow_up_precision,
                )
            )
    return obligations
