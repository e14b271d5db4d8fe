"""The Committee's reporting practice (DOMAIN.md), end to end through the command line on
SQLite and PostgreSQL: LOIPRs, reviews in the absence of a report, concluding observations,
follow-up, dates known only to the year, import and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text

from obligations import models
from obligations.corrections import delete_fact, get_fact
from obligations.db import make_engine, session_factory, transaction
from tests.obligations.cli_runner import Result, run_cli

REPORTING_TABLES = (
    models.FollowUpReceived,
    models.ConcludingObservations,
    models.ListOfIssues,
    models.ListOfIssuesPriorToReporting,
    models.CommitteeDecision,
    models.Review,
    models.ReportReceived,
)


def clear_history(url: str, *codes: str) -> None:
    """A State bound from 1 Jul 2003 with no reporting fact: DOMAIN.md's synthetic State X."""
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        for model in REPORTING_TABLES:
            session.execute(delete(model).where(model.state_code.in_(codes)))  # type: ignore[attr-defined]
    engine.dispose()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str):  # type: ignore[no-untyped-def]
    clear_history(database_url, "UGA", "BOL")

    def invoke(*args: str) -> Result:
        return run_cli(capsys, database_url, *args)

    return invoke


def report(cli: Any, code: str, as_of: str, number: int) -> dict[str, Any]:
    dossier = cli("state", code, "--as-of", as_of, "--json").json()
    return next(r for r in dossier["reports"] if r["number"] == number)  # type: ignore[no-any-return]


def overdue(cli: Any, as_of: str, code: str) -> list[tuple[str, int, int]]:
    items = cli("overdue", "--as-of", as_of, "--json").json()["items"]
    return [(i["kind"], i["number"], i["days_overdue"]) for i in items if i["code"] == code]


def test_worked_example_a_list_of_issues_prior_to_reporting(cli: Any) -> None:
    # Uganda is bound from 1 Jul 2003, like State X; report 2 defaults to 1 Jul 2009.
    assert report(cli, "UGA", "2016-01-01", 2)["status"] == "overdue"
    assert report(cli, "UGA", "2016-01-01", 2)["basis"] == "art. 73(1)(b)"
    done = cli(
        "record", "loipr", "UGA", "--report", "2", "--symbol", "CMW/C/UGA/QPR/2",
        "--transmitted", "2016-04-15", "--deadline", "2017-04-15", "--source", "test",
    )  # fmt: skip
    assert done.code == 0, done.err
    # A fact counts from its own date: before the LOIPR the default still stands.
    assert report(cli, "UGA", "2016-01-01", 2)["status"] == "overdue"
    as_may = report(cli, "UGA", "2016-05-01", 2)
    assert (as_may["due"], as_may["basis"], as_may["status"]) == (
        "2017-04-15",
        "CMW/C/UGA/QPR/2",
        "upcoming",
    )
    assert ("periodic", 2, 35) in overdue(cli, "2017-05-20", "UGA")
    replies = cli(
        "record", "report", "UGA", "--numbers", "2", "--received", "2017-06-01",
        "--symbol", "CMW/C/UGA/2", "--simplified",
    )  # fmt: skip
    assert replies.code == 0, replies.err
    received = report(cli, "UGA", "2017-06-01", 2)
    assert (received["status"], received["received"]) == ("received", "2017-06-01")
    assert ("periodic", 2, 35) in overdue(cli, "2017-05-20", "UGA")


def test_worked_example_a_review_in_the_absence_of_a_report(cli: Any) -> None:
    review = cli(
        "record", "review", "BOL", "--numbers", "1", "--session", "30", "--date", "2019-04-10",
        "--without-report",
    )  # fmt: skip
    assert review.code == 0, review.err
    observations = cli(
        "record", "observations", "BOL", "--number", "1", "--symbol", "CMW/C/BOL/CO/1",
        "--adopted", "2019-04-12", "--next", "2", "--next-due", "2024-04-30",
    )  # fmt: skip
    assert observations.code == 0, observations.err
    assert "follow-up due 2021-04-12" in observations.out

    dossier = cli("state", "BOL", "--as-of", "2019-05-01", "--json").json()
    first, second = dossier["reports"][:2]
    assert first["status"] == "reviewed_without_report"
    assert (second["due"], second["basis"], second["status"]) == (
        "2024-04-30",
        "CMW/C/BOL/CO/1",
        "upcoming",
    )
    (follow_up,) = dossier["follow_up"]
    assert (follow_up["kind"], follow_up["due"], follow_up["status"]) == (
        "follow_up",
        "2021-04-12",
        "upcoming",
    )
    late = overdue(cli, "2022-01-01", "BOL")
    assert [(kind, number) for kind, number, _ in late] == [("follow_up", 1)]
    readable = cli("state", "BOL", "--as-of", "2022-01-01").out
    assert "1 (in the absence of a report)" in readable
    assert "Follow-up information on concluding observations" in readable


