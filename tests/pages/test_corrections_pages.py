"""Correcting and deleting facts on the pages: the same rules, checks and audit as the CLI and
the API; a refusal shown with its reason and nothing changed; 404 for what is not there."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from obligations import models
from obligations.db import session_factory
from tests.pages.conftest import csrf_of
from tests.pages.test_public_pages import text_of
from tests.pages.test_secretariat import GTM_REPORT, count, submit


def fact_id(engine: Engine, model: Any, **where: Any) -> int:
    with session_factory(engine)() as session:
        query = select(model.id).where(model.state_code == "GTM")
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        found = session.scalar(query.order_by(model.id))
        assert found is not None, f"no {model.__name__} {where} for GTM"
        return found


def input_value(html: str, name: str) -> str:
    """The value a form's text field starts with."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)


def stored(engine: Engine, model: Any, row_id: int) -> Any:
    with session_factory(engine)() as session:
        return session.get(model, row_id)


def audit_rows(engine: Engine) -> list[models.AuditEntry]:
    with session_factory(engine)() as session:
        return list(session.scalars(select(models.AuditEntry).order_by(models.AuditEntry.id)))


def post_edit(client: TestClient, path: str, fields: dict[str, Any]) -> Any:
    form = client.get(path)
    assert form.status_code == 200, form.text
    return client.post(path, data={"csrf_token": csrf_of(form.text), **fields})


def recorded_report(officer: TestClient, engine: Engine) -> int:
    assert submit(officer, "report", GTM_REPORT).status_code == 303
    return fact_id(engine, models.ReportReceived, first_number=1)


def test_the_state_page_lists_every_stored_fact_with_an_edit_and_a_delete(
    officer: TestClient, engine: Engine
) -> None:
    report = recorded_report(officer, engine)
    page = officer.get("/states/GTM")
    with session_factory(engine)() as session:
        stored_count = sum(
            session.scalar(
                select(func.count()).select_from(model).where(model.state_code == "GTM")
            )
            or 0
            for model in (
                models.DepositaryAction, models.ReportReceived, models.Review,
                models.CommitteeDecision, models.ListOfIssuesPriorToReporting,
                models.ListOfIssues, models.ConcludingObservations, models.FollowUpReceived,
            )
        )  # fmt: skip
    assert page.text.count('/edit" aria-label="Edit') == stored_count
    assert page.text.count('/delete" aria-label="Delete') == stored_count
    assert f'href="/states/GTM/facts/report/{report}/edit"' in page.text
    shown = text_of(page.text)
    assert "The facts on record" in shown
    assert f"Report received id {report} report 1 (CMW/C/GTM/1) of Guatemala" in shown
    # Nobody signed in: the public page has none of it.
    officer.post("/signout", data={"csrf_token": csrf_of(page.text)})
    assert "The facts on record" not in officer.get("/states/GTM").text


def test_a_wrong_date_is_corrected_on_the_pages_and_audited(
    officer: TestClient, engine: Engine
) -> None:
    report = recorded_report(officer, engine)
    path = f"/states/GTM/facts/report/{report}/edit"
    form = officer.get(path)
    # The form starts from the fact as stored.
    assert input_value(form.text, "received") == "2010-03-02"
    assert input_value(form.text, "symbol") == "CMW/C/GTM/1"
    response = officer.post(
        path,
        data={
            "csrf_token": csrf_of(form.text),
            "numbers": "1",
            "received": "2010-03-03",
            "symbol": "CMW/C/GTM/1",
            "procedure": "standard",
        },
    )
    assert response.status_code == 303, text_of(response.text)
    assert response.headers["location"] == "/states/GTM#facts"
    assert stored(engine, models.ReportReceived, report).received.isoformat() == "2010-03-03"
    state = text_of(officer.get("/states/GTM", params={"as_of": "2010-06-30"}).text)
    assert "Corrected report 1 (CMW/C/GTM/1) of Guatemala, received 3 March 2010." in state
    assert "received 3 March 2010 CMW/C/GTM/1" in state
    entry = audit_rows(engine)[-1]
    assert (entry.operation, entry.entity, entry.entity_id) == ("update", "report", report)
    assert '"received": "2010-03-02"' in (entry.before or "")
    assert '"received": "2010-03-03"' in (entry.after or "")
    audit = text_of(officer.get("/audit").text)
    assert f"corrected report (id {report})" in audit
    assert "received: 2 March 2010 → 3 March 2010" in audit


