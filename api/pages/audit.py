"""The audit log (secretariat): every write, who made it, when, and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import reading
from api.pages.security import require_officer
from api.pages.web import PageRoute, link, page_number, render
from obligations.audit import AuditView, audit_page
from obligations.inputs import parse_state_code

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZE = 50


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def changes(entry: AuditView) -> list[Change]:
    """The fields a write set or changed; for a deletion, what was deleted."""
    before, after = entry.before or {}, entry.after or {}
    fields = sorted(set(before) | set(after))
    return [
        Change(f, before.get(f), after.get(f))
        for f in fields
        if f != "id" and before.get(f) != after.get(f)
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
        total=found.total,
        state=code,
        page=number,
        previous=link("/audit", state=code, page=number - 1) if number > 1 else None,
        next=link("/audit", state=code, page=number + 1)
        if found.offset + len(found.items) < found.total
        else None,
    )
