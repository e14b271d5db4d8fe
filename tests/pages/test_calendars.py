"""The due dates as iCalendar: valid RFC 5545 that calendar programs import and refresh."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
from fastapi.testclient import TestClient

from api.pages.calendars import period_of
from api.pages.ical import AllDayEvent, calendar
from tests.pages.conftest import csrf_of


def lines_of(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b""), "every line ends in CRLF"
    return body[:-2].split(b"\r\n")


def test_a_states_calendar_has_one_all_day_event_per_report(pages: TestClient) -> None:
    response = pages.get("/states/GTM/calendar.ics", params={"as_of": "2009-07-02"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    lines = lines_of(response.content)
    assert all(len(line) <= 75 for line in lines), "folded at 75 octets"
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"

    parsed = icalendar.Calendar.from_ical(response.content)
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["X-WR-CALNAME"]) == "ICRMW reports due: Guatemala"
    events = parsed.walk("VEVENT")
    dossier = pages.get("/api/v1/states/GTM", params={"as_of": "2009-07-02"}).json()
    assert [e.decoded("DTSTART") for e in events] == [
        date.fromisoformat(r["due"]) for r in dossier["reports"]
    ]
    first = events[0]
    assert b"DTSTART;VALUE=DATE:20040701" in lines
    assert b"DTEND;VALUE=DATE:20040702" in lines
    assert str(first["UID"]) == "gtm-report-1@treaty-obligations.icrmw"
    assert first.decoded("DTSTAMP").tzinfo is not None
    assert str(first["SUMMARY"]) == "Guatemala: initial report due (ICRMW)"
    description = str(first["DESCRIPTION"])
    assert "Basis: art. 73(1)(a)." in description
    assert "Overdue since 2 July 2004 (as at 2 July 2009)." in description
    assert str(first["URL"]) == "http://testserver/states/GTM"


def test_uids_stay_when_the_committee_moves_a_due_date(
    pages: TestClient, officer: TestClient
) -> None:
    before = icalendar.Calendar.from_ical(pages.get("/states/GTM/calendar.ics").content)
    uids = {str(e["UID"]): e.decoded("DTSTART") for e in before.walk("VEVENT")}
    assert uids["gtm-report-2@treaty-obligations.icrmw"] == date(2009, 7, 1)
    form = officer.get("/record/decision", params={"state": "GTM"})
    moved = officer.post(
        "/record/decision",
        data={
            "csrf_token": csrf_of(form.text),
            "state": "GTM",
            "kind": "fix_due_date",
            "report": "2",
            "due": "2012-05-31",
            "decided": "2008-09-20",
        },
    )
    assert moved.status_code == 303, moved.text
    after = icalendar.Calendar.from_ical(pages.get("/states/GTM/calendar.ics").content)
    moved_uids = {str(e["UID"]): e.decoded("DTSTART") for e in after.walk("VEVENT")}
    assert moved_uids["gtm-report-2@treaty-obligations.icrmw"] == date(2012, 5, 31)
    # The same event moved: none is left on the old date.
    assert date(2009, 7, 1) not in moved_uids.values()


def test_the_whole_calendar_holds_every_party_and_parses(pages: TestClient) -> None:
    response = pages.get("/calendar.ics", params={"as_of": "2026-11-25"})
    assert response.status_code == 200
    lines = lines_of(response.content)
    assert all(len(line) <= 75 for line in lines)
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)), "UIDs are unique"
    states = {uid.split("-report-")[0] for uid in uids}
    parties = pages.get("/api/v1/status", params={"as_of": "2026-11-25"}).json()["parties"]
    assert states == {p["code"].lower() for p in parties}
    # Names with accents survive folding: Côte d'Ivoire, Türkiye.
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "Côte d'Ivoire: initial report due (ICRMW)" in summaries
    assert "Türkiye: initial report due (ICRMW)" in summaries


def test_unknown_state_calendar_is_a_404(pages: TestClient) -> None:
    assert pages.get("/states/XYZ/calendar.ics").status_code == 404
    assert pages.get("/calendar.ics", params={"as_of": "2001-02-30"}).status_code == 422


def test_folding_never_splits_a_character_and_text_is_escaped() -> None:
    long = "é" * 80
    event = AllDayEvent("x@y", date(2024, 2, 29), "A; B, C\\D", "one\ntwo " + long)
    feed = calendar("Test", [event], datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    lines = lines_of(feed)
    assert all(len(line) <= 75 for line in lines), "folded at 75 octets"
    # Every piece is whole UTF-8: no character is cut between two lines.
    assert all(line.decode("utf-8") for line in lines)
    assert b"SUMMARY:A\\; B\\, C\\\\D" in lines
    assert any(line.startswith(b"DESCRIPTION:one\\ntwo ") for line in lines)
    assert b"TRANSP:TRANSPARENT" in lines
    parsed = icalendar.Calendar.from_ical(feed).walk("VEVENT")[0]
    assert str(parsed["SUMMARY"]) == "A; B, C\\D"
    assert str(parsed["DESCRIPTION"]) == "one\ntwo " + long
    assert parsed.decoded("DTSTART") == date(2024, 2, 29)
    assert parsed.decoded("DTEND") == date(2024, 3, 1)


def test_a_year_only_due_date_spans_its_year(pages: TestClient) -> None:
    """Niger's second report was due "in 2021" (CMW/C/NER/2): no day is invented."""
    response = pages.get("/states/NER/calendar.ics", params={"as_of": "2026-11-25"})
    lines = lines_of(response.content)
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    second = next(e for e in events if str(e["UID"]) == "ner-report-2@treaty-obligations.icrmw")
    assert second.decoded("DTSTART") == date(2021, 1, 1)
    assert second.decoded("DTEND") == date(2022, 1, 1)
    assert b"DTSTART;VALUE=DATE:20210101" in lines and b"DTEND;VALUE=DATE:20220101" in lines
    assert "Due: 2021." in str(second["DESCRIPTION"])
    assert "Basis: Committee decision, CMW/C/NER/2." in str(second["DESCRIPTION"])
    assert [str(c) for c in second["CATEGORIES"].cats] == ["ICRMW", "received"]


def test_a_month_only_due_date_spans_its_month() -> None:
    assert period_of("2030-12") == (date(2030, 12, 1), date(2031, 1, 1))
    assert period_of("2031-02") == (date(2031, 2, 1), date(2031, 3, 1))
    assert period_of(date(2031, 2, 3)) == (date(2031, 2, 3), None)
    assert period_of(None) is None
    start, until = date(2030, 12, 1), date(2031, 1, 1)
    event = AllDayEvent("m@y", start, "Due in December", "Due: December 2030.", until=until)
    feed = calendar("Test", [event], datetime(2026, 11, 25, tzinfo=UTC))
    parsed = icalendar.Calendar.from_ical(feed).walk("VEVENT")[0]
    assert (parsed.decoded("DTSTART"), parsed.decoded("DTEND")) == (start, until)
