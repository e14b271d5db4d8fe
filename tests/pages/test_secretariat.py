"""The secretariat's side: signing in, the forms, the outbox and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from notifier.config import NotifierConfig
from notifier.models import OutboxMessage
from notifier.planning import plan_sweep
from notifier.service import plan_and_write
from obligations import contacts, models
from obligations.db import session_factory, transaction
from obligations.practice import record_history
from obligations.tokens import revoke_token
from tests.pages.conftest import csrf_of, make_token, sign_in
from tests.pages.test_public_pages import text_of

GTM_REPORT = {
    "state": "GTM",
    "numbers": "1",
    "received": "2010-03-02",
    "symbol": "CMW/C/GTM/1",
    "procedure": "standard",
}


def count(engine: Engine, model: Any) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def submit(client: TestClient, kind: str, fields: dict[str, Any]) -> Any:
    form = client.get(f"/record/{kind}", params={"state": fields.get("state", "")})
    assert form.status_code == 200
    return client.post(f"/record/{kind}", data={"csrf_token": csrf_of(form.text), **fields})


def overdue_gtm(client: TestClient, as_of: str) -> str:
    return text_of(client.get("/overdue", params={"as_of": as_of, "view": "items"}).text)


def test_secretariat_pages_ask_to_sign_in_first(pages: TestClient) -> None:
    for path in ("/record/report", "/outbox", "/audit"):
        response = pages.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/signin?next=")


def test_sign_in_sets_a_protected_session_cookie(pages: TestClient, engine: Engine) -> None:
    form = pages.get("/signin")
    cookie = form.headers["set-cookie"]
    assert "obligations_session=" in cookie
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    response = pages.post(
        "/signin",
        data={"token": make_token(engine), "csrf_token": csrf_of(form.text), "next": "/outbox"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/outbox"
    page = pages.get("/outbox")
    assert page.status_code == 200
    assert "Signed in as Officer Amina Diallo." in page.text
    assert page.headers["cache-control"] == "private, no-store"


def test_a_bad_token_is_refused_next_to_its_field(pages: TestClient, engine: Engine) -> None:
    form = pages.get("/signin")
    wrong = pages.post("/signin", data={"token": "obl_nope", "csrf_token": csrf_of(form.text)})
    assert wrong.status_code == 401
    assert 'id="token-error">This token is unknown or has been revoked.' in wrong.text
    assert pages.get("/outbox").status_code == 303


def test_sign_in_without_the_csrf_token_is_refused(pages: TestClient, engine: Engine) -> None:
    pages.get("/signin")
    response = pages.post("/signin", data={"token": make_token(engine)})
    assert response.status_code == 403
    assert "security token is missing or out of date" in response.text
    assert pages.get("/outbox").status_code == 303


def test_an_open_redirect_is_not_followed(pages: TestClient, engine: Engine) -> None:
    form = pages.get("/signin")
    response = pages.post(
        "/signin",
        data={
            "token": make_token(engine),
            "csrf_token": csrf_of(form.text),
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/"


def test_recording_a_report_takes_it_off_the_overdue_list(
    officer: TestClient, engine: Engine
) -> None:
    before = overdue_gtm(officer, "2010-06-30")
    assert "Guatemala GRULAC 1 (initial report)" in before
    response = submit(officer, "report", GTM_REPORT)
    assert response.status_code == 303
    assert response.headers["location"] == "/states/GTM"
    state = officer.get("/states/GTM", params={"as_of": "2010-06-30"})
    shown = text_of(state.text)
    assert "Recorded report 1 (CMW/C/GTM/1) of Guatemala, received 2 March 2010." in shown
    assert "1 initial report 1 July 2004 art. 73(1)(a) received 2 March 2010 CMW/C/GTM/1" in shown
    after = overdue_gtm(officer, "2010-06-30")
    assert "Guatemala GRULAC 1 (initial report)" not in after
    assert "Guatemala GRULAC 2 (second periodic report)" in after
    # The JSON API shows the same fact.
    api = officer.get("/api/v1/states/GTM", params={"as_of": "2010-06-30"}).json()
    assert api["reports"][0]["received"] == "2010-03-02"
    # And the audit log says who did it.
    audit = text_of(officer.get("/audit").text)
    assert "(Officer Amina Diallo, secretariat) recorded report" in audit
    # In words: field labels and values as the pages show them.
    assert "received: 2 March 2010" in audit and "first report: 1" in audit
    assert "symbol: CMW/C/GTM/1" in audit
    assert "Page 1" in audit and "Older" not in audit  # one page of entries, no next link


def test_a_bad_form_shows_each_problem_by_its_field_and_writes_nothing(
    officer: TestClient, engine: Engine
) -> None:
    reports, audits = count(engine, models.ReportReceived), count(engine, models.AuditEntry)
    response = submit(
        officer,
        "report",
        {**GTM_REPORT, "numbers": "3-1", "received": "2010-02-30", "symbol": ""},
    )
    assert response.status_code == 422
    assert 'id="numbers-error">the range 3-1 is reversed or empty' in response.text
    assert 'id="received-error">&#39;2010-02-30&#39; is not a date on the calendar' in response.text
    assert "Not recorded: some fields need attention." in response.text
    # What was typed stays in the form.
    assert 'value="3-1"' in response.text and 'value="2010-02-30"' in response.text

    future = submit(officer, "report", {**GTM_REPORT, "received": "2099-01-01"})
    assert future.status_code == 422
    assert 'id="received-error">2099-01-01 is in the future' in future.text

    symbol = submit(officer, "report", {**GTM_REPORT, "symbol": "CMW/C/MEX/1"})
    assert 'id="symbol-error">&#39;CMW/C/MEX/1&#39; names MEX, not GTM' in symbol.text

    no_state = submit(officer, "report", {**GTM_REPORT, "state": ""})
    assert 'id="state-error">choose the State' in no_state.text
    unknown = submit(officer, "report", {**GTM_REPORT, "state": "XYZ"})
    assert "unknown State code &#39;XYZ&#39;" in unknown.text

    assert count(engine, models.ReportReceived) == reports
    assert count(engine, models.AuditEntry) == audits


def test_a_conflict_with_the_record_is_explained_and_nothing_written(
    officer: TestClient, engine: Engine
) -> None:
    reports = count(engine, models.ReportReceived)
    assert submit(officer, "report", GTM_REPORT).status_code == 303
    again = submit(officer, "report", {**GTM_REPORT, "received": "2011-01-05", "symbol": ""})
    assert again.status_code == 409
    assert "Not recorded: GTM: report 1 was already received on 2010-03-02 (CMW/C/GTM/1)." in (
        again.text.replace("&#39;", "'")
    )
    early = submit(officer, "report", {"state": "GTM", "numbers": "2", "received": "2001-01-01"})
    assert early.status_code == 409
    assert "comes before the Convention bound the State" in early.text
    # Out of sequence (report 3 while 2 is open): refused with the reason, unless one is given.
    third = {"state": "GTM", "numbers": "3", "received": "2012-01-05"}
    skipped = submit(officer, "report", third)
    assert skipped.status_code == 409
    assert "GTM: report 3 received on 2012-01-05 is beyond the next one due: report 2" in (
        skipped.text
    )
    reason = "numbered 3 by the State"
    kept = submit(officer, "report", {**third, "out_of_sequence": reason})
    assert kept.status_code == 303
    shown = text_of(officer.get("/states/GTM", params={"as_of": "2012-02-01"}).text)
    assert f"out of sequence: {reason}" in shown
    assert count(engine, models.ReportReceived) == reports + 2


def test_every_post_needs_the_csrf_token(officer: TestClient, engine: Engine) -> None:
    reports = count(engine, models.ReportReceived)
    response = officer.post("/record/report", data=GTM_REPORT)
    assert response.status_code == 403
    forged = officer.post("/record/report", data={**GTM_REPORT, "csrf_token": "forged"})
    assert forged.status_code == 403
    assert officer.post("/signout", data={}).status_code == 403
    assert count(engine, models.ReportReceived) == reports


def test_recording_an_action_a_review_and_a_decision(officer: TestClient, engine: Engine) -> None:
    declared = submit(
        officer,
        "action",
        {
            "state": "GTM",
            "action": "declaration",
            "date": "2020-05-04",
            "articles": ["76", "77"],
            "source": "C.N.123.2020.TREATIES-IV.13",
        },
    )
    assert declared.status_code == 303, declared.text
    shown = text_of(officer.get("/states/GTM").text)
    assert "Recorded the declaration (articles 76 and 77) of Guatemala dated 4 May 2020." in shown
    assert "4 May 2020: Declaration (articles 76 and 77) source: C.N.123.2020.TREATIES-IV.13" in (
        shown
    )
    missing = submit(officer, "action", {"state": "GTM", "action": "declaration", "date": ""})
    assert missing.status_code == 422
    assert 'id="date-error">enter a date (YYYY-MM-DD)' in missing.text
    no_articles = submit(
        officer, "action", {"state": "GTM", "action": "declaration", "date": "2021-01-04"}
    )
    assert 'id="articles-error">a declaration must name article 76 and/or 77' in no_articles.text

    assert submit(officer, "report", GTM_REPORT).status_code == 303
    # The reports it reviews were received first (a review of reports never received is not).
    combined = {"state": "GTM", "numbers": "3-5", "received": "2025-06-02"}
    assert submit(officer, "report", combined).status_code == 303
    reviewed = submit(
        officer,
        "review",
        {
            "state": "GTM",
            "numbers": "3-5",
            "session": "45",
            "date": "2026-04-14",
            "end_date": "2026-04-15",
            "symbol": "CMW/C/GTM/CO/3",
        },
    )
    assert reviewed.status_code == 303, reviewed.text
    bad_session = submit(
        officer, "review", {"state": "GTM", "numbers": "1", "session": "x", "date": "2011-09-14"}
    )
    assert 'id="session-error">&#39;x&#39; is not a whole number' in bad_session.text

    decided = submit(
        officer,
        "decision",
        {
            "state": "GTM",
            "kind": "fix_due_date",
            "report": "6",
            "due": "2031-04-01",
            "decided": "2026-04-20",
            "symbol": "CMW/C/GTM/CO/3",
        },
    )
    assert decided.status_code == 303, decided.text
    shown = text_of(officer.get("/states/GTM", params={"as_of": "2026-05-01"}).text)
    assert "45 14 April 2026 – 15 April 2026 3–5 CMW/C/GTM/CO/3" in shown
    assert "20 April 2026 due date fixed 6 1 April 2031 CMW/C/GTM/CO/3" in shown
    assert "6 sixth periodic report 1 April 2031 Committee decision, CMW/C/GTM/CO/3" in shown
    assert count(engine, models.AuditEntry) == 5


def notice_planned_for_guatemala(engine: Engine) -> sessionmaker[Session]:
    """A focal point for Guatemala, and the overdue notice a sweep on 25 Nov 2026 plans."""
    factory = session_factory(engine)
    with transaction(factory) as session:
        contacts.add_contact(session, "GTM", "Focal point", "focal@minex.gob.gt", "es")
        # Only what the record vouches for is reminded: the secretariat keeps GTM current.
        record_history(session, "GTM", None, kept_current=True)
    planned = plan_and_write(
        factory,
        plan_sweep,
        date(2026, 11, 25),
        NotifierConfig(secretariat=("cmw@ohchr.example.org",)),
    )
    assert planned
    return factory


def test_outbox_lists_messages_and_sends_a_failed_one_again(
    officer: TestClient, engine: Engine
) -> None:
    factory = notice_planned_for_guatemala(engine)
    with transaction(factory) as session:
        message_id = session.scalar(select(OutboxMessage.id).limit(1))
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(status="failed", attempts=10, last_error="550 mailbox unavailable")
        )
    page = officer.get("/outbox", params={"status": "failed"})
    assert page.status_code == 200
    shown = text_of(page.text)
    assert "focal@minex.gob.gt" in shown and "failed" in shown
    assert "last error: 550 mailbox unavailable" in shown
    assert '<nav class="pager" aria-label="Pages of the outbox">' in page.text

    state = text_of(officer.get("/states/GTM").text)
    assert "Focal point focal@minex.gob.gt es primary yes" in state
    assert "focal@minex.gob.gt" in state.split("Messages to its focal points")[1]

    retried = officer.post(
        f"/outbox/{message_id}/retry",
        data={"csrf_token": csrf_of(page.text), "back": "/outbox?status=failed"},
    )
    assert retried.status_code == 303
    assert retried.headers["location"] == "/outbox?status=failed"
    with factory() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None and row.status == "pending"
    notice = text_of(officer.get("/outbox").text)
    assert f"Message {message_id} is due now" in notice
    audit = text_of(officer.get("/audit").text)
    assert f"retry message (id {message_id})" in audit

    missing = officer.post("/outbox/999999/retry", data={"csrf_token": csrf_of(page.text)})
    assert missing.status_code == 303
    assert "Not retried: no outbox message with id 999999." in text_of(officer.get("/outbox").text)
    lost = officer.get("/outbox", params={"status": "lost"})
    assert lost.status_code == 422
    assert "status: must be pending, sent or failed, not &#39;lost&#39;" in lost.text


def test_a_revoked_token_ends_the_session(pages: TestClient, engine: Engine) -> None:
    sign_in(pages, make_token(engine, name="Temporary officer"))
    assert pages.get("/audit").status_code == 200
    with transaction(session_factory(engine)) as session:
        token_id = session.scalar(
            select(models.ApiToken.id).where(models.ApiToken.name == "Temporary officer")
        )
        assert token_id is not None
        revoke_token(session, token_id)
    assert pages.get("/audit").status_code == 303


def test_sign_out_ends_the_session(officer: TestClient) -> None:
    page = officer.get("/")
    response = officer.post("/signout", data={"csrf_token": csrf_of(page.text)})
    assert response.status_code == 303
    assert officer.get("/outbox").status_code == 303
    assert "Signed out." in officer.get("/").text


def test_recording_the_committees_documents_through_the_forms(
    officer: TestClient, engine: Engine
) -> None:
    form = officer.get("/record/observations", params={"state": "ZWE"})
    assert form.status_code == 200
    assert "to be set under the predictable review calendar" in form.text
    loipr = submit(
        officer,
        "loipr",
        {"state": "ZWE", "report": "1", "symbol": "CMW/C/ZWE/QPR/1", "transmitted": "2025-10",
         "deadline": "2026-10-01"},
    )  # fmt: skip
    assert loipr.status_code == 303, loipr.text
    shown = text_of(officer.get("/states/ZWE", params={"as_of": "2026-11-01"}).text)
    assert "Recorded CMW/C/ZWE/QPR/1 of Zimbabwe." in shown
    assert "List of issues prior to reporting (report 1) CMW/C/ZWE/QPR/1 October 2025" in shown
    assert "1 initial report 1 October 2026 CMW/C/ZWE/QPR/1 overdue unverified" in shown

    observations = submit(
        officer,
        "observations",
        {"state": "ZWE", "number": "1", "symbol": "CMW/C/ZWE/CO/1", "adopted": "2026-04-10",
         "next_numbers": "2", "next_due_mode": "review_calendar"},
    )  # fmt: skip
    assert observations.status_code == 303, observations.text
    shown = text_of(officer.get("/states/ZWE", params={"as_of": "2026-11-01"}).text)
    assert "next report: date to be set under the review calendar; follow-up due 10 April 2028" in (
        shown
    )
    assert "2 second periodic report – CMW/C/ZWE/CO/1: date to be set" in shown

    audits = count(engine, models.AuditEntry)
    early = submit(officer, "follow-up", {"state": "ZWE", "number": "1", "received": "2026-01-01"})
    assert early.status_code == 409
    assert "comes before the concluding observations CMW/C/ZWE/CO/1 it follows up" in early.text
    bad_date = submit(
        officer, "loipr",
        {"state": "ZWE", "report": "2", "symbol": "CMW/C/ZWE/QPR/2", "transmitted": "soon"},
    )  # fmt: skip
    assert bad_date.status_code == 422
    assert 'id="transmitted-error"' in bad_date.text
    assert count(engine, models.AuditEntry) == audits


def test_the_overdue_view_tells_the_secretariat_who_to_write_to(
    officer: TestClient, engine: Engine
) -> None:
    factory = notice_planned_for_guatemala(engine)
    with transaction(factory) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.state_code == "GTM")
            .values(status="sent", sent_at=datetime(2026, 11, 25, 6, 0))
        )
    unset = text_of(officer.get("/overdue", params={"as_of": "2026-11-25"}).text)
    assert "none: OBLIGATIONS_SECRETARIAT_EMAILS is not set: the notifier sends nothing" in unset
    app = officer.app
    app.state.settings = app.state.settings.model_copy(  # type: ignore[attr-defined]
        update={"secretariat_emails": "cmw@ohchr.example.org"}
    )
    shown = text_of(officer.get("/overdue", params={"as_of": "2026-11-25"}).text)
    # Guatemala: one focal point, the notice sent today, the next one 90 days after the last.
    assert "Guatemala GRULAC report 3; report 4; report 5 2 July 2014 4,530 1 25 November 2026" in (
        shown
    )
    assert "none: no focal point on file" in shown  # every other State
