"""The audit log (secretariat): every write, who made it, when, and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import reading
from api.pages.security import require_officer
from api.pages.web import PageRoute, link, page_number, render
from obligations.audit import AuditView, audit_page
from obligations.inputs import parse_state_code
from obligations.queries import as_given
from obligations.record_files import PRECISION_COLUMNS
from obligations.wording import long_date

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZE = 50


# Column names in the words the pages use; a column not listed is shown as it is named.
FIELD_LABELS = {
    "state_code": "State", "first_number": "first report", "last_number": "last report",
    "report_number": "report", "received": "received", "symbol": "symbol",
    "procedure": "procedure", "source": "source", "session": "session", "date": "date",
    "end_date": "last day", "without_report": "in the absence of a report", "due": "due",
    "decided": "decided", "kind": "kind", "action": "action", "articles": "articles",
    "effective": "bound from", "notification": "depositary notification", "note": "note",
    "transmitted": "transmitted", "deadline": "replies due", "issued": "issued",
    "replies_received": "replies received", "replies_symbol": "replies' symbol",
    "number": "number", "adopted": "adopted", "next_first": "next report (first)",
    "next_last": "next report (last)", "next_due": "next report due",
    "next_due_mode": "next report's date", "follow_up_due": "follow-up due",
    "follow_up_paragraphs": "follow-up paragraphs", "name": "name", "email": "e-mail",
    "language": "language", "role": "role", "active": "active", "status": "status",
    "history_researched_until": "history researched up to", "history_note": "note",
    "regional_group": "regional group", "membership": "membership",
}  # fmt: skip
OPERATIONS = {"create": "recorded", "update": "corrected", "delete": "deleted"}


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def shown(field: str, row: dict[str, Any]) -> Any:
    """A value as the pages show it: dates in words (as precise as recorded), yes or no."""
    value = row.get(field)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        precision = row.get(PRECISION_COLUMNS.get(field, f"{field}_precision"), "day")
        return long_date(day) if precision == "day" else as_given(day, precision)
    return value


def changes(entry: AuditView) -> list[Change]:
    """The fields a write set or changed, in words; for a deletion, what was deleted."""
    before, after = entry.before or {}, entry.after or {}
    fields = sorted(set(before) | set(after))
    return [
        Change(FIELD_LABELS.get(f, f.replace("_", " ")), shown(f, before), shown(f, after))
        for f in fields
        if f != "id" and not f.endswith("_precision") and before.get(f) != after.get(f)
    ]


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, state: str | None = None, page: str | None = None) -> Response:
    require_officer(request)
    code = parse_state_code(state, "state") if state else None
    number = page_number(page)
    with reading(request) as session:
        found = audit_page(session, PAGE_SIZE, (number - 1) * PAGE_SIZE, code)
    return render(
        request,
        "audit.html",
        entries=[(e, changes(e)) for e in found.items],
        operations=OPERATIONS,
        total=found.total,
        state=code,
        page=number,
        previous=link("/audit", state=code, page=number - 1) if number > 1 else None,
        next=link("/audit", state=code, page=number + 1)
        if found.offset + len(found.items) < found.total
        else None,
    )