def test_a_date_known_only_to_the_year_is_overdue_from_the_next_first_of_january(
    cli: Any,
) -> None:
    decided = cli(
        "record", "decision", "UGA", "--report", "2", "--due", "2018", "--decided", "2014-05-01",
    )  # fmt: skip
    assert decided.code == 0, decided.err
    late_in_the_year = report(cli, "UGA", "2018-12-30", 2)
    assert (late_in_the_year["due"], late_in_the_year["status"]) == ("2018", "upcoming")
    assert report(cli, "UGA", "2019-01-01", 2)["status"] == "overdue"
    assert ("periodic", 2, 1) in overdue(cli, "2019-01-01", "UGA")
    # The next default counts from it, with the same precision: no day is invented.
    assert report(cli, "UGA", "2019-01-01", 3)["due"] == "2023"


def test_a_date_to_be_set_is_neither_overdue_nor_reminded_until_fixed(cli: Any) -> None:
    assert cli(
        "record", "observations", "UGA", "--number", "1", "--symbol", "CMW/C/UGA/CO/1",
        "--adopted", "2015-04-23", "--next", "2", "--review-calendar", "--no-follow-up",
    ).code == 0  # fmt: skip
    pending = report(cli, "UGA", "2020-01-01", 2)
    assert (pending["due"], pending["status"]) == (None, "date_to_be_set")
    assert [number for _, number, _ in overdue(cli, "2020-01-01", "UGA")] == [1]
    assert cli(
        "record", "loipr", "UGA", "--report", "2", "--symbol", "CMW/C/UGA/QPR/2",
        "--transmitted", "2021-02-01", "--deadline", "2022-02-01",
    ).code == 0  # fmt: skip
    fixed = report(cli, "UGA", "2022-03-01", 2)
    assert (fixed["due"], fixed["basis"], fixed["status"]) == (
        "2022-02-01",
        "CMW/C/UGA/QPR/2",
        "overdue",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["loipr", "FRA", "--report", "1", "--symbol", "CMW/C/FRA/QPR/1",
             "--transmitted", "2020-01-01"],
            "error: FRA: a list of issues prior to reporting dated 2020-01-01 comes before "
            "the Convention bound the State\n",
        ),
        (
            ["loipr", "UGA", "--report", "2", "--symbol", "CMW/C/UGA/QPR/2",
             "--transmitted", "2001-01-01"],
            "error: UGA: a list of issues prior to reporting dated 2001-01-01 comes before "
            "the Convention bound the State\n",
        ),
        (
            ["loipr", "UGA", "--report", "2", "--symbol", "CMW/C/UGA/QPR/2",
             "--transmitted", "2016-04-15", "--deadline", "2016-01-01"],
            "error: deadline: the replies cannot be due before the list was transmitted\n",
        ),
        (
            ["loipr", "UGA", "--report", "2", "--symbol", "CMW/C/MEX/QPR/2",
             "--transmitted", "2016-04-15"],
            "error: symbol: 'CMW/C/MEX/QPR/2' names MEX, not UGA\n",
        ),
        (
            ["observations", "UGA", "--number", "1", "--symbol", "CMW/C/UGA/CO/2",
             "--adopted", "2015-04-23"],
            "error: symbol: 'CMW/C/UGA/CO/2' does not name number 1\n",
        ),
        (
            ["follow-up", "UGA", "--number", "1", "--received", "2017-12-28"],
            "error: UGA: no concluding observations number 1 on record\n",
        ),
        (
            ["decision", "UGA", "--report", "2", "--due", "2018-13", "--decided", "2014-05-01"],
            "error: due: '2018-13' is not a date in the form YYYY-MM-DD (or YYYY-MM, YYYY "
            "when the document gives only the month or year)\n",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_one_clear_line_and_writes_nothing(
    cli: Any, database_url: str, args: list[str], message: str
) -> None:
    before = count_facts(database_url)
    result = cli("record", *args)
    assert (result.code, result.err) == (2, message)
    assert count_facts(database_url) == before


def test_follow_up_before_its_observations_is_refused(cli: Any, database_url: str) -> None:
    assert cli(
        "record", "observations", "UGA", "--number", "1", "--symbol", "CMW/C/UGA/CO/1",
        "--adopted", "2015-04-23",
    ).code == 0  # fmt: skip
    before = count_facts(database_url)
    early = cli("record", "follow-up", "UGA", "--number", "1", "--received", "2015-01-01")
    assert early.code == 2
    assert early.err == (
        "error: UGA: follow-up received on 2015-01-01 comes before the concluding "
        "observations CMW/C/UGA/CO/1 it follows up\n"
    )
    assert count_facts(database_url) == before
    on_time = cli("record", "follow-up", "UGA", "--number", "1", "--received", "2017-12-28")
    assert on_time.code == 0, on_time.err
    (follow_up,) = cli("state", "UGA", "--json").json()["follow_up"]
    assert (follow_up["status"], follow_up["received"]) == ("received", "2017-12-28")


def count_facts(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        total = sum(
            connection.scalar(select(func.count()).select_from(model)) or 0
            for model in REPORTING_TABLES
        )
    engine.dispose()
    return total


def answers(cli: Any) -> list[Any]:
    """Every public answer the record gives on a few dates."""
    out: list[Any] = []
    for day in ("2005-01-01", "2016-05-01", "2022-01-01", "2026-11-25"):
        out.append(cli("overdue", "--as-of", day, "--json").json())
        out.append(cli("status", "--as-of", day, "--json").json())
        for code in ("UGA", "BOL", "GTM", "NGA", "ZWE"):
            out.append(cli("state", code, "--as-of", day, "--json").json())
    return out


def test_export_then_import_into_a_fresh_database_gives_every_answer_again(
    cli: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cli(
        "record", "observations", "UGA", "--number", "1", "--symbol", "CMW/C/UGA/CO/1",
        "--adopted", "2015-04-23", "--next", "2", "--next-due", "2018",
        "--follow-up-paragraphs", "17, 23", "--source", "=cmd|' /C calc'!A0",
    ).code == 0  # fmt: skip
    assert cli("record", "history", "BOL", "--kept-current").code == 0
    exported = cli("export", str(tmp_path / "record"))
    assert exported.code == 0, exported.err
    text_of = (tmp_path / "record" / "concluding_observations.csv").read_text()
    # A cell a spreadsheet would run as a formula is neutralised, and read back as it was.
    assert "'=cmd" in text_of
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert run_cli(capsys, fresh, "init").code == 0
    clear_history(fresh, "UGA", "BOL")
    imported = run_cli(capsys, fresh, "import", str(tmp_path / "record"))
    assert imported.code == 0, imported.err
    assert "concluding_observations.csv: imported 1;" in imported.out

    def fresh_cli(*args: str) -> Result:
        return run_cli(capsys, fresh, *args)

    assert answers(fresh_cli) == answers(cli)
    again = run_cli(capsys, fresh, "import", str(tmp_path / "record"))
    assert "concluding_observations.csv: imported 0; 81 already recorded" in again.out


def test_an_import_with_one_bad_row_writes_nothing(
    cli: Any, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "loiprs.csv"
    path.write_text(
        "state,report,symbol,transmitted,deadline,source\n"
        "UGA,2,CMW/C/UGA/QPR/2,2016-04-15,2017-04-15,test\n"
        "BOL,2,CMW/C/BOL/QPR/2,2016-04-15,2015-01-01,test\n"
    )
    before = count_facts(database_url)
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err == (
        f"error: {path}, row 3: deadline: the replies cannot be due before the list was "
        "transmitted\n"
    )
    assert count_facts(database_url) == before


def test_coverage_says_what_is_on_record_and_what_is_not_researched(cli: Any) -> None:
    coverage = cli("coverage", "--json").json()
    by_code = {row["code"]: row for row in coverage["states"]}
    assert len(by_code) == 60  # the 59 of 2023 and Zimbabwe (November 2024)
    assert by_code["GTM"]["researched_until"] == "2011-09-22"
    assert by_code["GTM"]["reviews"] == 2
    assert any(s.startswith("CMW/C/GTM/CO/1") for s in by_code["GTM"]["sources"])
    assert by_code["ZWE"]["researched_until"] is None
    readable = cli("coverage").out
    assert "ZWE   NOT RESEARCHED" in readable


def test_an_unresearched_state_is_marked_in_the_overdue_list(cli: Any) -> None:
    items = cli("overdue", "--json").json()["items"]
    zimbabwe = [i for i in items if i["code"] == "ZWE"]
    assert zimbabwe and all(i["verified"] is False for i in zimbabwe)
    readable = cli("overdue").out
    assert "ZWE*" in readable


def test_check_names_a_hand_made_impossible_record_and_a_deletion_mends_it(
    cli: Any, database_url: str
) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        # Two instruments for one State, as a race in an older version could leave them.
        connection.execute(
            text(
                "INSERT INTO depositary_actions (state_code, action, date, articles, source, "
                "date_precision) VALUES ('KHM', 'ratification', '2024-01-10', '', 'x', 'day'), "
                "('KHM', 'ratification', '2024-01-11', '', 'x', 'day')"
            )
        )
        ids = [
            row[0]
            for row in connection.execute(
                text("SELECT id FROM depositary_actions WHERE state_code = 'KHM' ORDER BY id")
            )
        ]
        connection.execute(text("UPDATE record_revision SET value = value + 1"))
    engine.dispose()
    checked = cli("check")
    assert checked.code == 1
    assert checked.out.startswith("KHM (Cambodia): ")
    # Every other State still answers; Cambodia's dossier carries its problem.
    assert cli("overdue", "--json").code == 0
    assert cli("status", "--json").code == 0
    assert cli("state", "KHM", "--json").json()["problem"]
    # The correction the API's DELETE makes: allowed, though the record is impossible.
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        delete_fact(session, get_fact(session, "action", ids[-1]))
    engine.dispose()
    assert cli("check").code == 0
