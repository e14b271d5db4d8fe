"""The command line end to end, on SQLite and PostgreSQL, with the bundled record loaded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.obligations.cli_runner import Result, run_cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str):  # type: ignore[no-untyped-def]
    def invoke(*args: str) -> Result:
        return run_cli(capsys, database_url, *args)

    return invoke


def test_status_as_at_today_derives_entry_into_force_and_lists_parties(cli) -> None:
    result = cli("status", "--as-of", "2023-12-31", "--json")
    assert result.code == 0, result.err
    status = result.json()
    assert set(status) == {
        "as_of",
        "treaty",
        "entry_into_force",
        "in_force",
        "instruments_needed",
        "parties",
        "signatories",
        "declarations",
    }
    assert status["treaty"] == "ICRMW"
    assert status["entry_into_force"] == "2003-07-01"
    assert status["in_force"] is True
    assert status["instruments_needed"] == 0
    assert len(status["parties"]) == 59
    assert len(status["signatories"]) == 11
    guatemala = next(p for p in status["parties"] if p["code"] == "GTM")
    assert guatemala == {
        "code": "GTM",
        "name": "Guatemala",
        "instrument": "ratification",
        "deposited": "2003-03-14",
        "entry_into_force": "2003-07-01",
    }
    assert status["declarations"]["77"] == {
        "states": ["ECU", "MEX", "SLV"],
        "count": 3,
        "in_force": False,
        "needed": 7,
    }
    assert status["declarations"]["76"]["states"] == ["ECU", "SLV"]


def test_status_before_entry_into_force_uses_the_names_of_the_day(cli) -> None:
    status = cli("status", "--as-of", "2001-06-01", "--json").json()
    assert status["entry_into_force"] is None
    assert status["in_force"] is False
    assert status["instruments_needed"] == 20 - len(status["parties"])
    names = {p["code"]: p["name"] for p in status["parties"]}
    assert names["CPV"] == "Cape Verde"
    signatories = {s["code"]: s["name"] for s in status["signatories"]}
    assert signatories["TUR"] == "Turkey"
    assert all(p["entry_into_force"] is None for p in status["parties"])


def test_readable_status_names_the_date_and_the_parties(cli) -> None:
    result = cli("status", "--as-of", "2023-12-31")
    assert result.code == 0
    assert "in force since 2003-07-01" in result.out
    assert "Parties (59)" in result.out
    assert "Guatemala" in result.out


def test_state_dossier_shows_sources_and_reports(cli) -> None:
    result = cli("state", "gtm", "--as-of", "2004-07-02", "--json")
    assert result.code == 0, result.err
    dossier = result.json()
    assert set(dossier) == {
        "code",
        "name",
        "party",
        "entry_into_force",
        "entry_into_force_basis",
        "actions",
        "reports",
        "declarations",
        "follow_up",
        "reviews",
        "lists_of_issues_prior_to_reporting",
        "lists_of_issues",
        "concluding_observations",
        "history",
        "problem",
    }
    assert dossier["entry_into_force"] == "2003-07-01"
    assert dossier["entry_into_force_basis"] == "art. 87(1)"
    assert dossier["actions"] == [
        {"action": "signature", "date": "2000-09-07", "articles": [], "source": "UNTC"},
        {"action": "ratification", "date": "2003-03-14", "articles": [], "source": "UNTC"},
    ]
    assert dossier["reports"] == [
        {
            "number": 1,
            "kind": "initial",
            "due": "2004-07-01",
            "basis": "art. 73(1)(a)",
            "status": "overdue",
            "received": None,
            "symbol": None,
            "verified": True,
            "source": None,
            "out_of_sequence": None,
        },
        {
            "number": 2,
            "kind": "periodic",
            "due": "2009-07-01",
            "basis": "art. 73(1)(b)",
            "status": "upcoming",
            "received": None,
            "symbol": None,
            "verified": True,
            "source": None,
            "out_of_sequence": None,
        },
    ]
    # Guatemala's history is researched up to its first concluding observations.
    assert dossier["history"]["verified"] is True
    assert dossier["history"]["researched_until"] == "2011-09-22"


def test_guatemala_worked_example_end_to_end(cli) -> None:
    assert (
        cli(
            "record",
            "report",
            "GTM",
            "--numbers",
            "1",
            "--received",
            "2010-08-04",
            "--symbol",
            "CMW/C/GTM/1",
        ).code
        == 0
    )
    # The review of 14-15 Sep 2011 ships with the bundled record; recording it again is refused.
    again = cli(
        "record", "review", "GTM", "--numbers", "1", "--session", "15", "--date", "2011-09-14",
        "--until", "2011-09-15", "--symbol", "CMW/C/GTM/CO/1",
    )  # fmt: skip
    assert again.code == 2
    assert again.err == "error: GTM: the review of 2011-09-14 is already on record\n"
    overdue_2009 = cli("overdue", "--as-of", "2009-07-02", "--json").json()["items"]
    gtm = [(i["number"], i["days_overdue"]) for i in overdue_2009 if i["code"] == "GTM"]
    assert gtm == [(1, 1827), (2, 1)]
    reports = cli("state", "GTM", "--as-of", "2010-08-04", "--json").json()["reports"]
    assert reports[0]["status"] == "received"
    assert reports[0]["received"] == "2010-08-04"
    assert reports[0]["symbol"] == "CMW/C/GTM/1"
    readable = cli("state", "GTM", "--as-of", "2012-01-01")
    assert "CMW/C/GTM/CO/1" in readable.out
    assert "2011-09-14" in readable.out


def test_overdue_is_most_overdue_first_and_on_the_due_date_not_yet(cli) -> None:
    on_due = cli("overdue", "--as-of", "2004-07-01", "--json").json()
    assert not [i for i in on_due["items"] if i["code"] == "GTM"]
    items = cli("overdue", "--as-of", "2023-12-31", "--json").json()["items"]
    assert items
    assert set(items[0]) == {
        "code", "name", "number", "kind", "due", "days_overdue", "basis", "overdue_from", "region",
        "verified",
    }  # fmt: skip
    days = [i["days_overdue"] for i in items]
    assert days == sorted(days, reverse=True)
    assert all(i["days_overdue"] > 0 for i in items)


def test_upcoming_lists_reports_due_within_the_window(cli) -> None:
    result = cli("upcoming", "--as-of", "2004-06-01", "--within", "30", "--json").json()
    codes = {(i["code"], i["number"], i["days_until"]) for i in result["items"]}
    assert ("GTM", 1, 30) in codes
    assert ("SLV", 1, 30) in codes
    assert all(0 <= i["days_until"] <= 30 for i in result["items"])


def test_a_committee_decision_moves_the_schedule(cli) -> None:
    cli("record", "report", "GTM", "--numbers", "1", "--received", "2010-08-04")
    result = cli(
        "record",
        "decision",
        "GTM",
        "--report",
        "2",
        "--due",
        "2016-10-01",
        "--decided",
        "2011-09-23",
        "--symbol",
        "CMW/C/GTM/CO/1",
    )
    assert result.code == 0, result.err
    reports = cli("state", "GTM", "--as-of", "2017-01-01", "--json").json()["reports"]
    assert reports[1]["due"] == "2016-10-01"
    assert reports[1]["basis"] == "Committee decision, CMW/C/GTM/CO/1"
    assert reports[1]["status"] == "overdue"
    assert reports[2]["due"] == "2021-10-01"


def test_declarations_and_withdrawals_are_recorded(cli) -> None:
    assert (
        cli(
            "record",
            "action",
            "GTM",
            "--action",
            "declaration",
            "--date",
            "2020-01-10",
            "--articles",
            "76,77",
            "--source",
            "C.N.1.2020",
        ).code
        == 0
    )
    status = cli("status", "--as-of", "2020-01-10", "--json").json()
    assert "GTM" in status["declarations"]["77"]["states"]
    dossier = cli("state", "GTM", "--as-of", "2020-01-10", "--json").json()
    assert dossier["declarations"]["76"]["in_effect"] is True
    assert (
        cli(
            "record",
            "action",
            "GTM",
            "--action",
            "withdrawal",
            "--date",
            "2021-01-10",
            "--articles",
            "76",
        ).code
        == 0
    )
    after = cli("status", "--as-of", "2021-01-10", "--json").json()
    assert "GTM" not in after["declarations"]["76"]["states"]
    assert "GTM" in after["declarations"]["77"]["states"]


TOMORROW = (date.today() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("state", "XYZ"), "unknown State code 'XYZ'"),
        (("status", "--as-of", "2023-02-30"), "not a date on the calendar"),
        (("status", "--as-of", "yesterday"), "not a date in the form YYYY-MM-DD"),
        (
            ("record", "action", "GTM", "--action", "signature", "--date", "1990-12-17"),
            "before the Convention was opened for signature",
        ),
        (
            (
                "record",
                "action",
                "GTM",
                "--action",
                "withdrawal",
                "--date",
                TOMORROW,
                "--articles",
                "77",
            ),
            "in the future",
        ),
        (
            ("record", "action", "GTM", "--action", "accession", "--date", "2010-01-01"),
            "already a party",
        ),
        (
            (
                "record",
                "action",
                "ARM",
                "--action",
                "declaration",
                "--date",
                "2020-01-01",
                "--articles",
                "77",
            ),
            "not a State party",
        ),
        (
            (
                "record",
                "action",
                "GTM",
                "--action",
                "withdrawal",
                "--date",
                "2020-01-01",
                "--articles",
                "77",
            ),
            "no article 77 declaration is in effect",
        ),
        (("record", "action", "GTM", "--action", "promise", "--date", "2020-01-01"), "not one of"),
        (
            ("record", "report", "GTM", "--numbers", "3-2", "--received", "2020-01-01"),
            "reversed or empty",
        ),
        (
            ("record", "report", "GTM", "--numbers", "1", "--received", "2003-06-30"),
            "before the Convention bound the State",
        ),
        (
            (
                "record",
                "report",
                "GTM",
                "--numbers",
                "1",
                "--received",
                "2010-08-04",
                "--symbol",
                "CMW/C/SLV/1",
            ),
            "names SLV, not GTM",
        ),
        (
            (
                "record",
                "report",
                "GTM",
                "--numbers",
                "1-2",
                "--received",
                "2010-08-04",
                "--symbol",
                "CMW/C/GTM/1",
            ),
            "does not match report numbers 1-2",
        ),
        (
            ("record", "review", "GTM", "--numbers", "1", "--session", "15", "--date", TOMORROW),
            "in the future",
        ),
        (
            ("record", "report", "ARM", "--numbers", "1", "--received", "2020-01-01"),
            "before the Convention bound the State",
        ),
    ],
)
def test_bad_input_gets_one_clear_line_and_changes_nothing(cli, args, message) -> None:
    before = cli("state", "GTM", "--json").out
    before_status = cli("status", "--json").out
    result = cli(*args)
    assert result.code == 2
    assert message in result.err
    assert result.err.startswith("error: ")
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert cli("state", "GTM", "--json").out == before
    assert cli("status", "--json").out == before_status


def test_a_report_number_already_received_is_refused(cli) -> None:
    assert cli("record", "report", "GTM", "--numbers", "1", "--received", "2010-08-04").code == 0
    again = cli("record", "report", "GTM", "--numbers", "1-2", "--received", "2015-01-01")
    assert again.code == 2
    assert "report 1 was already received on 2010-08-04" in again.err


def test_committee_size(cli) -> None:
    result = cli("committee", "--as-of", "2023-12-31", "--json").json()
    assert result["members"] == 14
    assert result["forty_first_party_entry_into_force"] is not None
    assert cli("committee", "--as-of", "2004-01-01", "--json").json()["members"] == 10
