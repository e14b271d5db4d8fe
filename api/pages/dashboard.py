"""The dashboard (`/`): where the Convention stands, who is overdue, what falls due soon."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.pages import languages
from api.pages.chart import PartiesChart, parties_chart
from api.pages.web import PageRoute, answer, as_at, render
from api.pages.words import REGIONS, alphabetical_key
from obligations import queries
from obligations.errors import Conflict
from obligations.record import Record
from obligations.rules.dates import OPENED_FOR_SIGNATURE
from obligations.rules.facts import Action, ActionKind
from obligations.rules.standing import denunciation_takes_effect, replay
from obligations.state_names import state_name

router = APIRouter(route_class=PageRoute, include_in_schema=False)

UPCOMING_DAYS = 90


@dataclass(frozen=True)
class RegionCount:
    region: str
    reports: int
    states: int


@dataclass(frozen=True)
class Procedure:
    article: str
    count: int
    in_force: bool
    needed: int
    names: list[str]


@dataclass(frozen=True)
class Dashboard:
    status: queries.StatusView
    overdue_reports: int
    overdue_states: int
    by_region: list[RegionCount]
    procedures: list[Procedure]
    upcoming: queries.UpcomingView
    chart: PartiesChart


def year_ends(as_of: date) -> list[date]:
    """The last day of each year from the first after adoption, and the as-at date itself."""
    ends = [date(year, 12, 31) for year in range(OPENED_FOR_SIGNATURE.year, as_of.year)]
    return [*ends, as_of]


def party_spells(actions: list[Action]) -> tuple[list[date], list[bool]]:
    """The days a State's standing can change (its actions, and the day each denunciation
    takes effect), each with whether the State is a party from that day on: the same answer
    as replaying its actions as at any day, since nothing else moves it."""
    changes = sorted(
        {a.date for a in actions}
        | {
            denunciation_takes_effect(a.date)
            for a in actions
            if a.action is ActionKind.DENUNCIATION
        }
    )
    party = []
    for day in changes:
        try:
            party.append(replay(actions, day).party)
        except Conflict:
            party.append(False)  # as `queries.assess` does: an impossible record is no party
    return changes, party


def parties_counts(record: Record, days: list[date]) -> list[tuple[date, int]]:
    """How many States were parties on each day: one replay per change of standing, not
    one status of the Convention per day. A year's last day is counted once and kept."""
    counts = []
    for day in days:
        year_end = day.month == 12 and day.day == 31
        count: int | None = record.derived.get(("parties on", day)) if year_end else None
        if count is None:
            count = sum(1 for code in record.actions if _party_on(record, code, day))
            if year_end:
                record.derived[("parties on", day)] = count
        counts.append((day, count))
    return counts


def _party_on(record: Record, code: str, day: date) -> bool:
    spells = record.derived.get(("party spells", code))
    if spells is None:  # undated: kept with the record, like the queries' derived facts
        spells = record.derived[("party spells", code)] = party_spells(record.actions[code])
    changes, party = spells
    latest = bisect_right(changes, day) - 1
    return latest >= 0 and party[latest]


def dashboard(record: Record, as_of: date, language: str = "en") -> Dashboard:
    # Each of these is kept by the record and dated again (see obligations.queries).
    status = queries.convention_status(record, as_of)
    overdue = queries.overdue_reports(record, as_of)
    reports: dict[str, int] = defaultdict(int)
    states: dict[str, set[str]] = defaultdict(set)
    for item in overdue.items:
        region = record.states[item.code].regional_group or ""
        reports[region] += 1
        states[region].add(item.code)
    by_region = [
        RegionCount(region, reports[region], len(states[region]))
        for region in [*REGIONS, *sorted(set(reports) - set(REGIONS))]
    ]
    procedures = [
        Procedure(
            article,
            view.count,
            view.in_force,
            view.needed,
            sorted(
                (state_name(c, record.states[c].name_on(as_of), language) for c in view.states),
                key=alphabetical_key,
            ),
        )
        for article, view in status.declarations.items()
    ]
    return Dashboard(
        status,
        len(overdue.items),
        len({i.code for i in overdue.items}),
        by_region,
        procedures,
        queries.upcoming_reports(record, as_of, UPCOMING_DAYS),
        parties_chart(
            parties_counts(record, year_ends(as_of)), status.entry_into_force, as_of, language
        ),
    )


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, as_of: str | None = None) -> HTMLResponse:
    when = as_at(as_of)
    language = languages.of_request(request)
    view = answer(
        request,
        ("dashboard", when.day, language),
        lambda record: dashboard(record, when.day, language),
    )
    return render(
        request,
        "dashboard.html",
        asat=when,
        view=view,
        upcoming_days=UPCOMING_DAYS,
    )
