"""What every page shares: the as-at date, answers from the record, rendering, error pages."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

import jinja2
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from api.deps import factory
from api.errors import status_of
from api.pages import languages, words
from api.pages.problems import PageProblem, SignInRequired
from api.pages.security import CSRF_FIELD, csrf_token, session_holder, take_notice
from obligations import i18n, i18n_templates
from obligations.errors import InvalidInput, ObligationsError
from obligations.i18n import N_
from obligations.inputs import parse_date, today
from obligations.queries import as_given
from obligations.record import Record
from obligations.rules.dates import OPENED_FOR_SIGNATURE
from obligations.state_names import state_name
from obligations.tokens import Role
from obligations.wording import long_date, partial_date, report_title

UN_DOCUMENTS = "https://undocs.org/"


def source_link(source: str | None) -> Markup | str:
    """A fact's source: the document it was read in, linked to the page it was read on."""
    if not source:
        return "–"
    text, _, rest = source.partition(" <")
    url = rest.rstrip(">") if rest.startswith("http") else ""
    if not url:
        return source
    return Markup(f'<a href="{escape(url)}" rel="nofollow">{escape(text)}</a>')


def document_link(symbol: str | None) -> Markup | str:
    """A UN document symbol linked to the UN's document system; '–' when there is none."""
    if not symbol:
        return "–"
    if not symbol.startswith(("CMW/", "A/")):
        return symbol
    href = escape(UN_DOCUMENTS + symbol)
    return Markup(f'<a href="{href}" class="symbol">{escape(symbol)}</a>')


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LATEST_AS_OF = date(2099, 12, 31)

T = TypeVar("T")


@dataclass(frozen=True)
class AsAt:
    """The date a page answers as at, and whether the user chose it (links then keep it)."""

    day: date
    chosen: bool

    def query(self) -> dict[str, str]:
        return {"as_of": self.day.isoformat()} if self.chosen else {}


def as_at(raw: str | None) -> AsAt:
    """The `as_of` parameter: a date from the Convention's adoption to 2099; default today."""
    if raw is None or not raw.strip():
        return AsAt(today(), False)
    day = parse_date(raw, "as_of")
    if day < OPENED_FOR_SIGNATURE:
        raise InvalidInput(
            f"as_of: {day.isoformat()} is before the Convention was adopted and opened for "
            f"signature ({long_date(OPENED_FOR_SIGNATURE)}); choose a later date"
        )
    if day > LATEST_AS_OF:
        raise InvalidInput(
            f"as_of: {day.isoformat()} is too far ahead; choose a date up to "
            f"{long_date(LATEST_AS_OF)}"
        )
    return AsAt(day, True)


def page_number(raw: str | None) -> int:
    """`page` of a paginated list: 1, 2, …"""
    if raw is None or not raw.strip():
        return 1
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 100_000:
        raise InvalidInput(f"page: {raw!r} is not a page number (1, 2, …)")
    return int(raw)


def answer(request: Request, key: tuple[Hashable, ...], compute: Callable[[Record], T]) -> T:
    """Computed from the record once per record revision (the API's cache), then kept."""
    # The response cache in front may have just read the revision (see api.response_cache).
    revision = getattr(request.state, "record_revision", None)
    answers = request.app.state.answers
    return cast(T, answers.answer_from(factory(request), ("pages", *key), compute, revision))


def link(path: str, **params: object) -> str:
    """A path with its query; parameters that are None or empty are left out."""
    query = {k: str(v) for k, v in params.items() if v is not None and v != ""}
    return f"{path}?{urlencode(query)}" if query else path


def language_link(request: Request, language: str) -> str:
    """This page in another language: its own query, with `lang` set."""
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    return link(request.url.path, **query, lang=language)


# Pages speak the language of the request (see api.pages.languages): every page's words go
# through the catalogs (`{% trans %}`, `_()`, `ngettext()`), and the filters below read the
# same language for dates and names.
environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    # Templates ship with the package: compiled once, never checked again for changes.
    auto_reload=False,
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],
)
i18n_templates.install(environment)
environment.filters["long_date"] = lambda d: long_date(d, i18n.current.get())
environment.filters["partial_date"] = lambda d: partial_date(d, i18n.current.get())
environment.filters["document"] = document_link
environment.filters["as_given"] = as_given
environment.filters["source"] = source_link
environment.filters["region_name"] = lambda code: i18n.current_gettext(words.region_name(code))
environment.filters["report_name"] = lambda n: report_title(n, i18n.current.get())
environment.filters["action_name"] = lambda a: i18n.current_gettext(words.ACTIONS.get(a, str(a)))
environment.filters["report_status"] = lambda s: i18n.current_gettext(
    words.REPORT_STATUSES.get(s, str(s))
)
environment.filters["state_name"] = lambda name, code: state_name(code, name, i18n.current.get())
# A msgid kept in Python (a form's label, hint, choice; marked with N_), in the page's language:
# plain text, escaped as any value (`_()` would take it for markup).
environment.filters["translated"] = i18n.current_gettext
environment.filters["thousands"] = lambda n: f"{n:,}"
environment.globals.update(
    link=link,
    report_numbers=words.report_numbers,
    regions=words.REGIONS,
    csrf_field=CSRF_FIELD,
    languages=languages.NAMES,
)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the officer signed in (if any), a one-time notice and security headers."""
    nonce = secrets.token_urlsafe(16)
    holder = session_holder(request)
    officer = holder if holder is not None and holder.role is Role.SECRETARIAT else None
    focal = holder if holder is not None and holder.role is Role.FOCAL_POINT else None
    context.setdefault("asat", None)
    language = languages.of_request(request)
    with i18n.speaking(language):
        body = environment.get_template(template).render(
            request=request,
            officer=officer,
            focal_point=focal,
            notice=take_notice(request),
            nonce=nonce,
            csrf=lambda: csrf_token(request),
            path=request.url.path,
            lang=language,
            language_link=lambda code: language_link(request, code),
            **context,
        )
    response = HTMLResponse(body, status_code=status_code)
    languages.keep(request, response)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        f"script-src 'nonce-{nonce}'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if holder is not None:
        # Contacts and the outbox are personal data: keep signed-in pages out of caches.
        response.headers["Cache-Control"] = "private, no-store"
    return response


ERROR_HEADINGS = {
    401: N_("Sign-in needed"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not allowed"),
    409: N_("Conflicts with the record"),
    422: N_("Cannot read the request"),
}


def error_page(request: Request, status: int, message: str, title: str | None = None) -> Response:
    """An error as a page; its heading in the page's language (the domain's messages stay in
    English, as the API and the CLI give them)."""
    heading = ERROR_HEADINGS.get(status, N_("Something went wrong"))
    return render(
        request,
        "error.html",
        status,
        title=title or languages.translator(request).gettext(heading),
        message=message,
        code=status,
    )


def validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where}: {item.get('msg', 'invalid')}" if where else item.get("msg", ""))
    return "; ".join(parts) or "the request is malformed"


class PageRoute(APIRoute):
    """A page's route: the domain's errors become an HTML page that says what is wrong."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired as needed:
                return RedirectResponse(link("/signin", next=needed.back_to), status_code=303)
            except PageProblem as problem:
                return await run_in_threadpool(
                    error_page, request, problem.status, problem.message, problem.title
                )
            except ObligationsError as error:
                return await run_in_threadpool(error_page, request, status_of(error), str(error))
            except RequestValidationError as error:
                return await run_in_threadpool(error_page, request, 422, validation_message(error))

        return page_handler
