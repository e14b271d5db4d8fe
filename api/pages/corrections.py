"""Correcting and deleting recorded facts on the pages (secretariat): every fact of a State
listed with an Edit and a Delete, each going through obligations.corrections (the CLI's and
the API's rules, the same whole-record check, the same audit entry).

An edit form starts from the fact as stored; a refusal is shown on the form with its reason
and nothing is changed. A delete asks first, then posts (with the CSRF token).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.deps import Principal, RecordId, reading, writing
from api.errors import field_message
from api.pages import languages
from api.pages.facts import FORMS, STATE, FactForm
from api.pages.forms import Field, Reader
from api.pages.problems import PageProblem
from api.pages.security import check_csrf, notify, require_officer
from api.pages.web import PageRoute, render
from api.pages.words import report_numbers
from obligations.audit import log_change, snapshot
from obligations.corrections import (
    CORRECTABLE,
    ENTITIES,
    changes_from_text,
    correct_fact,
    delete_fact,
    document_values,
    get_fact,
)
from obligations.errors import Conflict, InvalidInput
from obligations.i18n import N_
from obligations.inputs import parse_state_code
from obligations.record import stored_articles
from obligations.recording import require_state
from obligations.state_names import state_name

router = APIRouter(route_class=PageRoute, include_in_schema=False)

# What each kind of fact is called in a list, and the column that dates it.
KIND_NAMES = {
    "action": N_("Depositary action"),
    "report": N_("Report received"),
    "review": N_("Review"),
    "decision": N_("Committee decision"),
    "loipr": N_("List of issues prior to reporting"),
    "list-of-issues": N_("List of issues"),
    "observations": N_("Concluding observations"),
    "follow-up": N_("Follow-up received"),
}
DATED_BY = {
    "action": "date",
    "report": "received",
    "review": "date",
    "decision": "decided",
    "loipr": "transmitted",
    "list-of-issues": "issued",
    "observations": "adopted",
    "follow-up": "received",
}
# Form field names where the recording function's keyword differs.
FORM_NAMES = {"session_number": "session"}


@dataclass(frozen=True)
class StoredFact:
    kind: str
    id: int
    day: date
    said: str

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


def stored_facts(session: Session, code: str, language: str = "en") -> list[StoredFact]:
    """Every fact stored for the State, oldest first, each with its id and in words."""
    name = state_name(code, require_state(session, code).name, language)
    found = []
    for kind, model in ENTITIES.items():
        for row in session.scalars(select(model).where(model.state_code == code)):
            day = getattr(row, DATED_BY[kind])
            found.append(StoredFact(kind, row.id, day, said(kind, row, name, language)))
    order = list(ENTITIES)
    return sorted(found, key=lambda f: (f.day, order.index(f.kind), f.id))


def said(kind: str, row: Any, name: str, language: str = "en") -> str:
    return FORMS[kind].said(row, name, language)


def kind_of(kind: str) -> FactForm:
    if kind not in ENTITIES:
        raise PageProblem(
            404, f"There is no kind of fact {kind!r}; the kinds are: " + ", ".join(ENTITIES)
        )
    return FORMS[kind]


def edit_fields(kind: str) -> tuple[Field, ...]:
    """The form's fields a correction may change (the State is the fact's own)."""
    fields = tuple(f for f in FORMS[kind].fields if f is not STATE)
    if kind in CORRECTABLE:
        return tuple(f for f in fields if f.name in CORRECTABLE[kind])
    return fields


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def current_values(kind: str, row: Any) -> dict[str, list[str]]:
    """The fact as stored, as the edit form shows it."""
    if kind in CORRECTABLE:
        values: dict[str, Any] = {name: getattr(row, name, None) for name in CORRECTABLE[kind]}
        if "numbers" in values:
            values["numbers"] = report_numbers(row.first_number, row.last_number)
        if kind == "decision":
            values["report"] = row.report_number
        shown = {name: [_text(value)] for name, value in values.items()}
        if kind == "action":
            shown["articles"] = [str(a) for a in stored_articles(row.articles)]
        return shown
    stored = document_values(kind, row)
    shown = {FORM_NAMES.get(name, name): [_text(value)] for name, value in stored.items()}
    if "follow_up" in stored:
        del shown["follow_up"]
        shown["no_follow_up"] = [] if stored["follow_up"] else ["none"]
    return shown


def changes_of(
    kind: str, values: Mapping[str, list[str]], gettext: Callable[[str], str] = N_
) -> tuple[dict[str, Any], dict[str, str]]:
    """What the form asks to change, read by the rules the CLI and the API use, and the
    problems found reading it, by field (then nothing is to be changed)."""
    if kind in CORRECTABLE:
        texts = {
            f.name: ",".join(v.strip() for v in values.get(f.name, []) if v.strip())
            if f.kind == "checkboxes"
            else (values.get(f.name) or [""])[0]
            for f in edit_fields(kind)
        }
        return changes_from_text(kind, texts), {}
    reader = Reader(values, gettext)
    changes = FORMS[kind].read(reader)
    return changes, reader.errors


def show_edit(
    request: Request,
    kind: str,
    code: str,
    fact_id: int,
    what: str,
    values: dict[str, list[str]],
    status: int = 200,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
) -> Response:
    return render(
        request,
        "fact_edit.html",
        status,
        kind=kind,
        kind_name=languages.translator(request).gettext(KIND_NAMES[kind]),
        code=code,
        fact_id=fact_id,
        what=what,
        fields=edit_fields(kind),
        values=values,
        errors=errors or {},
        problem=problem,
        states=[],
        in_place=kind in CORRECTABLE,
    )


def fact_in_words(
    request: Request, kind: str, code: str, fact_id: int
) -> tuple[dict[str, list[str]], str]:
    """The fact as its edit form shows it, and in words; 404 when the State has no such fact."""
    with reading(request) as session:
        row = get_fact(session, kind, fact_id, code)
        language = languages.of_request(request)
        name = state_name(code, require_state(session, code).name, language)
        return current_values(kind, row), said(kind, row, name, language)


@router.get("/states/{code}/facts/{kind}/{fact_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, code: str, kind: str, fact_id: RecordId) -> Response:
    require_officer(request)
    kind_of(kind)
    iso = parse_state_code(code, "code")
    values, what = fact_in_words(request, kind, iso, fact_id)
    return show_edit(request, kind, iso, fact_id, what, values)


def save_correction(
    request: Request,
    officer: Principal,
    kind: str,
    code: str,
    fact_id: int,
    values: dict[str, list[str]],
) -> Response:
    _, what = fact_in_words(request, kind, code, fact_id)
    gettext = languages.translator(request).gettext

    def again(status: int, errors: dict[str, str] | None = None, problem: str = "") -> Response:
        return show_edit(request, kind, code, fact_id, what, values, status, errors, problem)

    try:
        changes, errors = changes_of(kind, values, gettext)
        if errors:
            return again(422, errors, attention(len(errors), gettext))
        with writing(request) as session:
            row = get_fact(session, kind, fact_id, code)
            before = snapshot(row)
            corrected = correct_fact(session, kind, row, changes)
            after = snapshot(corrected)
            log_change(session, officer.actor, "update", kind, fact_id, code, before, after)
            language = languages.of_request(request)
            name = state_name(code, require_state(session, code).name, language)
            now = said(kind, corrected, name, language)
    except InvalidInput as error:
        field, message = field_message(error)
        if field not in {f.name for f in edit_fields(kind)}:
            return again(422, problem=gettext("Not corrected: %(reason)s.") % {"reason": error})
        return again(422, {field: message}, attention(1, gettext))
    except Conflict as error:
        return again(409, problem=gettext("Not corrected: %(reason)s.") % {"reason": error})
    notify(request, gettext("Corrected %(fact)s.") % {"fact": now})
    return RedirectResponse(f"/states/{code}#facts", status_code=303)


def attention(count: int, gettext: Callable[[str], str]) -> str:
    if count == 1:
        return gettext("Not corrected: one field needs attention.")
    return gettext("Not corrected: some fields need attention.")


def form_values(form: Any, fields: tuple[Field, ...]) -> dict[str, list[str]]:
    return {f.name: [v for v in form.getlist(f.name) if isinstance(v, str)] for f in fields}


@router.post("/states/{code}/facts/{kind}/{fact_id}/edit", response_class=HTMLResponse)
async def edit_submit(request: Request, code: str, kind: str, fact_id: RecordId) -> Response:
    officer = await run_in_threadpool(require_officer, request)
    kind_of(kind)
    iso = parse_state_code(code, "code")
    form = await request.form()
    check_csrf(request, form)
    values = form_values(form, edit_fields(kind))
    return await run_in_threadpool(save_correction, request, officer, kind, iso, fact_id, values)


@router.get("/states/{code}/facts/{kind}/{fact_id}/delete", response_class=HTMLResponse)
def delete_form(request: Request, code: str, kind: str, fact_id: RecordId) -> Response:
    require_officer(request)
    kind_of(kind)
    iso = parse_state_code(code, "code")
    _, what = fact_in_words(request, kind, iso, fact_id)
    return show_delete(request, kind, iso, fact_id, what)


def show_delete(
    request: Request,
    kind: str,
    code: str,
    fact_id: int,
    what: str,
    status: int = 200,
    problem: str | None = None,
) -> Response:
    return render(
        request,
        "fact_delete.html",
        status,
        kind=kind,
        kind_name=languages.translator(request).gettext(KIND_NAMES[kind]),
        code=code,
        fact_id=fact_id,
        what=what,
        problem=problem,
    )


def delete_confirmed(
    request: Request, officer: Principal, kind: str, code: str, fact_id: int
) -> Response:
    _, what = fact_in_words(request, kind, code, fact_id)
    gettext = languages.translator(request).gettext
    try:
        with writing(request) as session:
            row = get_fact(session, kind, fact_id, code)
            before = snapshot(row)
            delete_fact(session, row)
            log_change(session, officer.actor, "delete", kind, fact_id, code, before, None)
    except Conflict as error:
        problem = gettext("Not deleted: %(reason)s.") % {"reason": error}
        return show_delete(request, kind, code, fact_id, what, 409, problem)
    notify(request, gettext("Deleted %(fact)s.") % {"fact": what})
    return RedirectResponse(f"/states/{code}#facts", status_code=303)


@router.post("/states/{code}/facts/{kind}/{fact_id}/delete", response_class=HTMLResponse)
async def delete_submit(request: Request, code: str, kind: str, fact_id: RecordId) -> Response:
    officer = await run_in_threadpool(require_officer, request)
    kind_of(kind)
    iso = parse_state_code(code, "code")
    form = await request.form()
    check_csrf(request, form)
    return await run_in_threadpool(delete_confirmed, request, officer, kind, iso, fact_id)
