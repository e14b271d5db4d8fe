"""The secretariat's weekly digest: overdue by State with counts, due soon, newly overdue."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from notifier.service import run_digest
from notifier.transports import transport_from
from tests.notifier.conftest import SmtpServer, add_contact, config_for


def test_the_digest_lists_overdue_upcoming_and_newly_overdue(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    config = config_for(smtp.url, secretariat=("cmw@ohchr.example.org", "desk@ohchr.example.org"))
    first = run_digest(factory, config, date(2024, 6, 24), transport_from(config))
    assert len(first.planned) == 1
    assert run_digest(factory, config, date(2024, 6, 24), transport_from(config)).planned == []
    run_digest(factory, config, date(2024, 7, 8), transport_from(config))

    assert len(smtp.handler.received) == 2
    early, later = (r.message for r in smtp.handler.received)
    assert sorted(smtp.handler.received[0].envelope_to) == [
        "cmw@ohchr.example.org",
        "desk@ohchr.example.org",
    ]
    assert early.get_content_type() == "multipart/mixed"
    text = early.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    # Reports due on 1 July 2024 (five years after 1 July 2019) are coming up on 24 June.
    assert "Due within 90 days" in text
    assert "Guatemala (GTM): Report 5, fifth periodic report, due 1 July 2024, in 7 days" in text

    text = later.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert str(later["Subject"]).startswith("ICRMW reports as at 8 July 2024: ")
    newly = text.split("Newly overdue since 24 June 2024")[1].split("Due within")[0]
    assert "Guatemala (GTM): Report 5, fifth periodic report, due 1 July 2024" in newly
    # Guatemala's initial and second reports were reviewed (2011, 2019): three remain.
    assert "Guatemala (GTM): 3 overdue\n" in text.replace("\r\n", "\n")
    assert "  - Report 3, third periodic report, due 1 July 2014, 3,660 days overdue" in text
    assert "Belize (BLZ): 4 overdue (no focal point on file)" in text
    assert "By regional group: AFR 39, GRULAC 37, APG 12, EEG 3, WEOG 2" in text

    (attachment,) = list(later.iter_attachments())
    assert attachment.get_filename() == "icrmw-reports-2024-07-08.csv"
    rows = list(csv.DictReader(io.StringIO(attachment.get_content())))
    gtm5 = next(r for r in rows if r["state"] == "GTM" and r["report"] == "5")
    assert gtm5["section"] == "newly overdue"
    assert gtm5["expected_symbol"] == "CMW/C/GTM/5"
    assert gtm5["basis"] == "art. 73(1)(b)"
    assert gtm5["focal_point_on_file"] == "yes"
    assert gtm5["days_overdue"] == "7"
    html = later.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<th" in html and "CMW/C/GTM/5" in html


def test_no_secretariat_address_no_digest(factory: sessionmaker[Session], smtp: SmtpServer) -> None:
    config = config_for(smtp.url, secretariat=())
    assert run_digest(factory, config, date(2026, 11, 23), transport_from(config)).planned == []
    assert smtp.handler.received == []