def test_a_correction_that_makes_the_record_impossible_is_refused_with_the_reason(
    officer: TestClient, engine: Engine
) -> None:
    report = recorded_report(officer, engine)
    audits = len(audit_rows(engine))
    response = post_edit(
        officer,
        f"/states/GTM/facts/report/{report}/edit",
        {
            "numbers": "1",
            "received": "1999-01-04",
            "symbol": "CMW/C/GTM/1",
            "procedure": "standard",
        },
    )
    assert response.status_code == 409
    shown = text_of(response.text)
    assert (
        "Not corrected: GTM: the report received on 1999-01-04 would come before the "
        "Convention bound the State." in shown
    )
    # The form keeps what was typed, so it can be fixed; the record is unchanged.
    assert input_value(response.text, "received") == "1999-01-04"
    assert stored(engine, models.ReportReceived, report).received.isoformat() == "2010-03-02"
    assert len(audit_rows(engine)) == audits


def test_a_bad_field_is_shown_next_to_it_and_nothing_changes(
    officer: TestClient, engine: Engine
) -> None:
    report = recorded_report(officer, engine)
    audits = len(audit_rows(engine))
    response = post_edit(
        officer,
        f"/states/GTM/facts/report/{report}/edit",
        {"numbers": "1", "received": "2010-02-30", "symbol": "", "procedure": "standard"},
    )
    assert response.status_code == 422
    assert 'id="received-error">' in response.text
    assert "is not a date on the calendar" in text_of(response.text)
    assert stored(engine, models.ReportReceived, report).received.isoformat() == "2010-03-02"
    assert len(audit_rows(engine)) == audits
    # A required date emptied: named, nothing changed.
    emptied = post_edit(
        officer,
        f"/states/GTM/facts/report/{report}/edit",
        {"numbers": "1", "received": "", "procedure": "standard"},
    )
    assert emptied.status_code == 422
    assert 'id="received-error">a report needs the date it was received' in emptied.text
    assert len(audit_rows(engine)) == audits


def test_a_committee_document_is_corrected_under_the_same_id(
    officer: TestClient, engine: Engine
) -> None:
    observations = fact_id(engine, models.ConcludingObservations)
    before = stored(engine, models.ConcludingObservations, observations)
    path = f"/states/GTM/facts/observations/{observations}/edit"
    form = officer.get(path)
    assert input_value(form.text, "symbol") == before.symbol
    values = {
        "number": str(before.number),
        "symbol": before.symbol,
        "adopted": before.adopted.isoformat(),
        "session": "99",
        "source": before.source,
    }
    response = officer.post(path, data={"csrf_token": csrf_of(form.text), **values})
    assert response.status_code == 303, text_of(response.text)
    after = stored(engine, models.ConcludingObservations, observations)
    assert after is not None and after.session == 99 and after.symbol == before.symbol
    entry = audit_rows(engine)[-1]
    assert (entry.operation, entry.entity_id) == ("update", observations)
    # Refused: adopted before the Convention bound Guatemala; nothing changes.
    refused = post_edit(officer, path, {**values, "adopted": "1995-05-05"})
    assert refused.status_code == 409
    assert "before the Convention bound" in text_of(refused.text)
    assert stored(engine, models.ConcludingObservations, observations).session == 99


def test_a_delete_asks_first_then_deletes_and_audits(officer: TestClient, engine: Engine) -> None:
    report = recorded_report(officer, engine)
    path = f"/states/GTM/facts/report/{report}/delete"
    confirm = officer.get(path)
    assert confirm.status_code == 200
    assert "Delete: Report received" in text_of(confirm.text)
    assert stored(engine, models.ReportReceived, report) is not None  # asking deletes nothing
    without_csrf = officer.post(path, data={})
    assert without_csrf.status_code == 403
    assert stored(engine, models.ReportReceived, report) is not None
    response = officer.post(path, data={"csrf_token": csrf_of(confirm.text)})
    assert response.status_code == 303
    assert stored(engine, models.ReportReceived, report) is None
    assert "Deleted report 1 (CMW/C/GTM/1) of Guatemala" in text_of(officer.get("/states/GTM").text)
    entry = audit_rows(engine)[-1]
    assert (entry.operation, entry.entity, entry.entity_id, entry.after) == (
        "delete", "report", report, None,
    )  # fmt: skip
    assert f"deleted report (id {report})" in text_of(officer.get("/audit").text)


def test_a_delete_that_makes_the_record_impossible_is_refused(
    officer: TestClient, engine: Engine
) -> None:
    ratification = fact_id(engine, models.DepositaryAction, action="ratification")
    actions, audits = count(engine, models.DepositaryAction), len(audit_rows(engine))
    response = post_edit(officer, f"/states/GTM/facts/action/{ratification}/delete", {})
    assert response.status_code == 409
    assert "Not deleted: GTM:" in text_of(response.text)
    assert "before the Convention bound the State" in text_of(response.text)
    assert count(engine, models.DepositaryAction) == actions
    assert len(audit_rows(engine)) == audits


