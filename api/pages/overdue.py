"""The overdue list (`/overdue`): sortable, by regional group, printable, with a CSV download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.pages.web import PageRoute, answer, as_at, link, render
from api.pages.words import REGIONS, alphabetical_key
from obligations import queries
from obligations.errors import InvalidInput
from obligations.record import Record

router = APIRouter(route_class=PageRoute, include_in_schema=False)

SORTS = {
    "days": "most overdue first",
    "state": "State",
    "due": "due date, latest first",
    "region": "regional group, then most overdue",
}


@dataclass(frozen=True)
class OverdueRow:
    item: queries.OverdueItem
    region: str | None

    @property
    def overdue_since(self) -> date:
        return self.item.overdue_from


def overdue_rows(record: Record, as_of: date, region: str | None) -> list[OverdueRow]:
    view = queries.overdue_reports(record, as_of, region)
    return [OverdueRow(i, record.states[i.code].regional_group) for i in view.items]


def sorted_rows(rows: list[OverdueRow], sort: str) -> list[OverdueRow]:
    """The query's order is most overdue first; the other orders keep it within ties."""
    if sort == "state":
        return sorted(rows, key=lambda r: (alphabetical_key(r.item.name), r.item.number))
    if sort == "due":
        return sorted(rows, key=lambda r: r.item.overdue_from, reverse=True)
    if sort == "region":
        return sorted(rows, key=lambda r: r.region or "~")
    return rows


def parse_region(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    code = raw.strip().upper()
    if code not in REGIONS:
        raise InvalidInput(f"region: {raw!r} is not one of {', '.join(REGIONS)}")
    return code


def parse_sort(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return "days"
    if raw not in SORTS:
        raise InvalidInput(f"sort: {raw!r} is not one of {', '.join(SORTS)}")
    return raw


@router.get("/overdue", response_class=HTMLResponse)
def overdue_page(
    request: Request,
    as_of: str | None = None,
    region: str | None = None,
    sort: str | None = None,
) -> HTMLResponse:
    when = as_at(as_of)
    group = parse_region(region)
    order = parse_sort(sort)
    rows = answer(request, ("overdue", when.day, group), lambda r: overdue_rows(r, when.day, group))
    csv = link("/api/v1/overdue", format="csv", region=group, **when.query())
    return render(
        request,
        "overdue.html",
        asat=when,
        rows=sorted_rows(rows, order),
        states=len({r.item.code for r in rows}),
        region=group,
        sort=order,
        sorts=SORTS,
        csv_link=csv,
    )
