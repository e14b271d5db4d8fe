"""Corrections on the command line: `obligations correct` and `obligations delete`, each
checked against the State's whole record, refused with the reason, audited."""

from __future__ import annotations

from typing import Any

import pytest

from tests.obligations.cli_runner import Result, run_cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str):  # type: ignore[no-untyped-def]
    def invoke(*args: str) -> Result:
        return run_cli(capsys, database_url, *args)

    return invoke


def report_id(cli: Any) -> int:
    recorded = cli("record", "report", "GIN", "--numbers", "1", "--received", "2014-03-02")
    assert recorded.code == 0, recorded.err
    return int(recorded.out.rsplit("id ", 1)[1].rstrip(")\n"))


def test_a_wrong_date_is_corrected_and_the_answers_follow(cli: Any) -> None:
    fact = report_id(cli)
    fixed = cli("correct", "report", str(fact), "received=2014-03-03", "symbol=CMW/C/GIN/1")
    assert fixed.code == 0, fixed.err
    assert fixed.out == (
        f"corrected report {fact} of GIN: received 2014-03-02 -> 2014-03-03, "
        "symbol None -> CMW/C/GIN/1\n"
    )
    initial = cli("state", "GIN", "--json").json()["reports"][0]
    assert (initial["received"], initial["symbol"]) == ("2014-03-03", "CMW/C/GIN/1")
    audit = cli("audit", "--json").json()["items"][0]
    assert (audit["operation"], audit["entity"], audit["entity_id"]) == ("update", "report", fact)


def test_a_correction_that_would_make_the_record_impossible_is_refused(cli: Any) -> None:
    fact = report_id(cli)
    for args, message in [
        (["received=1999-01-01"], "error: GIN: the report received on 1999-01-01 would come "
         "before the Convention bound the State\n"),
        (["colour=red"], "error: 'colour=red': give FIELD=VALUE, FIELD one of numbers, "
         "received, symbol, procedure, out_of_sequence for a report\n"),
        (["received=2014-02-30"], "error: received: '2014-02-30' is not a date on the "
         "calendar\n"),
    ]:  # fmt: skip
        refused = cli("correct", "report", str(fact), *args)
        assert (refused.code, refused.err) == (2, message)
    assert cli("state", "GIN", "--json").json()["reports"][0]["received"] == "2014-03-02"


def test_a_fact_recorded_in_error_is_deleted_once(cli: Any) -> None:
    fact = report_id(cli)
    assert cli("delete", "report", str(fact)).out == f"deleted report {fact} of GIN\n"
    again = cli("delete", "report", str(fact))
    assert (again.code, again.err) == (2, f"error: no report with id {fact}\n")
    # The Committee's documents are corrected on the command line too, through the same checks.
    document = cli("correct", "loipr", "1", "deadline=2030")
    assert document.out == (
        "corrected loipr 1 of ARG: deadline None -> 2030-12-31, deadline_precision day -> year\n"
    )
    wrong = cli("correct", "loipr", "1", "symbol=CMW/C/MEX/QPR/9")
    assert (wrong.code, wrong.err) == (2, "error: symbol: 'CMW/C/MEX/QPR/9' names MEX, not ARG\n")
    unknown = cli("correct", "follow-up", "1", "colour=red")
    assert unknown.err == (
        "error: 'colour=red': give FIELD=VALUE, FIELD one of number, symbol, received, source "
        "for a follow-up\n"
    )
    log = cli("audit", "--json").json()["items"]
    assert [(e["operation"], e["entity"], e["entity_id"]) for e in log[:1]] == [
        ("update", "loipr", 1)
    ]
