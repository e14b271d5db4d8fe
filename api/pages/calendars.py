"""The due dates as calendars to subscribe to: every State's, or one State's."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter, Request, Response

from api.pages.ical import AllDayEvent, calendar
from api.pages.web import PageRoute, answer, as_at
from obligations import queries
from obligations.inputs import parse_state_code
from obligations.record import Record
from obligations.rules.reporting import overdue_from
from obligations.wording import long_date, report_title

router = APIRouter(route_class=PageRoute, include_in_schema=False)

UID_DOMAIN = "treaty-obligations.icrmw"


def due_date_events(record: Record, codes: list[str], as_of: date, site: str) -> list[AllDayEvent]:
    """One all-day event per report in each State's schedule as at the date.

    The UID names the State and the report's number, so a due date moved by the Committee
    moves the event a subscriber already has instead of adding another.
    """
    events = []
    for code in codes:
        dossier = queries.state_dossier(record, code, as_of)
        for report in dossier.reports:
            span = period_of(report.due)
            if span is None:
                continue  # a date to be set: nothing to put in a calendar yet
            events.append(
                AllDayEvent(
                    uid=f"{dossier.code.lower()}-report-{report.number}@{UID_DOMAIN}",
                    day=span[0],
                    until=span[1],
                    summary=f"{dossier.name}: {report_title(report.number)} due (ICRMW)",
                    description=describe(dossier, report, as_of),
                    url=f"{site}/states/{dossier.code}",
                    categories=("ICRMW", report.status),
                )
            )
    return sorted(events, key=lambda e: (e.day, e.uid))


def period_of(due: date | str | None) -> tuple[date, date | None] | None:
    """The days an event covers: the due day, or the whole month or year a document gives."""
    if due is None:
        return None
    if isinstance(due, date):
        return due, None
    if len(due) == 4:
        return date(int(due), 1, 1), date(int(due) + 1, 1, 1)
    first = date.fromisoformat(due + "-01")
    return first, date(first.year + first.month // 12, first.month % 12 + 1, 1)


def describe(dossier: queries.DossierView, report: queries.ReportView, as_of: date) -> str:
    lines = [
        f"{report_title(report.number).capitalize()} (no. {report.number}) of "
        f"{dossier.name} ({dossier.code}) under the International Convention on the "
        "Protection of the Rights of All Migrant Workers and Members of Their Families.",
        f"Due: {long_date(report.due) if isinstance(report.due, date) else report.due}.",
        f"Basis: {report.basis}.",
    ]
    if report.status == "received" and report.received:
        symbol = f" as {report.symbol}" if report.symbol else ""
        received = report.received
        shown = long_date(received) if isinstance(received, date) else received
        lines.append(f"Received {shown}{symbol}.")
    elif report.status == "overdue" and isinstance(report.due, date):
        since = long_date(overdue_from(report.due))
        lines.append(f"Overdue since {since} (as at {long_date(as_of)}).")
    else:
        lines.append(f"Not yet received (as at {long_date(as_of)}).")
    return "\n".join(lines)


def ics_response(feed: bytes, filename: str) -> Response:
    return Response(
        feed,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def site_of(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/calendar.ics")
def all_due_dates(request: Request, as_of: str | None = None) -> Response:
    when = as_at(as_of)
    site = site_of(request)
    events = answer(
        request,
        ("calendar", when.day, site),
        lambda r: due_date_events(r, sorted(r.actions), when.day, site),
    )
    feed = calendar(
        "ICRMW reports due",
        events,
        datetime.now(UTC),
        "Reports due under article 73 of the ICRMW, from the Committee secretariat's tracker.",
    )
    return ics_response(feed, "icrmw-due-dates.ics")


@router.get("/states/{code}/calendar.ics")
def state_due_dates(request: Request, code: str, as_of: str | None = None) -> Response:
    when = as_at(as_of)
    iso = parse_state_code(code, "code")
    site = site_of(request)
    events = answer(
        request,
        ("calendar", when.day, site, iso),
        lambda r: due_date_events(r, [iso], when.day, site),
    )
    name = answer(request, ("name", iso, when.day), lambda r: queries.assess(r, iso, when.day).name)
    feed = calendar(f"ICRMW reports due: {name}", events, datetime.now(UTC))
    return ics_response(feed, f"icrmw-due-dates-{iso.lower()}.ics")
