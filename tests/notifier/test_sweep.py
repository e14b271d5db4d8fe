"""Sweeps against a real SMTP server: languages, multipart mail, stages, idempotency."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from notifier.models import OutboxMessage, OutboxRecipient
from notifier.outbox import list_messages
from notifier.service import run_sweep
from notifier.transports import transport_from
from obligations import practice, recording
from obligations.db import transaction
from tests.notifier.conftest import SmtpServer, add_contact, config_for

TODAY = date(2026, 11, 25)


def sweep(factory: sessionmaker[Session], smtp: SmtpServer, as_of: date) -> int:
    config = config_for(smtp.url)
    result = run_sweep(factory, config, as_of, transport_from(config))
    return len(result.planned)


def body(message, subtype: str) -> str:
    return str(message.get_body((subtype,)).get_content())


def test_each_language_gets_its_own_multipart_message(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "ALB", "ardit@example.al", "en")
    add_contact(factory, "SEN", "awa@example.sn", "fr")
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    add_contact(factory, "GTM", "mission@example.org", "es", role="copy")

    assert sweep(factory, smtp, TODAY) == 3

    by_to = {str(r.message["To"]): r for r in smtp.handler.received}
    assert set(by_to) == {"ardit@example.al", "awa@example.sn", "ana@minex.gob.gt"}
    for received in smtp.handler.received:
        m = received.message
        assert m.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in m.iter_parts()] == ["text/plain", "text/html"]
        assert m["Reply-To"] == "cmw@ohchr.example.org"
        assert m["Auto-Submitted"] == "auto-generated"

    en = by_to["ardit@example.al"].message
    assert en["Subject"] == "ICRMW: 2 reports of Albania overdue"
    assert en["Content-Language"] == "en"
    text = body(en, "plain")
    # Albania's second report was due in 2015 (its cover): the third and fourth count from it.
    assert "Report 3, third periodic report (expected symbol CMW/C/ALB/3)" in text
    assert "due in 2020, 2,155 days overdue" in text
    assert "article 73 (1) (b) of the Convention" in text
    assert "combined report" in text and "CMW/C/ALB/3-4" in text
    assert "cmw@ohchr.example.org" in text

    fr = by_to["awa@example.sn"].message
    assert fr["Subject"] == "Rappel ICRMW – Sénégal : cinquième rapport périodique attendu en 2026"
    assert "attendu en 2026, dans 36 jours" in body(fr, "plain")
    assert "cinquième rapport périodique" in body(fr, "html")

    es = by_to["ana@minex.gob.gt"]
    assert es.message["Cc"] == "mission@example.org"
    assert sorted(es.envelope_to) == ["ana@minex.gob.gt", "mission@example.org"]
    assert "vencía el 1 de julio de 2014" in body(es.message, "plain")
    assert "<strong>3 informes</strong>" in body(es.message, "html")


def test_repeated_sweeps_send_nothing_twice(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    assert sweep(factory, smtp, TODAY) == 1
    assert sweep(factory, smtp, TODAY) == 0
    assert sweep(factory, smtp, date(2026, 11, 26)) == 0
    assert len(smtp.handler.received) == 1
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(OutboxRecipient)) == 3


def test_a_contact_added_later_gets_the_current_stage_alone(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    sweep(factory, smtp, TODAY)
    add_contact(factory, "GTM", "juan@minex.gob.gt", "es")
    assert sweep(factory, smtp, TODAY) == 1
    assert [str(r.message["To"]) for r in smtp.handler.received] == [
        "ana@minex.gob.gt",
        "juan@minex.gob.gt",
    ]


def test_stages_before_and_after_a_due_date(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    with transaction(factory) as session:
        # Guatemala discharges reports 1-5 in one combined report: report 6 is due 1 July 2029.
        recording.record_report(
            session, "GTM", "1-5", date(2026, 1, 12), "CMW/C/GTM/1-5", "simplified"
        )
    add_contact(factory, "GTM", "focal@minex.gob.gt", "en")

    assert sweep(factory, smtp, date(2028, 12, 31)) == 0  # 182 days before: nothing yet
    # The sweep did not run between 180 and 90 days before: it sends the 90-day stage only.
    assert sweep(factory, smtp, date(2029, 4, 10)) == 1
    assert sweep(factory, smtp, date(2029, 4, 11)) == 0
    assert sweep(factory, smtp, date(2029, 6, 1)) == 1
    assert sweep(factory, smtp, date(2029, 7, 1)) == 0  # due today: not overdue yet
    assert sweep(factory, smtp, date(2029, 7, 2)) == 1
    assert sweep(factory, smtp, date(2029, 9, 29)) == 0
    assert sweep(factory, smtp, date(2029, 9, 30)) == 1

    subjects = smtp.handler.subjects()
    assert subjects == [
        "ICRMW reminder: sixth periodic report of Guatemala due on 1 July 2029",
        "ICRMW reminder: sixth periodic report of Guatemala due on 1 July 2029",
        "ICRMW: sixth periodic report of Guatemala overdue, due on 1 July 2029",
        "ICRMW: sixth periodic report of Guatemala overdue, due on 1 July 2029",
    ]
    first = body(smtp.handler.received[0].message, "plain")
    assert "falls due on 1 July 2029, 82 days from 10 April 2029" in first
    assert "expected symbol CMW/C/GTM/6" in first
    assert "list of issues prior to reporting (expected symbol CMW/C/GTM/QPR/6)" in first
    assert "last report was submitted under the simplified reporting procedure" in first
    assert "91 days overdue" in body(smtp.handler.received[3].message, "plain")
    with factory() as session:
        stages = [
            m.stage for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]
        assert stages == ["reminder-90", "reminder-30", "overdue-1", "overdue-91"]
        assert [m.status for m in list_messages(session)] == ["sent"] * 4


def test_a_committee_decision_restarts_the_stages_from_its_date(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    with transaction(factory) as session:
        recording.record_report(session, "GTM", "1-5", date(2026, 1, 12), "CMW/C/GTM/1-5")
        recording.record_decision(
            session, "GTM", 6, date(2027, 3, 1), date(2026, 4, 10), "CMW/C/GTM/CO/2"
        )
    add_contact(factory, "GTM", "focal@minex.gob.gt", "fr")
    assert sweep(factory, smtp, TODAY) == 1
    text = body(smtp.handler.received[0].message, "plain")
    assert "attendu le 1er mars 2027, dans 96 jours" in text
    assert "une décision du Comité (CMW/C/GTM/CO/2)" in text


def test_inactive_contacts_and_states_without_contacts_get_nothing(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    with transaction(factory) as session:
        from obligations import contacts

        row = contacts.add_contact(session, "SEN", "Awa", "awa@example.sn", "fr")
        contacts.update_contact(session, row, active=False)
    assert sweep(factory, smtp, TODAY) == 1
    assert [str(r.message["To"]) for r in smtp.handler.received] == ["ana@minex.gob.gt"]


def test_unverified_items_are_not_reminded(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    # The bundled record as shipped: Guatemala's history is researched up to its first
    # concluding observations (2011), so what it owes today may have been moved since.
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    assert sweep(factory, smtp, TODAY) == 0
    assert smtp.handler.received == []
    # As at a date the researched history reaches, the overdue report is reminded.
    assert sweep(factory, smtp, date(2010, 6, 30)) == 1
    with transaction(factory) as session:
        practice.record_history(session, "GTM", None, kept_current=True)
    assert sweep(factory, smtp, TODAY) == 1


def test_follow_up_information_is_reminded_with_its_own_symbol(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "ZWE", "focal@example.zw", "en")
    with transaction(factory) as session:
        # Zimbabwe's initial report is not yet asked for here: only follow-up is owed.
        recording.record_decision(session, "ZWE", 1, "2030-01-01", "2025-04-01")
        practice.record_observations(
            session, "ZWE", 1, "CMW/C/ZWE/CO/1", "2025-06-01", follow_up_due="2026-02-01"
        )
    assert sweep(factory, smtp, date(2026, 2, 2)) == 1
    (received,) = smtp.handler.received
    text = body(received.message, "plain")
    assert received.message["Subject"] == (
        "ICRMW: follow-up information on the concluding observations CMW/C/ZWE/CO/1 of "
        "Zimbabwe overdue, due on 1 February 2026"
    )
    assert "Follow-up information on the concluding observations CMW/C/ZWE/CO/1 " in text
    assert "(expected symbol CMW/C/ZWE/FCO/1)" in text
    # The follow-up and report 1 are separate items: a later sweep does not repeat it.
    assert sweep(factory, smtp, date(2026, 2, 3)) == 0