def test_unknown_facts_kinds_and_other_states_facts_are_not_found(
    officer: TestClient, engine: Engine
) -> None:
    mexico = session_factory(engine)().scalar(
        select(models.DepositaryAction.id).where(models.DepositaryAction.state_code == "MEX")
    )
    for path, says in [
        ("/states/GTM/facts/report/999999/edit", "no report with id 999999 for GTM"),
        ("/states/GTM/facts/report/999999/delete", "no report with id 999999 for GTM"),
        (f"/states/GTM/facts/action/{mexico}/edit", f"no action with id {mexico} for GTM"),
        ("/states/GTM/facts/treaty/1/edit", "There is no kind of fact 'treaty'"),
    ]:
        response = officer.get(path)
        assert response.status_code == 404, path
        assert says in text_of(response.text), path
    audits = len(audit_rows(engine))
    form = officer.get("/record/report")
    gone = officer.post(
        "/states/GTM/facts/report/999999/delete", data={"csrf_token": csrf_of(form.text)}
    )
    assert gone.status_code == 404
    assert len(audit_rows(engine)) == audits


def test_the_edit_and_delete_pages_ask_to_sign_in(pages: TestClient) -> None:
    for path in ("/states/GTM/facts/report/1/edit", "/states/GTM/facts/report/1/delete"):
        response = pages.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/signin?next=")


def test_every_fact_saved_unchanged_stays_as_it_was(officer: TestClient, engine: Engine) -> None:
    """The edit form of every kind starts from the fact exactly: saved as it is, it is
    accepted and nothing in the stored fact moves (Mauritania and Guatemala between them
    have every kind of fact on record)."""
    from obligations.audit import snapshot
    from obligations.corrections import ENTITIES

    seen = set()
    for code in ("MRT", "GTM"):
        page = officer.get(f"/states/{code}").text
        links = re.findall(rf'href="(/states/{code}/facts/([a-z-]+)/(\d+)/edit)"', page)
        for path, kind, row_id in links:
            before = snapshot(stored(engine, ENTITIES[kind], int(row_id)))
            form = officer.get(path)
            values: dict[str, list[str]] = {}
            for name, value in re.findall(
                r'<input type="text"[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', form.text
            ):
                values.setdefault(name, []).append(html.unescape(value))
            for name, value in re.findall(
                r'<input type="(?:radio|checkbox)" name="([a-z_]+)" value="([^"]*)" checked',
                form.text,
            ):
                values.setdefault(name, []).append(value)
            for name, body in re.findall(
                r'<select[^>]*name="([a-z_]+)"[^>]*>(.*?)</select>', form.text, re.DOTALL
            ):
                chosen = re.search(r'<option value="([^"]*)" selected', body)
                values[name] = [chosen.group(1) if chosen else ""]
            for name, text in re.findall(
                r'<textarea[^>]*name="([a-z_]+)"[^>]*>(.*?)</textarea>', form.text, re.DOTALL
            ):
                values[name] = [html.unescape(text)]
            response = officer.post(path, data={"csrf_token": csrf_of(form.text), **values})
            assert response.status_code == 303, (path, text_of(response.text)[-400:])
            assert snapshot(stored(engine, ENTITIES[kind], int(row_id))) == before, path
            seen.add(kind)
    assert seen == set(ENTITIES)


def test_a_correction_out_of_sequence_needs_its_reason(officer: TestClient, engine: Engine) -> None:
    """The sequence rules hold on the pages as on the CLI: renumbering report 1 as report 3
    (report 2 still open) is refused with the reason, then accepted once a reason is given."""
    report = recorded_report(officer, engine)
    path = f"/states/GTM/facts/report/{report}/edit"
    fields = {"numbers": "3", "received": "2010-03-02", "procedure": "standard"}
    refused = post_edit(officer, path, fields)
    assert refused.status_code == 409
    assert "beyond the next one due" in text_of(refused.text)
    assert stored(engine, models.ReportReceived, report).first_number == 1
    kept = post_edit(officer, path, {**fields, "out_of_sequence": "numbered 3 by the State"})
    assert kept.status_code == 303, text_of(kept.text)
    row = stored(engine, models.ReportReceived, report)
    assert (row.first_number, row.out_of_sequence) == (3, "numbered 3 by the State")
