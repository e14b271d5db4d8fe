"""Focal points' contact details: personal data, for the secretariat and the State's own focal
point only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api.deps import MAX_ID, ContactsAccess, RecordId, Secretariat, reading, writing
from api.responses import json_bytes, json_response
from api.schemas import ContactIn, ContactPatch
from obligations import contacts
from obligations.audit import log_change, log_creation, snapshot
from obligations.inputs import parse_state_code

router = APIRouter(prefix="/api/v1", tags=["contacts"])


@router.get("/contacts", summary="Every contact (secretariat)")
def all_contacts(request: Request, _who: Secretariat) -> Response:
    with reading(request) as session:
        return json_response(json_bytes({"items": contacts.list_contacts(session)}))


@router.get("/states/{code}/contacts", summary="A State's contacts")
def state_contacts(request: Request, code: str, _who: ContactsAccess) -> Response:
    with reading(request) as session:
        items = contacts.list_contacts(session, parse_state_code(code, "code"))
        return json_response(json_bytes({"items": items}))


@router.post("/states/{code}/contacts", status_code=201, summary="Add a contact")
def add_contact(request: Request, code: str, body: ContactIn, who: ContactsAccess) -> Response:
    with writing(request) as session:
        row = contacts.add_contact(
            session,
            parse_state_code(code, "code"),
            body.name,
            body.email,
            body.language,
            body.role,
            body.active,
        )
        log_creation(session, who.actor, "contact", row)
        view = contacts.view(row)
    return json_response(json_bytes(view), 201)


@router.patch("/states/{code}/contacts/{contact_id}", summary="Change a contact")
def change_contact(
    request: Request, code: str, contact_id: RecordId, body: ContactPatch, who: ContactsAccess
) -> Response:
    with writing(request) as session:
        row = contacts.get_contact(session, contact_id, parse_state_code(code, "code"))
        before = snapshot(row)
        contacts.update_contact(session, row, **body.model_dump(exclude_unset=True))
        log_change(
            session, who.actor, "update", "contact", row.id, row.state_code, before, snapshot(row)
        )
        view = contacts.view(row)
    return json_response(json_bytes(view))


@router.delete("/states/{code}/contacts/{contact_id}", status_code=204, summary="Remove a contact")
def remove_contact(
    request: Request, code: str, contact_id: RecordId, who: ContactsAccess
) -> Response:
    with writing(request) as session:
        row = contacts.get_contact(session, contact_id, parse_state_code(code, "code"))
        before = snapshot(row)
        session.delete(row)
        log_change(
            session, who.actor, "delete", "contact", contact_id, row.state_code, before, None
        )
    return Response(status_code=204)


@router.get("/audit", summary="The audit log, newest first (secretariat)", tags=["audit"])
def audit(
    request: Request,
    _who: Secretariat,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    state: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$")] = None,
) -> Response:
    from obligations.audit import audit_page

    with reading(request) as session:
        return json_response(json_bytes(audit_page(session, limit, offset, state)))


__all__ = ["Depends", "router"]
