"""The status report (`/status`): the Secretary-General's paragraph as at a date, to paste."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.pages import languages
from api.pages.paragraph import status_paragraph
from api.pages.web import PageRoute, answer, as_at, render
from api.pages.words import alphabetical_key
from obligations import queries
from obligations.record import Record

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class StatusReport:
    status: queries.StatusView
    paragraph: str
    parties: list[queries.PartyView]
    signatories: list[queries.SignatoryView]


def status_report(record: Record, as_of: date, language: str = "en") -> StatusReport:
    status = queries.convention_status(record, as_of)
    twentieth = queries.general(record, as_of).twentieth_deposited
    return StatusReport(
        status,
        status_paragraph(status, twentieth, language),
        sorted(status.parties, key=lambda p: alphabetical_key(p.name)),
        sorted(status.signatories, key=lambda s: alphabetical_key(s.name)),
    )


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request, as_of: str | None = None) -> HTMLResponse:
    when = as_at(as_of)
    language = languages.of_request(request)
    report = answer(
        request, ("status", when.day, language), lambda r: status_report(r, when.day, language)
    )
    return render(request, "status.html", asat=when, report=report)


@router.get("/status.txt")
def status_text(request: Request, as_of: str | None = None) -> Response:
    """The paragraph alone, as a plain-text file, in the page's language."""
    when = as_at(as_of)
    language = languages.of_request(request)
    report = answer(
        request, ("status", when.day, language), lambda r: status_report(r, when.day, language)
    )
    filename = f"icrmw-status-{when.day.isoformat()}.txt"
    response = Response(
        report.paragraph + "\n",
        media_type="text/plain; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Language": language,
        },
    )
    languages.keep(request, response)
    return response
