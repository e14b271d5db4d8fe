"""A State's focal points on the pages: listed, added, edited, deactivated and reactivated,
by the secretariat or by the State's own focal point, through obligations.contacts and audited
as the API audits them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.deps import Principal, RecordId, reading, writing
from api.errors import field_message
from api.pages import languages
from api.pages.forms import Field
from api.pages.security import check_csrf, notify, require_state_access
from api.pages.web import PageRoute, render
from obligations import contacts
from obligations.audit import log_change, log_creation, snapshot
from obligations.errors import Conflict, InvalidInput
from obligations.i18n import N_
from obligations.inputs import parse_state_code
from obligations.recording import require_state

router = APIRouter(route_class=PageRoute, include_in_schema=False)

FIELDS = (
    Field("name", N_("Name"), required=True, hint=N_("As it should appear in the greeting.")),
    Field("email", N_("E-mail"), required=True, placeholder="name@ministry.example"),
    Field(
        "language",
        N_("Language"),
        "select",
        required=True,
        hint=N_("The language of the reminders and notices sent to this person."),
        choices=tuple((language.value, language.value) for language in contacts.Language),
    ),
    Field(
        "role",
        N_("Role"),
        "radio",
        choices=(
            ("primary", N_("primary (the message is addressed to this person)")),
            ("copy", N_("copy (receives a copy)")),
        ),
    ),
)
NEW = {"language": ["en"], "role": ["primary"]}


def state_name(request: Request, code: str) -> str:
    with reading(request) as session:
        return require_state(session, code).name


@router.get("/states/{code}/contacts", response_class=HTMLResponse)
def contacts_page(request: Request, code: str) -> Response:
    iso = parse_state_code(code, "code")
    require_state_access(request, iso)
    with reading(request) as session:
        name = require_state(session, iso).name
        people = contacts.list_contacts(session, iso)
    return render(request, "contacts.html", code=iso, state_name=name, contacts=people)


def show_form(
    request: Request,
    code: str,
    values: dict[str, list[str]],
    contact_id: int | None = None,
    status: int = 200,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
) -> Response:
    return render(
        request,
        "contact_form.html",
        status,
        code=code,
        state_name=state_name(request, code),
        contact_id=contact_id,
        fields=FIELDS,
        values=values,
        errors=errors or {},
        problem=problem,
        states=[],
    )


def refused(
    request: Request,
    code: str,
    values: dict[str, list[str]],
    contact_id: int | None,
    error: InvalidInput | Conflict,
) -> Response:
    """The form again, the problem next to its field when it names one; nothing saved."""
    field, message = field_message(error)
    gettext = languages.translator(request).gettext
    if isinstance(error, InvalidInput) and field in {f.name for f in FIELDS}:
        return show_form(
            request,
            code,
            values,
            contact_id,
            422,
            {field: message},
            gettext("Not saved: one field needs attention."),
        )
    status = 409 if isinstance(error, Conflict) else 422
    problem = gettext("Not saved: %(reason)s.") % {"reason": error}
    return show_form(request, code, values, contact_id, status, problem=problem)


def first(values: dict[str, list[str]], name: str) -> str:
    return (values.get(name) or [""])[0]


def form_values(form: Any) -> dict[str, list[str]]:
    return {f.name: [v for v in form.getlist(f.name) if isinstance(v, str)] for f in FIELDS}


@router.get("/states/{code}/contacts/new", response_class=HTMLResponse)
def new_contact_form(request: Request, code: str) -> Response:
    iso = parse_state_code(code, "code")
    require_state_access(request, iso)
    return show_form(request, iso, dict(NEW))


def add(request: Request, who: Principal, code: str, values: dict[str, list[str]]) -> Response:
    try:
        with writing(request) as session:
            row = contacts.add_contact(
                session,
                code,
                first(values, "name"),
                first(values, "email"),
                first(values, "language") or "en",
                first(values, "role") or "primary",
            )
            log_creation(session, who.actor, "contact", row)
            said = f"{row.name} <{row.email}>"
    except (InvalidInput, Conflict) as error:
        return refused(request, code, values, None, error)
    notify(
        request,
        languages.translator(request).gettext("Added %(contact)s as a focal point of %(state)s.")
        % {"contact": said, "state": code},
    )
    return RedirectResponse(f"/states/{code}/contacts", status_code=303)


@router.post("/states/{code}/contacts/new", response_class=HTMLResponse)
async def new_contact_submit(request: Request, code: str) -> Response:
    iso = parse_state_code(code, "code")
    who = await run_in_threadpool(require_state_access, request, iso)
    form = await request.form()
    check_csrf(request, form)
    return await run_in_threadpool(add, request, who, iso, form_values(form))


@router.get("/states/{code}/contacts/{contact_id}/edit", response_class=HTMLResponse)
def edit_contact_form(request: Request, code: str, contact_id: RecordId) -> Response:
    iso = parse_state_code(code, "code")
    require_state_access(request, iso)
    with reading(request) as session:
        row = contacts.get_contact(session, contact_id, iso)
        values = {f.name: [str(getattr(row, f.name))] for f in FIELDS}
    return show_form(request, iso, values, contact_id)


def change(
    request: Request, who: Principal, code: str, contact_id: int, values: dict[str, list[str]]
) -> Response:
    try:
        with writing(request) as session:
            row = contacts.get_contact(session, contact_id, code)
            before = snapshot(row)
            contacts.update_contact(
                session,
                row,
                name=first(values, "name"),
                email=first(values, "email"),
                language=first(values, "language"),
                role=first(values, "role") or row.role,
            )
            log_change(session, who.actor, "update", "contact", row.id, code, before, snapshot(row))
            said = f"{row.name} <{row.email}>"
    except (InvalidInput, Conflict) as error:
        return refused(request, code, values, contact_id, error)
    notify(request, languages.translator(request).gettext("Saved %(contact)s.") % {"contact": said})
    return RedirectResponse(f"/states/{code}/contacts", status_code=303)


@router.post("/states/{code}/contacts/{contact_id}/edit", response_class=HTMLResponse)
async def edit_contact_submit(request: Request, code: str, contact_id: RecordId) -> Response:
    iso = parse_state_code(code, "code")
    who = await run_in_threadpool(require_state_access, request, iso)
    form = await request.form()
    check_csrf(request, form)
    return await run_in_threadpool(change, request, who, iso, contact_id, form_values(form))


def set_active(request: Request, who: Principal, code: str, contact_id: int, raw: str) -> Response:
    gettext = languages.translator(request).gettext
    if raw not in ("yes", "no"):
        problem = gettext("Not changed: active must be yes or no, not %(value)s.")
        notify(request, problem % {"value": repr(raw)}, "error")
        return RedirectResponse(f"/states/{code}/contacts", status_code=303)
    with writing(request) as session:
        row = contacts.get_contact(session, contact_id, code)
        before = snapshot(row)
        contacts.update_contact(session, row, active=raw == "yes")
        log_change(session, who.actor, "update", "contact", row.id, code, before, snapshot(row))
        said = f"{row.name} <{row.email}>"
    done = (
        gettext("Reactivated %(contact)s.") if raw == "yes" else gettext("Deactivated %(contact)s.")
    )
    notify(request, done % {"contact": said})
    return RedirectResponse(f"/states/{code}/contacts", status_code=303)


@router.post("/states/{code}/contacts/{contact_id}/active")
async def active_submit(request: Request, code: str, contact_id: RecordId) -> Response:
    iso = parse_state_code(code, "code")
    who = await run_in_threadpool(require_state_access, request, iso)
    form = await request.form()
    check_csrf(request, form)
    raw = form.get("active")
    active = raw.strip() if isinstance(raw, str) else ""
    return await run_in_threadpool(set_active, request, who, iso, contact_id, active)
