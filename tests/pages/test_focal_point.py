"""A focal point signed in to the pages: its own State's page, the messages sent to its State
and its contacts (editable), and nothing of any other State: 403 with a page saying why."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from notifier.config import NotifierConfig
from notifier.models import OutboxMessage
from notifier.planning import plan_sweep
from notifier.service import plan_and_write
from obligations import contacts, models
from obligations.db import session_factory, transaction
from obligations.practice import record_history
from obligations.tokens import revoke_token
from tests.pages.conftest import csrf_of, make_token, sign_in
from tests.pages.test_corrections_pages import audit_rows, fact_id, input_value
from tests.pages.test_public_pages import text_of
from tests.pages.test_secretariat import count

FOCAL_NAME = "Guatemala MINEX"


@pytest.fixture
def focal(pages: TestClient, engine: Engine) -> TestClient:
    """Signed in with Guatemala's focal-point token; Guatemala and Mexico each have a contact."""
    with transaction(session_factory(engine)) as session:
        contacts.add_contact(session, "GTM", "Ana Pérez", "ana@minex.gob.gt", "es")
        contacts.add_contact(session, "MEX", "Luis Soto", "luis@sre.gob.mx", "es")
    sign_in(pages, make_token(engine, "focal-point", "GTM", FOCAL_NAME))
    return pages


def contact_id(engine: Engine, state: str) -> int:
    with session_factory(engine)() as session:
        found = session.scalar(select(models.Contact.id).where(models.Contact.state_code == state))
        assert found is not None
        return found


