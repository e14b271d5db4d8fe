"""The secretariat's forms: record an action, a report received, a review, a decision.

Every write goes through obligations.recording, in one transaction with its audit entry;
a form with any problem is shown again with each problem next to its field, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.deps import Principal, writing
from api.errors import field_message
from api.pages import languages
from api.pages.forms import Field, FormInvalid, Reader
from api.pages.problems import PageProblem
from api.pages.security import check_csrf, notify, require_officer
from api.pages.web import PageRoute, answer, render
from api.pages.words import ACTIONS, alphabetical_key, names_in_prose, report_numbers
from obligations import practice, recording
from obligations.audit import log_creation
from obligations.errors import Conflict, InvalidInput, NotFound
from obligations.i18n import N_, translations
from obligations.record import Record
from obligations.state_names import state_name
from obligations.wording import long_date

router = APIRouter(route_class=PageRoute, include_in_schema=False)

STATE = Field("state", N_("State"), "state", required=True)
DOCUMENT_DATE_HINT = N_("YYYY-MM-DD, or YYYY-MM or YYYY when the document gives only that.")
SYMBOL_HINT = N_("A UN document symbol of the Committee, CMW/C/<CODE>/…; leave empty if not known.")
# Left blank, a report beyond the next one due (or a review of reports not received) is refused.
OUT_OF_SEQUENCE = Field(
    "out_of_sequence",
    N_("Out of sequence: why"),
    hint=N_("Only if it skips a report still open or reviews one never received, and it is so."),
)


def read_action(form: Reader) -> dict[str, Any]:
    return {
        "action": form.required("action", N_("the kind of action")),
        "day": form.date("date"),
        "articles": ",".join(form.all_of("articles")),
        "source": form.text("source"),
        "effective": form.date("effective", required=False),
        "notification": form.text("notification"),
        "note": form.text("note"),
    }


def read_report(form: Reader) -> dict[str, Any]:
    return {
        "numbers": form.numbers("numbers"),
        "received": form.date("received"),
        "symbol": form.text("symbol"),
        "procedure": form.raw("procedure") or "standard",
        "out_of_sequence": form.text("out_of_sequence"),
    }


def read_review(form: Reader) -> dict[str, Any]:
    return {
        "numbers": form.numbers("numbers"),
        "session_number": form.whole_number("session", N_("the Committee's session number"))
        if form.raw("session")
        else None,
        "day": form.date("date"),
        "end_date": form.date("end_date", required=False),
        "symbol": form.text("symbol"),
        "without_report": "yes" in form.all_of("without_report"),
        "source": form.text("source"),
        "out_of_sequence": form.text("out_of_sequence"),
    }


def read_loipr(form: Reader) -> dict[str, Any]:
    return {
        "report": form.whole_number("report", N_("the number of the report")),
        "symbol": form.required("symbol", N_("the list's symbol, CMW/C/<CODE>/QPR/<n>")),
        "transmitted": form.required("transmitted", N_("the date it was transmitted")),
        "deadline": form.text("deadline"),
        "source": form.text("source"),
    }


def read_list_of_issues(form: Reader) -> dict[str, Any]:
    return {
        "report": form.raw("report"),
        "symbol": form.required("symbol", N_("the list's symbol, CMW/C/<CODE>/Q/<n>")),
        "issued": form.required("issued", N_("the date it was issued")),
        "replies_received": form.text("replies_received"),
        "replies_symbol": form.text("replies_symbol"),
        "source": form.text("source"),
    }


def read_observations(form: Reader) -> dict[str, Any]:
    next_mode = form.raw("next_due_mode") or None
    return {
        "number": form.whole_number("number", N_("n of CMW/C/<CODE>/CO/<n>")),
        "symbol": form.required("symbol", N_("the symbol, CMW/C/<CODE>/CO/<n>")),
        "adopted": form.required("adopted", N_("the date they were adopted")),
        "session_number": form.whole_number("session", N_("the Committee's session number"))
        if form.raw("session")
        else None,
        "next_numbers": form.text("next_numbers"),
        "next_due": form.text("next_due"),
        "next_due_mode": next_mode,
        "follow_up_due": form.text("follow_up_due"),
        "follow_up": "none" not in form.all_of("no_follow_up"),
        "follow_up_paragraphs": form.text("follow_up_paragraphs"),
        "source": form.text("source"),
    }


def read_follow_up(form: Reader) -> dict[str, Any]:
    return {
        "number": form.whole_number("number", N_("n of the concluding observations")),
        "received": form.required("received", N_("the date it was received")),
        "symbol": form.text("symbol"),
        "source": form.text("source"),
    }


def read_decision(form: Reader) -> dict[str, Any]:
    return {
        "report": form.whole_number("report", N_("the number of the report")),
        "due": form.date("due"),
        "decided": form.date("decided"),
        "symbol": form.text("symbol"),
        "kind": form.raw("kind") or "fix_due_date",
    }


# A fact in words, for notices and the list of facts: `name` is the State's name in `language`
# (obligations.state_names.state_name), the rest is said there too.
def said_action(row: Any, name: str, language: str = "en") -> str:
    gettext = translations(language).gettext
    values = {
        "action": gettext(ACTIONS.get(row.action, row.action)).lower(),
        "state": name,
        "date": long_date(row.date, language),
    }
    if not row.articles:
        return gettext("the %(action)s of %(state)s dated %(date)s") % values
    articles = names_in_prose(row.articles.split(";"), language)
    text = gettext("the %(action)s (articles %(articles)s) of %(state)s dated %(date)s")
    return text % {**values, "articles": articles}


def said_report(row: Any, name: str, language: str = "en") -> str:
    gettext = translations(language).gettext
    values = {
        "numbers": report_numbers(row.first_number, row.last_number),
        "symbol": row.symbol,
        "state": name,
        "date": long_date(row.received, language),
    }
    if row.symbol:
        return gettext("report %(numbers)s (%(symbol)s) of %(state)s, received %(date)s") % values
    return gettext("report %(numbers)s of %(state)s, received %(date)s") % values


def said_review(row: Any, name: str, language: str = "en") -> str:
    text = translations(language).gettext(
        "the review of %(state)s (report %(numbers)s) at session %(session)s, %(date)s"
    )
    return text % {
        "state": name,
        "numbers": report_numbers(row.first_number, row.last_number),
        "session": row.session,
        "date": long_date(row.date, language),
    }


def said_document(row: Any, name: str, language: str = "en") -> str:
    text = translations(language).gettext("%(symbol)s of %(state)s")
    return text % {"symbol": row.symbol, "state": name}


def said_follow_up(row: Any, name: str, language: str = "en") -> str:
    text = translations(language).gettext(
        "the follow-up information of %(state)s on its concluding observations %(number)s"
    )
    return text % {"state": name, "number": row.number}


def said_decision(row: Any, name: str, language: str = "en") -> str:
    text = translations(language).gettext(
        "the decision of %(decided)s: report %(number)s of %(state)s due %(due)s"
    )
    return text % {
        "decided": long_date(row.decided, language),
        "number": row.report_number,
        "state": name,
        "due": long_date(row.due, language),
    }


@dataclass(frozen=True)
class FactForm:
    kind: str
    title: str
    intro: str
    fields: tuple[Field, ...]
    read: Callable[[Reader], dict[str, Any]]
    write: Callable[..., Any]
    said: Callable[[Any, str, str], str]
    tab: str  # what the form records, in the row of tabs


FORMS = {
    "action": FactForm(
        "action",
        N_("Record a depositary action"),
        N_("As the Secretary-General's depositary notification records it."),
        (
            STATE,
            Field(
                "action",
                N_("Action"),
                "select",
                required=True,
                choices=tuple(ACTIONS.items()),
            ),
            Field(
                "date",
                N_("Date"),
                "date",
                required=True,
                hint=N_("The date of deposit or signature."),
            ),
            Field(
                "articles",
                N_("Articles"),
                "checkboxes",
                hint=N_("For a declaration, or its withdrawal, only."),
                choices=(("76", N_("76 (inter-State)")), ("77", N_("77 (individual)"))),
            ),
            Field(
                "effective",
                N_("Bound from"),
                "date",
                hint=N_(
                    "For a succession only: the date from which the successor considers "
                    "itself bound."
                ),
            ),
            Field(
                "source",
                N_("Source"),
                hint=N_("Where this comes from; empty means the secretariat."),
                placeholder=N_("secretariat"),
            ),
            Field(
                "notification",
                N_("Depositary notification"),
                placeholder="C.N.123.2024.TREATIES-IV.13",
            ),
            Field("note", N_("Note"), "textarea"),
        ),
        read_action,
        recording.record_action,
        said_action,
        tab=N_("A depositary action"),
    ),
    "report": FactForm(
        "report",
        N_("Record a report received"),
        N_("A report discharges the report numbers it covers; a combined report covers several."),
        (
            STATE,
            Field(
                "numbers",
                N_("Report number(s)"),
                required=True,
                hint=N_("One number (2), or a range for a combined report (2-3)."),
            ),
            Field("received", N_("Received"), "date", required=True),
            Field(
                "symbol",
                N_("Symbol"),
                hint=N_("CMW/C/<CODE>/<n>, or CMW/C/<CODE>/<n>-<m> for a combined report."),
            ),
            Field(
                "procedure",
                N_("Procedure"),
                "radio",
                choices=(
                    ("standard", N_("standard")),
                    (
                        "simplified",
                        N_("simplified (replies to a list of issues prior to reporting)"),
                    ),
                ),
            ),
            OUT_OF_SEQUENCE,
        ),
        read_report,
        recording.record_report,
        said_report,
        tab=N_("A report received"),
    ),
    "review": FactForm(
        "review",
        N_("Record a review"),
        N_(
            "The Committee's consideration of the State, with a report or in its absence (rule 34)."
        ),
        (
            STATE,
            Field(
                "numbers", N_("Report number(s) considered"), required=True, hint=N_("2, or 2-3.")
            ),
            Field("session", N_("Session"), "number"),
            Field("date", N_("First day"), "date", required=True),
            Field(
                "end_date", N_("Last day"), "date", hint=N_("If the dialogue took more than a day.")
            ),
            Field(
                "symbol",
                N_("Concluding observations"),
                hint=N_(
                    "CMW/C/<CODE>/CO/<n>; A UN document symbol of the Committee, "
                    "CMW/C/<CODE>/…; leave empty if not known."
                ),
            ),
            Field(
                "without_report",
                N_("In the absence of a report"),
                "checkboxes",
                choices=(("yes", N_("the State was considered without a report (rule 34)")),),
            ),
            Field("source", N_("Source"), hint=N_("The UN document this is read in.")),
            OUT_OF_SEQUENCE,
        ),
        read_review,
        recording.record_review,
        said_review,
        tab=N_("A review"),
    ),
    "decision": FactForm(
        "decision",
        N_("Record a Committee decision"),
        N_("A date the Committee fixed wins over article 73; later default dates count from it."),
        (
            STATE,
            Field(
                "kind",
                N_("Decision"),
                "radio",
                choices=(
                    ("fix_due_date", N_("fixes the date a report is due")),
                    ("request_report", N_("requests a report (art. 73(1)(b))")),
                ),
            ),
            Field("report", N_("Report number"), "number", required=True),
            Field("due", N_("Due"), "date", required=True),
            Field("decided", N_("Decided on"), "date", required=True),
            Field("symbol", N_("Symbol"), hint=SYMBOL_HINT),
        ),
        read_decision,
        recording.record_decision,
        said_decision,
        tab=N_("A committee decision"),
    ),
    "loipr": FactForm(
        "loipr",
        N_("Record a list of issues prior to reporting"),
        N_("Simplified procedure: the State's replies are report n, due on the list's deadline."),
        (
            STATE,
            Field("report", N_("Report number"), "number", required=True),
            Field("symbol", N_("Symbol"), required=True, placeholder="CMW/C/<CODE>/QPR/<n>"),
            Field("transmitted", N_("Transmitted"), required=True, hint=DOCUMENT_DATE_HINT),
            Field("deadline", N_("Replies due"), hint=DOCUMENT_DATE_HINT),
            Field("source", N_("Source"), hint=N_("The UN document this is read in.")),
        ),
        read_loipr,
        practice.record_loipr,
        said_document,
        tab=N_("A list of issues prior to reporting"),
    ),
    "list-of-issues": FactForm(
        "list-of-issues",
        N_("Record a list of issues"),
        N_("Standard procedure: the replies come before the dialogue; they are not a report."),
        (
            STATE,
            Field("report", N_("Report number(s)"), required=True, hint=N_("2, or 2-3.")),
            Field("symbol", N_("Symbol"), required=True, placeholder="CMW/C/<CODE>/Q/<n>"),
            Field("issued", N_("Issued"), required=True, hint=DOCUMENT_DATE_HINT),
            Field("replies_received", N_("Replies received"), hint=DOCUMENT_DATE_HINT),
            Field("replies_symbol", N_("Replies' symbol"), placeholder="CMW/C/<CODE>/Q/<n>/Add.1"),
            Field("source", N_("Source"), hint=N_("The UN document this is read in.")),
        ),
        read_list_of_issues,
        practice.record_list_of_issues,
        said_document,
        tab=N_("A list of issues"),
    ),
    "observations": FactForm(
        "observations",
        N_("Record concluding observations"),
        N_(
            "They fix the next report's date, or leave it to the review calendar, and ask for "
            "follow-up information (by default within two years)."
        ),
        (
            STATE,
            Field(
                "number",
                N_("Number"),
                "number",
                required=True,
                hint=N_("n in CMW/C/<CODE>/CO/<n>."),
            ),
            Field("symbol", N_("Symbol"), required=True, placeholder="CMW/C/<CODE>/CO/<n>"),
            Field("adopted", N_("Adopted"), required=True, hint=DOCUMENT_DATE_HINT),
            Field("session", N_("Session"), "number"),
            Field(
                "next_numbers", N_("Next report"), hint=N_("The number they ask for: 3, or 3-4.")
            ),
            Field("next_due", N_("Next report due"), hint=DOCUMENT_DATE_HINT),
            Field(
                "next_due_mode",
                N_("Its date"),
                "radio",
                choices=(
                    ("", N_("as given above (or not on record)")),
                    ("review_calendar", N_("to be set under the predictable review calendar")),
                ),
            ),
            Field(
                "follow_up_due", N_("Follow-up due"), hint=N_("Empty: two years after adoption.")
            ),
            Field(
                "no_follow_up",
                N_("No follow-up"),
                "checkboxes",
                choices=(("none", N_("they ask for no follow-up information")),),
            ),
            Field("follow_up_paragraphs", N_("Follow-up paragraphs"), placeholder="17, 23, 29"),
            Field("source", N_("Source"), hint=N_("The UN document this is read in.")),
        ),
        read_observations,
        practice.record_observations,
        said_document,
        tab=N_("Concluding observations"),
    ),
    "follow-up": FactForm(
        "follow-up",
        N_("Record follow-up information received"),
        N_("The State's follow-up on the priority recommendations of concluding observations."),
        (
            STATE,
            Field("number", N_("Concluding observations number"), "number", required=True),
            Field("received", N_("Received"), required=True, hint=DOCUMENT_DATE_HINT),
            Field("symbol", N_("Symbol"), placeholder="CMW/C/<CODE>/FCO/<n>"),
            Field("source", N_("Source"), hint=N_("The UN document this is read in.")),
        ),
        read_follow_up,
        practice.record_follow_up,
        said_follow_up,
        tab=N_("Follow-up information received"),
    ),
}

DEFAULTS = {"procedure": "standard", "kind": "fix_due_date"}


def form_of(kind: str) -> FactForm:
    spec = FORMS.get(kind)
    if spec is None:
        raise PageProblem(
            404, f"There is no form to record {kind!r}; choose one of: " + ", ".join(FORMS)
        )
    return spec


def state_choices(record: Record) -> list[tuple[str, str]]:
    return sorted(
        ((code, entry.name) for code, entry in record.states.items()),
        key=lambda choice: alphabetical_key(choice[1]),
    )


def show_form(
    request: Request,
    spec: FactForm,
    values: dict[str, list[str]],
    status: int = 200,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
) -> Response:
    return render(
        request,
        "record.html",
        status,
        spec=spec,
        forms=FORMS,
        values=values,
        errors=errors or {},
        problem=problem,
        states=answer(request, ("state-choices",), state_choices),
    )


@router.get("/record/{kind}", response_class=HTMLResponse)
def record_form(request: Request, kind: str, state: str | None = None) -> Response:
    require_officer(request)
    spec = form_of(kind)
    values = {name: [value] for name, value in DEFAULTS.items()}
    if state:
        values["state"] = [state.strip().upper()]
    return show_form(request, spec, values)


def save(
    request: Request, spec: FactForm, officer: Principal, values: dict[str, list[str]]
) -> Response:
    gettext = languages.translator(request).gettext
    reader = Reader(values, gettext)
    code = reader.state_code("state")
    facts = spec.read(reader)
    errors: dict[str, str] = {}
    try:
        reader.done()
        assert code is not None
        with writing(request) as session:
            row = spec.write(session, code, **facts)
            log_creation(session, officer.actor, spec.kind, row)
            language = languages.of_request(request)
            name = state_name(code, recording.require_state(session, code).name, language)
            said = spec.said(row, name, language)
    except FormInvalid:
        errors = reader.errors
    except InvalidInput as error:
        field, message = field_message(error)
        if field not in {f.name for f in spec.fields}:
            problem = gettext("Not recorded: %(reason)s.") % {"reason": error}
            return show_form(request, spec, values, 422, problem=problem)
        errors = {field: message}
    except NotFound as error:
        errors = {"state": str(error)}
    except Conflict as error:
        problem = gettext("Not recorded: %(reason)s.") % {"reason": error}
        return show_form(request, spec, values, 409, problem=problem)
    if errors:
        problem = (
            gettext("Not recorded: one field needs attention.")
            if len(errors) == 1
            else gettext("Not recorded: some fields need attention.")
        )
        return show_form(request, spec, values, 422, errors=errors, problem=problem)
    notify(request, gettext("Recorded %(fact)s.") % {"fact": said})
    return RedirectResponse(f"/states/{code}", status_code=303)


@router.post("/record/{kind}", response_class=HTMLResponse)
async def record_submit(request: Request, kind: str) -> Response:
    officer = await run_in_threadpool(require_officer, request)
    spec = form_of(kind)
    form = await request.form()
    check_csrf(request, form)
    values = {
        name: [v for v in form.getlist(name) if isinstance(v, str)]
        for name in {f.name for f in spec.fields}
    }
    return await run_in_threadpool(save, request, spec, officer, values)
