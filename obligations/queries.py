"""As-at answers: the status of the Convention, a State's dossier, overdue and upcoming reports.

Each answer is a dataclass whose fields are exactly the JSON keys the CLI and the API print.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol, TypeVar

from obligations import TREATY
from obligations.errors import Conflict, NotFound
from obligations.inputs import EARLIEST_DATE, LATEST_DATE
from obligations.record import KEPT_CURRENT, LeastRecentlyUsed, Record
from obligations.rules.declarations import ProcedureStatus, procedure_status
from obligations.rules.entry_into_force import (
    GeneralEntryIntoForce,
    StateEntryIntoForce,
    counted_deposits,
    general_entry_into_force_of,
    state_entry_into_force,
)
from obligations.rules.facts import SIGNATURES, ActionKind, Review
from obligations.rules.precision import Precision, shown
from obligations.rules.reporting import (
    DueDateSetting,
    FollowUpObligation,
    ReportObligation,
    ReportStatus,
    SchedulePlan,
    due_date_settings,
    follow_up_schedule,
    overdue_from,
)
from obligations.rules.standing import (
    COMMUNICATION_ARTICLES,
    Standing,
    denunciation_takes_effect,
    replay,
)

T = TypeVar("T")

# The dates an answer is kept for (those a user can ask about): others are worked out afresh.
EARLIEST_KEPT, LATEST_KEPT = EARLIEST_DATE, LATEST_DATE


@dataclass(frozen=True)
class StateAssessment:
    """Everything the rules conclude about one State on one date."""

    code: str
    name: str
    regional_group: str | None
    standing: Standing
    entry_into_force: StateEntryIntoForce | None
    reports: list[ReportObligation]
    follow_ups: list[FollowUpObligation]
    # Up to when the State's reporting history was researched (None: never).
    researched_until: date | None
    as_of: date
    # Set when the stored facts of this State cannot all be true (see `obligations check`).
    problem: str | None = None

    def obligations(self) -> list[ReportObligation | FollowUpObligation]:
        return [*self.reports, *self.follow_ups]

    @property
    def verified(self) -> bool:
        return self.researched_until is not None

    def verified_for(self, item: ReportObligation | FollowUpObligation) -> bool:
        """Whether the record can vouch for an item as at `as_of`: a report received (or
        reviewed) is a fact; anything still owed is vouched for only while the researched
        history reaches `as_of`, since a later Committee document may have moved its date."""
        if self.researched_until is None:
            return False
        settled = item.status in (ReportStatus.RECEIVED, ReportStatus.REVIEWED_WITHOUT_REPORT)
        return settled or self.as_of <= self.researched_until


def general(record: Record, as_of: date) -> GeneralEntryIntoForce:
    deposits: list[date] | None = record.derived.get("counted deposits")
    if deposits is None:
        deposits = record.derived["counted deposits"] = counted_deposits(record.all_actions())
    return general_entry_into_force_of(deposits, as_of)


def due_settings(record: Record, code: str) -> list[DueDateSetting]:
    """The Committee's facts that set the State's due dates, in order: kept, as undated."""
    kept: list[DueDateSetting] | None = record.derived.get(("due settings", code))
    if kept is None:
        kept = due_date_settings(
            record.decisions.get(code, []),
            record.loiprs.get(code, []),
            record.observations.get(code, []),
        )
        record.derived[("due settings", code)] = kept
    return kept


def schedule_plan(
    record: Record, code: str, bound_from: date, obligations_end: date | None, as_of: date
) -> SchedulePlan:
    """The State's report schedule as the facts dated by `as_of` set it, kept by a record that
    answers many questions (one read for one answer has nothing to keep it for).

    The plan depends on the date only through which reports, reviews and due-date settings are
    dated by then (with the State's entry into force and end of obligations): the key it is
    kept under. Reading it on the date gives `report_schedule`'s answer.
    """

    def worked_out() -> SchedulePlan:
        return SchedulePlan.known_on(
            as_of,
            bound_from,
            record.reports.get(code, []),
            record.reviews.get(code, []),
            due_settings(record, code),
            obligations_end,
        )

    if not record.answers_many:
        return worked_out()
    days = record.derived.get(("fact days", code))
    if days is None:
        days = (
            sorted(r.received for r in record.reports.get(code, [])),
            sorted(r.date for r in record.reviews.get(code, [])),
            [s.decided for s in due_settings(record, code)],  # already in date order
        )
        record.derived[("fact days", code)] = days
    key = (
        "plan",
        code,
        bound_from,
        obligations_end,
        bisect_right(days[0], as_of),
        bisect_right(days[1], as_of),
        bisect_right(days[2], as_of),
    )
    plan: SchedulePlan | None = record.derived.get(key)
    if plan is None:
        plan = record.derived[key] = worked_out()
    return plan


def standing_on(record: Record, code: str, as_of: date) -> Standing:
    """`replay` of the State's actions as at `as_of` (raising Conflict as it does), kept.

    Its answer depends on the date only through how many of the State's actions are dated by
    then and how many of its denunciations have taken effect: the key it is kept under.
    """
    actions = record.actions.get(code, [])
    days = record.derived.get(("action days", code))
    if days is None:
        days = (
            sorted(a.date for a in actions),
            sorted(
                denunciation_takes_effect(a.date)
                for a in actions
                if a.action is ActionKind.DENUNCIATION
            ),
        )
        record.derived[("action days", code)] = days
    key = ("standing", code, bisect_right(days[0], as_of), bisect_right(days[1], as_of))
    kept: Standing | str | None = record.derived.get(key)
    if kept is None:
        try:
            kept = replay(actions, as_of)
        except Conflict as error:
            kept = str(error)  # the message, raised afresh each time (no growing traceback)
        record.derived[key] = kept
    if isinstance(kept, str):
        raise Conflict(kept)
    return kept


def assess(
    record: Record,
    code: str,
    as_of: date,
    in_general: GeneralEntryIntoForce | None = None,
    reporting: bool = True,
) -> StateAssessment:
    """`reporting=False`: the standing and entry into force only (what the status of the
    Convention needs), with `reports` and `follow_ups` left empty, at a fraction of the cost."""
    entry = record.states.get(code)
    if entry is None:
        raise NotFound(f"unknown State code {code!r}")
    in_general = in_general or general(record, as_of)
    verified = entry.history_researched_until
    try:
        standing = standing_on(record, code, as_of)
    except Conflict as error:
        # One impossible record degrades its own State, never every answer.
        return StateAssessment(
            code, entry.name_on(as_of), entry.regional_group, Standing(), None, [], [],
            verified, as_of, str(error),
        )  # fmt: skip
    instrument = standing.bound_by
    eif = state_entry_into_force(instrument, in_general) if instrument else None
    if eif is None or not reporting:
        return StateAssessment(
            code, entry.name_on(as_of), entry.regional_group, standing, eif, [], [], verified,
            as_of,
        )  # fmt: skip
    reports = schedule_plan(record, code, eif.date, standing.obligations_end, as_of).on(as_of)
    follow_ups = follow_up_schedule(
        record.observations.get(code, []), record.follow_ups.get(code, []), as_of
    )
    return StateAssessment(
        code, entry.name_on(as_of), entry.regional_group, standing, eif, reports, follow_ups,
        verified, as_of,
    )  # fmt: skip


def assess_all(record: Record, as_of: date, reporting: bool = True) -> list[StateAssessment]:
    in_general = general(record, as_of)
    return [assess(record, code, as_of, in_general, reporting) for code in sorted(record.states)]


def assess_acting(record: Record, as_of: date) -> list[StateAssessment]:
    """Only the States with a depositary action on record: the others owe nothing."""
    in_general = general(record, as_of)
    return [assess(record, code, as_of, in_general) for code in sorted(record.actions)]


# --- status of the Convention ---------------------------------------------------------


@dataclass(frozen=True)
class PartyView:
    code: str
    name: str
    instrument: str
    deposited: date | str
    entry_into_force: date | None


@dataclass(frozen=True)
class SignatoryView:
    code: str
    name: str
    signed: date


@dataclass(frozen=True)
class ProcedureView:
    states: list[str]
    count: int
    in_force: bool
    needed: int

    @classmethod
    def of(cls, status: ProcedureStatus) -> ProcedureView:
        return cls(list(status.states), status.count, status.in_force, status.needed)


@dataclass(frozen=True)
class StatusView:
    as_of: date
    treaty: str
    entry_into_force: date | None
    in_force: bool
    instruments_needed: int
    parties: list[PartyView]
    signatories: list[SignatoryView]
    declarations: dict[str, ProcedureView]


def procedures(assessments: list[StateAssessment], as_of: date) -> dict[str, ProcedureStatus]:
    spells = [s for a in assessments for s in a.standing.spells]
    return {str(art): procedure_status(art, spells, as_of) for art in COMMUNICATION_ARTICLES}


def status_days(record: Record) -> list[date]:
    """The days on which the status of the Convention can change, sorted.

    It depends on the date only through the depositary actions dated by then, the
    denunciations in effect, the Convention's entry into force and the names States bore,
    each of which counts from its own date on (a name is borne until the day before).
    """
    days: list[date] | None = record.derived.get("status days")
    if days is None:
        found: set[date] = set()
        for action in record.all_actions():
            found.add(action.date)
            if action.action is ActionKind.DENUNCIATION:
                found.add(denunciation_takes_effect(action.date))
        in_force = general(record, date.max).date
        if in_force is not None:
            found.add(in_force)
        found.update(f.used_until for entry in record.states.values() for f in entry.former_names)
        days = record.derived["status days"] = sorted(found)
    return days


def convention_status(
    record: Record, as_of: date, assessed: list[StateAssessment] | None = None
) -> StatusView:
    """`assessed`: every State's assessment as at `as_of`, when the caller already has it.

    Kept: read again on any date with the same status days behind it (see `status_days`).
    """
    if assessed is not None:
        return _convention_status(record, as_of, assessed)
    kept: StatusView = kept_by_status_days(
        record, "status", as_of, lambda: _convention_status(record, as_of, None)
    )
    return kept if kept.as_of == as_of else replace(kept, as_of=as_of)


def kept_by_status_days(record: Record, name: str, as_of: date, compute: Callable[[], T]) -> T:
    """`compute()`, an answer that depends on the date only as the status does (the States'
    standing, entry into force and names), kept for every date with the same status days
    by a record that answers many questions."""
    if not record.answers_many:
        return compute()
    key = (name, bisect_right(status_days(record), as_of))
    kept: T | None = record.derived.get(key)
    if kept is None:
        kept = record.derived[key] = compute()
    return kept


def _convention_status(
    record: Record, as_of: date, assessed: list[StateAssessment] | None
) -> StatusView:
    in_general = general(record, as_of)
    assessments = assessed if assessed is not None else assess_all(record, as_of, False)
    parties: list[PartyView] = []
    signatories: list[SignatoryView] = []
    for a in assessments:
        instrument = a.standing.instrument
        if instrument is not None:
            parties.append(
                PartyView(
                    a.code,
                    a.name,
                    instrument.action.value,
                    as_given(instrument.date, instrument.date_precision) or instrument.date,
                    a.entry_into_force.date if a.entry_into_force else None,
                )
            )
        elif a.standing.signature is not None and a.standing.signature.action in SIGNATURES:
            signatories.append(SignatoryView(a.code, a.name, a.standing.signature.date))
    return StatusView(
        as_of=as_of,
        treaty=TREATY,
        entry_into_force=in_general.date,
        in_force=in_general.in_force_on(as_of),
        instruments_needed=in_general.instruments_needed,
        parties=sorted(parties, key=lambda p: p.name),
        signatories=sorted(signatories, key=lambda s: s.name),
        declarations={k: ProcedureView.of(v) for k, v in procedures(assessments, as_of).items()},
    )


def reporting_days(record: Record) -> list[date]:
    """The days on which what States owe can change other than by a due date passing, sorted.

    The status days (standing, entry into force, names), and each acting State's reports
    received, reviews, due-date settings, concluding observations and follow-up received,
    and the day after its history stops being vouched for.
    """
    days: list[date] | None = record.derived.get("reporting days")
    if days is None:
        found = set(status_days(record))
        for code in record.actions:
            found.update(r.received for r in record.reports.get(code, []))
            found.update(r.date for r in record.reviews.get(code, []))
            found.update(s.decided for s in due_settings(record, code))
            found.update(co.adopted for co in record.observations.get(code, []))
            found.update(f.received for f in record.follow_ups.get(code, []))
            entry = record.states.get(code)
            until = entry.history_researched_until if entry else None
            if until is not None and until < date.max:
                found.add(until + timedelta(days=1))
        days = record.derived["reporting days"] = sorted(found)
    return days


def due_interval(record: Record, as_of: date) -> tuple[int, list[date]]:
    """Which interval between reporting days `as_of` falls in, and every due date that any
    day of it reads (the schedules and follow-up as at its last day reach furthest)."""
    days = reporting_days(record)
    index = bisect_right(days, as_of)
    dues: list[date] | None = record.derived.get(("due days", index))
    if dues is None:
        end = days[index] if index < len(days) else LATEST_KEPT + timedelta(days=1)
        last = min(end, LATEST_KEPT + timedelta(days=1)) - timedelta(days=1)
        dues = sorted(
            {o.due for a in assess_acting(record, last) for o in a.obligations() if o.due}
        )
        record.derived[("due days", index)] = dues
    return index, dues


# The most lists kept per record (a list of a hundred items is some 20 KB): every day of the
# calendar asked, each region and horizon, would otherwise keep growing.
KEPT_LISTS = 1024


def kept_lists(record: Record) -> LeastRecentlyUsed:
    lists: LeastRecentlyUsed | None = record.derived.get("kept lists")
    if lists is None:
        lists = record.derived.setdefault("kept lists", LeastRecentlyUsed(KEPT_LISTS))
    return lists


class Dated(Protocol):
    @property
    def as_of(self) -> date: ...


D = TypeVar("D", bound=Dated)


def kept_and_dated(
    record: Record,
    key: Hashable | None,
    as_of: date,
    compute: Callable[[], D],
    dated: Callable[[D], D],
) -> D:
    """`compute()`, kept in the record's lists under `key` (None: not kept); a kept answer
    made as at another day of the same key is dated again for `as_of` by `dated`."""
    if key is None:
        return compute()
    lists = kept_lists(record)
    kept: D | None = lists.get(key)
    if kept is None:
        kept = compute()
        lists.put(key, kept)
    return kept if kept.as_of == as_of else dated(kept)


def _due_key(record: Record, as_of: date, within: int | None = None) -> Hashable | None:
    """What the overdue and upcoming lists depend on the date through: the interval, where the
    day falls among its due dates (before, on, after), and where the horizon falls."""
    if (
        not record.answers_many
        or not EARLIEST_KEPT <= as_of <= LATEST_KEPT
        or (within is not None and within < 0)
    ):
        return None
    index, dues = due_interval(record, as_of)
    key = (index, bisect_left(dues, as_of), bisect_right(dues, as_of))
    if within is None:
        return key
    return (*key, bisect_right(dues, as_of + timedelta(days=within)))


# --- a State's dossier ------------------------------------------------------------------


@dataclass(frozen=True)
class ActionView:
    action: str
    date: dt.date | str
    articles: list[int]
    source: str


def as_given(day: date | None, precision: Precision | str) -> date | str | None:
    """A date as its document gave it: a date, or `2018` / `2018-07` when only that is known."""
    if day is None or precision == Precision.DAY:
        return day
    return shown(day, precision)


@dataclass(frozen=True)
class ReportView:
    number: int
    kind: str
    due: date | str | None
    basis: str
    status: str
    received: date | str | None
    symbol: str | None
    # False where the record may lack what set or discharged it (see HistoryView).
    verified: bool
    source: str | None  # the document the receipt was read in
    out_of_sequence: str | None  # why the receipt stands though out of sequence

    @classmethod
    def of(cls, r: ReportObligation | FollowUpObligation, verified: bool) -> ReportView:
        return cls(
            r.number,
            r.kind,
            as_given(r.due, r.due_precision),
            r.basis,
            r.status.value,
            as_given(r.received, r.received_precision),
            r.symbol,
            verified,
            r.source,
            r.out_of_sequence if isinstance(r, ReportObligation) else None,
        )


@dataclass(frozen=True)
class ReviewView:
    numbers: list[int]
    session: int | None
    date: dt.date
    end_date: dt.date | None
    without_report: bool
    symbol: str | None
    source: str | None
    out_of_sequence: str | None


@dataclass(frozen=True)
class LoiprView:
    report: int
    symbol: str
    transmitted: date | str | None
    deadline: date | str | None
    source: str | None


@dataclass(frozen=True)
class ListOfIssuesView:
    report: int
    symbol: str
    issued: date | str | None
    replies_received: date | str | None
    replies_symbol: str | None
    source: str | None


@dataclass(frozen=True)
class ObservationsView:
    number: int
    symbol: str
    adopted: date | str | None
    session: int | None
    next_reports: list[int] | None
    next_due: date | str | None
    next_due_mode: str
    follow_up_due: date | str | None
    source: str | None


@dataclass(frozen=True)
class HistoryView:
    """How far the record's reporting history for a State is known to be complete."""

    verified: bool
    researched_until: date | None
    kept_current: bool  # the secretariat records every document as it comes
    note: str | None

    @classmethod
    def of(cls, until: date | None, note: str | None) -> HistoryView:
        kept = until == KEPT_CURRENT
        return cls(until is not None, None if kept else until, kept, note)


@dataclass(frozen=True)
class DeclarationView:
    in_effect: bool
    declared: date | None
    withdrawn: date | None
    source: str | None


@dataclass(frozen=True)
class DossierView:
    code: str
    name: str
    party: bool
    entry_into_force: date | None
    entry_into_force_basis: str | None
    actions: list[ActionView]
    reports: list[ReportView]
    declarations: dict[str, DeclarationView]
    follow_up: list[ReportView]
    reviews: list[ReviewView]
    lists_of_issues_prior_to_reporting: list[LoiprView]
    lists_of_issues: list[ListOfIssuesView]
    concluding_observations: list[ObservationsView]
    history: HistoryView
    problem: str | None


def state_declarations(standing: Standing) -> dict[str, DeclarationView]:
    views: dict[str, DeclarationView] = {}
    for article in COMMUNICATION_ARTICLES:
        spells = [s for s in standing.spells if s.article == article]
        if not spells:
            views[str(article)] = DeclarationView(False, None, None, None)
            continue
        latest = max(spells, key=lambda s: s.start)
        views[str(article)] = DeclarationView(
            latest.end is None, latest.start, latest.end, latest.declaration.source
        )
    return views


def state_dossier(record: Record, code: str, as_of: date) -> DossierView:
    code = code.upper()
    a = assess(record, code, as_of)
    actions = sorted(
        (x for x in record.actions.get(code, []) if x.date <= as_of), key=lambda x: x.replay_key
    )
    entry = record.states[code]
    reviews = sorted((r for r in record.reviews.get(code, []) if r.date <= as_of), key=_by_date)
    loiprs = sorted(
        (x for x in record.loiprs.get(code, []) if x.transmitted <= as_of), key=lambda x: x.report
    )
    lists = sorted(
        (x for x in record.lists_of_issues.get(code, []) if x.issued <= as_of),
        key=lambda x: x.issued,
    )
    observations = sorted(
        (x for x in record.observations.get(code, []) if x.adopted <= as_of),
        key=lambda x: x.number,
    )
    return DossierView(
        code=a.code,
        name=a.name,
        party=a.standing.party,
        entry_into_force=a.entry_into_force.date if a.entry_into_force else None,
        entry_into_force_basis=a.entry_into_force.basis if a.entry_into_force else None,
        actions=[
            ActionView(
                x.action.value,
                as_given(x.date, x.date_precision) or x.date,
                list(x.articles),
                x.source,
            )  # fmt: skip
            for x in actions
        ],
        reports=[ReportView.of(r, a.verified_for(r)) for r in a.reports],
        declarations=state_declarations(a.standing),
        follow_up=[ReportView.of(f, a.verified_for(f)) for f in a.follow_ups],
        reviews=[
            ReviewView(
                list(range(r.first, r.last + 1)),
                r.session,
                r.date,
                r.end_date,
                r.without_report,
                r.symbol,
                r.source,
                r.out_of_sequence,
            )
            for r in reviews
        ],
        lists_of_issues_prior_to_reporting=[
            LoiprView(
                x.report,
                x.symbol,
                as_given(x.transmitted, x.transmitted_precision),
                as_given(x.deadline, x.deadline_precision),
                x.source,
            )
            for x in loiprs
        ],
        lists_of_issues=[
            ListOfIssuesView(
                x.report,
                x.symbol,
                as_given(x.issued, x.issued_precision),
                as_given(
                    x.replies_received
                    if x.replies_received and x.replies_received <= as_of
                    else None,
                    x.replies_precision,
                ),
                x.replies_symbol if x.replies_received and x.replies_received <= as_of else None,
                x.source,
            )
            for x in lists
        ],
        concluding_observations=[
            ObservationsView(
                x.number,
                x.symbol,
                as_given(x.adopted, x.adopted_precision),
                x.session,
                list(range(x.next_first, (x.next_last or x.next_first) + 1))
                if x.next_first
                else None,
                as_given(x.next_due, x.next_due_precision),
                x.next_due_mode.value,
                as_given(x.follow_up_due, x.follow_up_precision),
                x.source,
            )
            for x in observations
        ],
        history=HistoryView.of(entry.history_researched_until, entry.history_note),
        problem=a.problem,
    )


def _by_date(review: Review) -> date:
    return review.date


# --- overdue and upcoming ---------------------------------------------------------------


@dataclass(frozen=True)
class OverdueItem:
    code: str
    name: str
    number: int
    kind: str  # initial, periodic or follow_up
    due: date | str
    days_overdue: int
    basis: str
    overdue_from: date
    region: str | None
    verified: bool


@dataclass(frozen=True)
class UpcomingItem:
    code: str
    name: str
    number: int
    kind: str
    due: date | str
    days_until: int
    basis: str
    region: str | None
    verified: bool


@dataclass(frozen=True)
class OverdueView:
    as_of: date
    items: list[OverdueItem]


@dataclass(frozen=True)
class UpcomingView:
    as_of: date
    items: list[UpcomingItem]


def _in_region(a: StateAssessment, region: str | None) -> bool:
    return region is None or (a.regional_group or "").upper() == region.upper()


def reports_on_record(record: Record, as_of: date) -> int:
    """How many reports received the record holds up to a date."""
    return sum(1 for reports in record.reports.values() for r in reports if r.received <= as_of)


def overdue_reports(
    record: Record,
    as_of: date,
    region: str | None = None,
    assessed: list[StateAssessment] | None = None,
) -> OverdueView:
    """Reports and follow-up information overdue on `as_of`, most overdue first.

    `assessed`: the States' assessments as at `as_of` (at least those acting), if at hand.
    Kept as at the first date asked in its due interval (see `due_interval`), and dated again
    for any other: only the days overdue differ, and the order (by due date) does not.
    """
    key = None if assessed is not None else _due_key(record, as_of)
    return kept_and_dated(
        record,
        key and ("overdue", key, region),
        as_of,
        lambda: _overdue_reports(record, as_of, region, assessed),
        lambda kept: OverdueView(
            as_of,
            [
                OverdueItem(
                    i.code,
                    i.name,
                    i.number,
                    i.kind,
                    i.due,
                    (as_of - i.overdue_from).days + 1,
                    i.basis,
                    i.overdue_from,
                    i.region,
                    i.verified,
                )
                for i in kept.items
            ],
        ),
    )


def _overdue_reports(
    record: Record,
    as_of: date,
    region: str | None = None,
    assessed: list[StateAssessment] | None = None,
) -> OverdueView:
    items = [
        OverdueItem(
            a.code,
            a.name,
            r.number,
            r.kind,
            as_given(r.due, r.due_precision) or r.due,
            (as_of - r.due).days,
            r.basis,
            overdue_from(r.due),
            a.regional_group,
            a.verified_for(r),
        )
        for a in (assessed if assessed is not None else assess_acting(record, as_of))
        if _in_region(a, region)
        for r in a.obligations()
        if r.status is ReportStatus.OVERDUE and r.due is not None
    ]
    items.sort(key=lambda i: (-i.days_overdue, i.name, i.number, i.kind))
    return OverdueView(as_of, items)


def upcoming_reports(
    record: Record,
    as_of: date,
    within: int = 90,
    region: str | None = None,
    assessed: list[StateAssessment] | None = None,
) -> UpcomingView:
    """Reports and follow-up due from `as_of` (due today counts) to `within` days after it.

    `assessed`: the States' assessments as at `as_of` (at least those acting), if at hand.
    Kept as `overdue_reports` is, with where the horizon falls among the due dates.
    """
    key = None if assessed is not None else _due_key(record, as_of, within)
    return kept_and_dated(
        record,
        key and ("upcoming", key, region),
        as_of,
        lambda: _upcoming_reports(record, as_of, within, region, assessed),
        lambda kept: UpcomingView(
            as_of,
            [
                UpcomingItem(
                    i.code,
                    i.name,
                    i.number,
                    i.kind,
                    i.due,
                    i.days_until + (kept.as_of - as_of).days,
                    i.basis,
                    i.region,
                    i.verified,
                )
                for i in kept.items
            ],
        ),
    )


def _upcoming_reports(
    record: Record,
    as_of: date,
    within: int = 90,
    region: str | None = None,
    assessed: list[StateAssessment] | None = None,
) -> UpcomingView:
    horizon = as_of + timedelta(days=within)
    items = [
        UpcomingItem(
            a.code,
            a.name,
            r.number,
            r.kind,
            as_given(r.due, r.due_precision) or r.due,
            (r.due - as_of).days,
            r.basis,
            a.regional_group,
            a.verified_for(r),
        )
        for a in (assessed if assessed is not None else assess_acting(record, as_of))
        if _in_region(a, region)
        for r in a.obligations()
        if r.status in (ReportStatus.DUE, ReportStatus.UPCOMING)
        and r.due is not None
        and r.due <= horizon
    ]
    items.sort(key=lambda i: (i.days_until, i.name, i.number, i.kind))
    return UpcomingView(as_of, items)


# --- overdue, one row per State ---------------------------------------------------------


@dataclass(frozen=True)
class StateOverdue:
    """What one State has overdue as at a date: the row a secretariat officer acts on."""

    code: str
    name: str
    region: str | None
    items: int
    what: list[str]  # "report 2", "report 3 (replies to CMW/C/X/QPR/3)", "follow-up on …"
    oldest_due: date | str
    overdue_since: date
    days_overdue: int
    verified: bool  # every item vouched for by the record


@dataclass(frozen=True)
class OverdueByStateView:
    as_of: date
    states: list[StateOverdue]


def describe_item(item: OverdueItem) -> str:
    """An overdue item in the secretariat's words."""
    if item.kind == "follow_up":
        return f"follow-up on {item.basis}"
    if "/QPR/" in item.basis:
        return f"report {item.number} (replies to {item.basis})"
    return f"report {item.number}"


def overdue_by_state(record: Record, as_of: date, region: str | None = None) -> OverdueByStateView:
    """The overdue list grouped by State, the State overdue longest first (kept and dated
    again as `overdue_reports` is)."""
    key = _due_key(record, as_of)
    return kept_and_dated(
        record,
        key and ("overdue by state", key, region),
        as_of,
        lambda: _overdue_by_state(record, as_of, region),
        lambda kept: OverdueByStateView(
            as_of,
            [
                StateOverdue(
                    r.code,
                    r.name,
                    r.region,
                    r.items,
                    r.what,
                    r.oldest_due,
                    r.overdue_since,
                    (as_of - r.overdue_since).days + 1,
                    r.verified,
                )
                for r in kept.states
            ],
        ),
    )


def _overdue_by_state(record: Record, as_of: date, region: str | None) -> OverdueByStateView:
    by_state: dict[str, list[OverdueItem]] = {}
    for item in overdue_reports(record, as_of, region).items:
        by_state.setdefault(item.code, []).append(item)
    rows = []
    for code, items in by_state.items():
        oldest = max(items, key=lambda i: i.days_overdue)
        ordered = sorted(items, key=lambda i: (i.kind == "follow_up", i.number))
        rows.append(
            StateOverdue(
                code, oldest.name, oldest.region, len(items),
                [describe_item(i) for i in ordered], oldest.due, oldest.overdue_from,
                oldest.days_overdue, all(i.verified for i in items),
            )
        )  # fmt: skip
    rows.sort(key=lambda r: (-r.days_overdue, r.name))
    return OverdueByStateView(as_of, rows)