def test_a_focal_point_signs_in_to_its_own_states_page(pages: TestClient, engine: Engine) -> None:
    form = pages.get("/signin")
    response = pages.post(
        "/signin",
        data={
            "token": make_token(engine, "focal-point", "GTM", FOCAL_NAME),
            "csrf_token": csrf_of(form.text),
            "next": "/",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/states/GTM"
    page = pages.get("/states/GTM")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    shown = text_of(page.text)
    assert f"Signed in as {FOCAL_NAME}, a focal point of GTM." in shown
    assert f"Signed in: {FOCAL_NAME}, focal point of GTM" in shown
    assert "Focal points" in shown and "Messages to its focal points" in shown
    # The secretariat's tools are not offered.
    assert "The facts on record" not in shown
    assert "/record/" not in page.text and 'href="/audit"' not in page.text


def test_a_focal_point_sees_nothing_of_another_state(focal: TestClient, engine: Engine) -> None:
    mexico_contact = contact_id(engine, "MEX")
    report = fact_id(engine, models.Review)
    for path in [
        "/states/MEX",
        "/states/mex",
        "/states/MEX/contacts",
        "/states/MEX/contacts/new",
        f"/states/MEX/contacts/{mexico_contact}/edit",
        "/outbox?state=MEX",
    ]:
        response = focal.get(path)
        assert response.status_code == 403, path
        shown = text_of(response.text)
        assert "Not allowed" in shown, path
        assert "this sign-in opens the pages of GTM only, not those of MEX" in shown, path
        assert "Luis Soto" not in shown and "luis@sre.gob.mx" not in shown, path
    # The secretariat's pages, even about its own State.
    for path in [
        "/audit",
        "/audit?state=GTM",
        "/record/report",
        "/record/report?state=GTM",
        f"/states/GTM/facts/review/{report}/edit",
        f"/states/GTM/facts/review/{report}/delete",
    ]:
        response = focal.get(path)
        assert response.status_code == 403, path
        assert "this page is the secretariat's" in text_of(response.text), path


def test_a_focal_point_cannot_write_anything_of_another_state(
    focal: TestClient, engine: Engine
) -> None:
    token = csrf_of(focal.get("/states/GTM").text)
    mexico_contact = contact_id(engine, "MEX")
    review = fact_id(engine, models.Review)
    audits, reviews = len(audit_rows(engine)), count(engine, models.Review)
    for path, fields in [
        ("/states/MEX/contacts/new", {"name": "Intruder", "email": "x@example.org"}),
        (f"/states/MEX/contacts/{mexico_contact}/edit", {"name": "Changed", "email": "c@x.org"}),
        (f"/states/MEX/contacts/{mexico_contact}/active", {"active": "no"}),
        ("/record/report", {"state": "GTM", "numbers": "9", "received": "2020-01-02"}),
        (f"/states/GTM/facts/review/{review}/edit", {"session": "1"}),
        (f"/states/GTM/facts/review/{review}/delete", {}),
        ("/outbox/1/retry", {}),
    ]:
        response = focal.post(path, data={"csrf_token": token, **fields})
        assert response.status_code == 403, path
    assert len(audit_rows(engine)) == audits
    assert count(engine, models.Review) == reviews
    with session_factory(engine)() as session:
        luis = session.get(models.Contact, mexico_contact)
        assert luis is not None and (luis.name, luis.active) == ("Luis Soto", True)


def test_a_focal_point_keeps_its_contacts_current(focal: TestClient, engine: Engine) -> None:
    ana = contact_id(engine, "GTM")
    listed = focal.get("/states/GTM/contacts")
    assert listed.status_code == 200
    assert "ana@minex.gob.gt" in listed.text and "luis@sre.gob.mx" not in listed.text

    # Edit: the form starts from the contact as stored.
    form = focal.get(f"/states/GTM/contacts/{ana}/edit")
    assert input_value(form.text, "email") == "ana@minex.gob.gt"
    fields = {"name": "Ana Pérez López", "email": "ana.perez@minex.gob.gt", "language": "en"}
    saved = focal.post(
        f"/states/GTM/contacts/{ana}/edit",
        data={"csrf_token": csrf_of(form.text), **fields, "role": "primary"},
    )
    assert saved.status_code == 303
    assert "Saved Ana Pérez López <ana.perez@minex.gob.gt>." in text_of(
        focal.get("/states/GTM/contacts").text
    )

    # A bad address: named next to its field, nothing saved.
    audits = len(audit_rows(engine))
    bad = focal.post(
        f"/states/GTM/contacts/{ana}/edit",
        data={"csrf_token": csrf_of(form.text), **fields, "email": "not an address"},
    )
    assert bad.status_code == 422
    assert 'id="email-error">' in bad.text and "is not a valid address" in bad.text
    assert len(audit_rows(engine)) == audits

    # Add, then the same address again: refused with the reason.
    new = focal.get("/states/GTM/contacts/new")
    added = focal.post(
        "/states/GTM/contacts/new",
        data={
            "csrf_token": csrf_of(new.text),
            "name": "Jorge Ruiz",
            "email": "jorge@minex.gob.gt",
            "language": "es",
            "role": "copy",
        },
    )
    assert added.status_code == 303
    again = focal.post(
        "/states/GTM/contacts/new",
        data={"csrf_token": csrf_of(new.text), "name": "J. Ruiz", "email": "jorge@minex.gob.gt"},
    )
    assert again.status_code == 409
    assert "already has contact" in text_of(again.text)

    # Deactivate and reactivate.
    token = csrf_of(focal.get("/states/GTM/contacts").text)
    off = focal.post(
        f"/states/GTM/contacts/{ana}/active", data={"csrf_token": token, "active": "no"}
    )
    assert off.status_code == 303
    with session_factory(engine)() as session:
        assert [c.email for c in contacts.active_contacts(session, "GTM")] == ["jorge@minex.gob.gt"]
    focal.post(f"/states/GTM/contacts/{ana}/active", data={"csrf_token": token, "active": "yes"})
    with session_factory(engine)() as session:
        row = session.get(models.Contact, ana)
        assert row is not None and row.active
        assert row.email == "ana.perez@minex.gob.gt" and row.language == "en"

    # Each change audited under the focal point's token, as the API audits it.
    entries = [e for e in audit_rows(engine) if e.entity == "contact" and e.state_code == "GTM"]
    assert [e.operation for e in entries[-4:]] == ["update", "create", "update", "update"]
    assert all(f"({FOCAL_NAME}, focal-point)" in e.actor for e in entries[-4:])


def test_the_secretariat_keeps_every_states_contacts(officer: TestClient, engine: Engine) -> None:
    with transaction(session_factory(engine)) as session:
        contacts.add_contact(session, "MEX", "Luis Soto", "luis@sre.gob.mx", "es")
    for code in ("MEX", "GTM"):
        assert officer.get(f"/states/{code}").status_code == 200
        assert officer.get(f"/states/{code}/contacts").status_code == 200
    assert "luis@sre.gob.mx" in officer.get("/states/MEX").text
    luis = contact_id(engine, "MEX")
    form = officer.get(f"/states/MEX/contacts/{luis}/edit")
    saved = officer.post(
        f"/states/MEX/contacts/{luis}/edit",
        data={
            "csrf_token": csrf_of(form.text),
            "name": "Luis Soto",
            "email": "luis.soto@sre.gob.mx",
            "language": "fr",
            "role": "copy",
        },
    )
    assert saved.status_code == 303
    entry = audit_rows(engine)[-1]
    assert (entry.operation, entry.entity, entry.state_code) == ("update", "contact", "MEX")
    assert "secretariat" in entry.actor


def test_a_focal_point_sees_only_the_messages_sent_to_its_state(
    focal: TestClient, engine: Engine
) -> None:
    factory = session_factory(engine)
    with transaction(factory) as session:
        for code in ("GTM", "MEX"):
            record_history(session, code, None, kept_current=True)
    plan_and_write(
        factory,
        plan_sweep,
        date(2026, 11, 25),
        NotifierConfig(secretariat=("cmw@ohchr.example.org",)),
    )
    with factory() as session:
        states = set(session.scalars(select(OutboxMessage.state_code)))
    assert {"GTM", "MEX"} <= states, states
    outbox = focal.get("/outbox")
    assert outbox.status_code == 200
    shown = text_of(outbox.text)
    assert "ana@minex.gob.gt" in shown
    assert "luis@sre.gob.mx" not in shown and "cmw@ohchr.example.org" not in shown
    assert "Send now" not in shown and "/retry" not in outbox.text  # the secretariat retries
    state = text_of(focal.get("/states/GTM").text)
    assert "ana@minex.gob.gt" in state and "luis@sre.gob.mx" not in state


def test_a_revoked_focal_point_token_ends_its_session(focal: TestClient, engine: Engine) -> None:
    with transaction(session_factory(engine)) as session:
        token = session.scalar(
            select(models.ApiToken.id).where(models.ApiToken.role == "focal-point")
        )
        assert token is not None
        revoke_token(session, token)
    response = focal.get("/states/GTM/contacts")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=")
    # Signed out, the public page of another State is there again for anyone.
    assert focal.get("/states/MEX").status_code == 200


def test_every_post_about_a_state_needs_the_csrf_token(officer: TestClient, engine: Engine) -> None:
    """Each form posting about a State (corrections, deletions, contacts) is refused without
    the session's CSRF token, or with a forged one, and changes nothing."""
    from fastapi.routing import APIRoute

    from api.pages import contacts as contact_pages
    from api.pages import corrections as correction_pages

    with transaction(session_factory(engine)) as session:
        contacts.add_contact(session, "GTM", "Ana Pérez", "ana@minex.gob.gt", "es")
    review = fact_id(engine, models.Review)
    ids = {
        "code": "GTM",
        "kind": "review",
        "fact_id": review,
        "contact_id": contact_id(engine, "GTM"),
    }
    posts = [
        route.path.format(**ids)
        for route in (*contact_pages.router.routes, *correction_pages.router.routes)
        if isinstance(route, APIRoute)
        and "POST" in route.methods
        and route.path.startswith("/states/{code}/")
    ]
    assert len(posts) >= 5, posts
    audits, reviews = len(audit_rows(engine)), count(engine, models.Review)
    fields = {"name": "X", "email": "x@example.org", "active": "no", "session": "1"}
    for path in posts:
        assert officer.post(path, data=fields).status_code == 403, path
        forged = officer.post(path, data={**fields, "csrf_token": "forged"})
        assert forged.status_code == 403, path
        assert "security token is missing or out of date" in text_of(forged.text), path
    assert len(audit_rows(engine)) == audits
    assert count(engine, models.Review) == reviews
