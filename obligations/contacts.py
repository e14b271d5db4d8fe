"""Focal points: who in each State receives reminders, in which language."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from obligations import models
from obligations.errors import Conflict, InvalidInput, NotFound
from obligations.inputs import check_plain_text
from obligations.recording import require_state


class Language(StrEnum):
    EN = "en"
    FR = "fr"
    ES = "es"


class ContactRole(StrEnum):
    PRIMARY = "primary"
    COPY = "copy"


@dataclass(frozen=True)
class ContactView:
    id: int
    state: str
    name: str
    email: str
    language: str
    role: str
    active: bool
    updated_at: datetime | None


def view(row: models.Contact) -> ContactView:
    return ContactView(
        row.id,
        row.state_code,
        row.name,
        row.email,
        row.language,
        row.role,
        row.active,
        row.updated_at,
    )


def check_name(name: str | None) -> str:
    value = check_plain_text(name, "name")
    if not value:
        raise InvalidInput("name: a contact needs a name")
    # A name goes into mail headers: no line break of any kind (U+2028, U+0085…), no control.
    if len(value.splitlines()) > 1 or any(unicodedata.category(c) == "Cc" for c in value):
        raise InvalidInput("name: must be a single line without control characters")
    return value


def check_email(email: str | None, field: str = "email", *, local: bool = False) -> str:
    """A valid address; `local` also accepts a host without a dot (a sender on a test box)."""
    raw = email or ""
    if any(c in raw for c in "\r\n"):
        raise InvalidInput(f"{field}: must be a single line")
    try:
        return validate_email(
            raw.strip(), check_deliverability=False, globally_deliverable=not local
        ).normalized
    except EmailNotValidError as error:
        raise InvalidInput(f"{field}: {raw.strip()!r} is not a valid address ({error})") from None


def check_language(language: str) -> str:
    try:
        return Language(language.strip().lower()).value
    except ValueError:
        raise InvalidInput("language: must be en, fr or es") from None


def check_role(role: str) -> str:
    try:
        return ContactRole(role.strip().lower()).value
    except ValueError:
        raise InvalidInput("role: must be primary or copy") from None


def _unique_email(session: Session, code: str, email: str, own_id: int | None = None) -> None:
    clash = session.scalar(
        select(models.Contact).where(
            models.Contact.state_code == code, models.Contact.email == email
        )
    )
    if clash is not None and clash.id != own_id:
        raise Conflict(f"{code} already has contact {clash.id} with the address {email}")


def add_contact(
    session: Session,
    state: str,
    name: str,
    email: str,
    language: str = "en",
    role: str = "primary",
    active: bool = True,
) -> models.Contact:
    code = require_state(session, state).code
    row = models.Contact(
        state_code=code,
        name=check_name(name),
        email=check_email(email),
        language=check_language(language),
        role=check_role(role),
        active=active,
    )
    _unique_email(session, code, row.email)
    session.add(row)
    session.flush()
    return row


def get_contact(session: Session, contact_id: int, state: str | None = None) -> models.Contact:
    row = session.get(models.Contact, contact_id)
    if row is None or (state is not None and row.state_code != state.upper()):
        raise NotFound(
            f"no contact with id {contact_id}" + (f" for {state.upper()}" if state else "")
        )
    return row


def update_contact(
    session: Session,
    row: models.Contact,
    name: str | None = None,
    email: str | None = None,
    language: str | None = None,
    role: str | None = None,
    active: bool | None = None,
) -> models.Contact:
    """Change the given fields only; every one is checked before any is applied."""
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = check_name(name)
    if email is not None:
        changes["email"] = check_email(email)
        _unique_email(session, row.state_code, str(changes["email"]), row.id)
    if language is not None:
        changes["language"] = check_language(language)
    if role is not None:
        changes["role"] = check_role(role)
    if active is not None:
        changes["active"] = active
    for key, value in changes.items():
        setattr(row, key, value)
    session.flush()
    return row


def list_contacts(session: Session, state: str | None = None) -> list[ContactView]:
    query = select(models.Contact).order_by(models.Contact.state_code, models.Contact.id)
    if state:
        query = query.where(models.Contact.state_code == require_state(session, state).code)
    return [view(r) for r in session.scalars(query)]


def active_contacts(session: Session, state: str) -> list[models.Contact]:
    return list(
        session.scalars(
            select(models.Contact)
            .where(models.Contact.state_code == state, models.Contact.active.is_(True))
            .order_by(models.Contact.role.desc(), models.Contact.id)
        )
    )
