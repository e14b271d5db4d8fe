"""The overdue list (`/overdue`): one row per State to act on (what it owes, since when, and
for the secretariat its focal point and messages), or one row per item (`view=items`);
sortable, by regional group, printable, with a CSV download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.deps import reading
from api.pages.security import signed_in
from api.pages.web import PageRoute, answer, as_at, link, render
from api.pages.words import alphabetical_key
from notifier.config import Policy
from notifier.models import OutboxMessage
from notifier.policy import next_overdue_notice
from obligations import models, queries
from obligations.errors import InvalidInput
from obligations.i18n import N_
from obligations.inputs import parse_region
from obligations.record import Record
from obligations.settings import Settings

router = APIRouter(route_class=PageRoute, include_in_schema=False)

# Labels are msgids, translated where the page shows them.
SORTS = {
    "days": N_("most overdue first"),
    "state": N_("State"),
    "due": N_("due date, latest first"),
    "region": N_("regional group, then most overdue"),
}


VIEWS = {"state": N_("by State"), "items": N_("one line per report")}


@dataclass(frozen=True)
class Outreach:
    """For the secretariat: who the State's focal points are and what the notifier did."""

    focal_points: int
    last_sent: date | None
    next_planned: date | None
    why_none: str | None  # why no next message is planned


def outreach(
    session: Session,
    overdue: list[queries.OverdueItem],
    as_of: date,
    codes: list[str],
    settings: Settings,
) -> dict[str, Outreach]:
    """Per State: active focal points, the last message sent, the next notice planned."""
    people = dict(
        session.execute(
            select(models.Contact.state_code, func.count())
            .where(models.Contact.active.is_(True))
            .group_by(models.Contact.state_code)
        ).all()
    )
    last = dict(
        session.execute(
            select(OutboxMessage.state_code, func.max(OutboxMessage.sent_at))
            .where(OutboxMessage.status == "sent")
            .group_by(OutboxMessage.state_code)
        ).all()
    )
    policy = Policy(overdue_every_days=settings.overdue_every_days)
    replies_to = any(a.strip() for a in settings.secretariat_emails.split(","))
    items: dict[str, list[queries.OverdueItem]] = {}
    for item in overdue:
        items.setdefault(item.code, []).append(item)
    found = {}
    for code in codes:
        owed = items.get(code, [])
        sent = last.get(code)
        why = None
        if not replies_to:
            why = N_("OBLIGATIONS_SECRETARIAT_EMAILS is not set: the notifier sends nothing")
        elif not people.get(code):
            why = N_("no focal point on file")
        elif not all(i.verified for i in owed):
            why = N_("not verified: nothing is sent")
        next_day = min(
            (next_overdue_notice(i.overdue_from - timedelta(days=1), as_of, policy) for i in owed),
            default=None,
        )
        found[code] = Outreach(
            people.get(code, 0),
            sent.date() if sent else None,
            None if why else next_day,
            why,
        )
    return found


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
    view: str | None = None,
) -> HTMLResponse:
    when = as_at(as_of)
    group = parse_region(region)
    order = parse_sort(sort)
    shown = parse_view(view)
    rows = answer(request, ("overdue", when.day, group), lambda r: overdue_rows(r, when.day, group))
    by_state = answer(
        request,
        ("overdue-by-state", when.day, group),
        lambda r: queries.overdue_by_state(r, when.day, group).states,
    )
    if order == "state":
        by_state = sorted(by_state, key=lambda s: alphabetical_key(s.name))
    elif order == "region":
        by_state = sorted(by_state, key=lambda s: s.region or "~")
    reach: dict[str, Outreach] = {}
    if shown == "state" and signed_in(request) is not None:
        # Not cached: messages go out without changing the record's revision.
        with reading(request) as session:
            reach = outreach(
                session,
                [r.item for r in rows],
                when.day,
                [s.code for s in by_state],
                request.app.state.settings,
            )
    extra = {"by": "state"} if shown == "state" else {}
    csv = link("/api/v1/overdue", format="csv", region=group, **extra, **when.query())
    return render(
        request,
        "overdue.html",
        asat=when,
        rows=sorted_rows(rows, order),
        by_state=by_state,
        reach=reach,
        view=shown,
        views=VIEWS,
        states=len({r.item.code for r in rows}),
        region=group,
        sort=order,
        sorts=SORTS,
        csv_link=csv,
    )


def parse_view(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return "state"
    if raw not in VIEWS:
        raise InvalidInput(f"view: {raw!r} is not one of {', '.join(VIEWS)}")
    return raw
