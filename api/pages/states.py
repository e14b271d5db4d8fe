"""The States (`/states`) and each State's whole record (`/states/{code}`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import reading
from api.pages import languages
from api.pages.corrections import StoredFact, stored_facts
from api.pages.security import refuse_other_state, session_holder
from api.pages.web import PageRoute, answer, as_at, link, render
from api.pages.words import alphabetical_key
from notifier.outbox import MessageView, list_messages
from obligations import contacts, queries
from obligations.inputs import parse_state_code
from obligations.record import Record
from obligations.rules.facts import Decision, Review
from obligations.rules.reporting import ReportStatus
from obligations.tokens import Role

router = APIRouter(route_class=PageRoute, include_in_schema=False)

MESSAGES_SHOWN = 20


@dataclass(frozen=True)
class StateRow:
    code: str
    name: str
    regional_group: str | None
    instrument: str | None
    deposited: date | None
    signed: date | None
    entry_into_force: date | None
    overdue: int


def state_rows(record: Record, as_of: date) -> list[StateRow]:
    """Every State with a depositary action on record by the date."""
    rows = []
    for a in queries.assess_acting(record, as_of):
        if not any(x.date <= as_of for x in record.actions.get(a.code, [])):
            continue
        instrument, signature = a.standing.instrument, a.standing.signature
        rows.append(
            StateRow(
                a.code,
                a.name,
                a.regional_group,
                instrument.action.value if instrument else None,
                instrument.date if instrument else None,
                signature.date if signature else None,
                a.entry_into_force.date if a.entry_into_force else None,
                sum(1 for r in a.reports if r.status is ReportStatus.OVERDUE),
            )
        )
    return sorted(rows, key=lambda r: alphabetical_key(r.name))


@dataclass(frozen=True)
class StatePage:
    dossier: queries.DossierView
    current_name: str
    regional_group: str | None
    reviews: list[Review]
    decisions: list[Decision]


def state_page(record: Record, code: str, as_of: date) -> StatePage:
    dossier = queries.state_dossier(record, code, as_of)
    entry = record.states[dossier.code]
    return StatePage(
        dossier,
        entry.name,
        entry.regional_group,
        sorted((r for r in record.reviews.get(dossier.code, []) if r.date <= as_of), key=_day),
        sorted(
            (d for d in record.decisions.get(dossier.code, []) if d.decided <= as_of),
            key=lambda d: d.decided,
        ),
    )


def _day(review: Review) -> date:
    return review.date


@router.get("/states", response_class=HTMLResponse)
def states_page(request: Request, as_of: str | None = None) -> HTMLResponse:
    when = as_at(as_of)
    rows = answer(request, ("states", when.day), lambda r: state_rows(r, when.day))
    return render(request, "states.html", asat=when, rows=rows)


@router.get("/states/go")
def go_to_state(code: str = "", as_of: str | None = None) -> RedirectResponse:
    """The States page's little form: a code typed in, the State's page opened."""
    iso = parse_state_code(code, "code")
    return RedirectResponse(link(f"/states/{iso}", as_of=as_of), status_code=303)


@router.get("/states/{code}", response_class=HTMLResponse)
def state_record_page(request: Request, code: str, as_of: str | None = None) -> HTMLResponse:
    when = as_at(as_of)
    iso = parse_state_code(code, "code")
    page = answer(request, ("state", iso, when.day), lambda r: state_page(r, iso, when.day))
    holder = session_holder(request)
    refuse_other_state(holder, iso)
    people: list[contacts.ContactView] = []
    messages: list[MessageView] = []
    facts: list[StoredFact] = []
    if holder is not None:
        with reading(request) as session:
            people = contacts.list_contacts(session, iso)
            messages = list_messages(session, state_code=iso, limit=MESSAGES_SHOWN)
            if holder.role is Role.SECRETARIAT:
                facts = stored_facts(session, iso, languages.of_request(request))
    return render(
        request,
        "state.html",
        asat=when,
        page=page,
        dossier=page.dossier,
        contacts=people,
        messages=messages,
        messages_shown=MESSAGES_SHOWN,
        facts=facts,
    )
