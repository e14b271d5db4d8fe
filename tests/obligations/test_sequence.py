"""Sequence rules: a report beyond the next one due, or a review of reports never received,
is refused with the reason and writes nothing, or stands with the reason recorded
(`--out-of-sequence`); corrections and deletions that would break the sequence are refused.
End to end through the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.obligations.cli_runner import Result, run_cli
from tests.obligations.test_reporting_practice import clear_history

HINT = "; if the record is right, record it with the reason (--out-of-sequence REASON; out_of_sequence in the API)\n"  # noqa: E501


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str):  # type: ignore[no-untyped-def]
    # Uganda is bound from 1 Jul 2003; its reporting history is cleared for each test.
    clear_history(database_url, "UGA")

    def invoke(*args: str) -> Result:
        return run_cli(capsys, database_url, *args)

    return invoke


def statuses(cli: Any, as_of: str = "2026-11-25") -> dict[int, tuple[str, str | None]]:
    dossier = cli("state", "UGA", "--as-of", as_of, "--json").json()
    return {r["number"]: (r["status"], r["out_of_sequence"]) for r in dossier["reports"]}


def report(cli: Any, numbers: str, received: str, *extra: str) -> Result:
    return cli("record", "report", "UGA", "--numbers", numbers, "--received", received, *extra)  # type: ignore[no-any-return]


def fact_id(recorded: Result) -> str:
    assert recorded.code == 0, recorded.err
    return recorded.out.rsplit("id ", 1)[1].split(")")[0]


def test_a_report_beyond_the_next_one_due_is_refused_and_writes_nothing(cli: Any) -> None:
    assert report(cli, "1", "2005-01-10").code == 0
    refused = report(cli, "3", "2012-01-01")
    assert (refused.code, refused.out) == (2, "")
    assert refused.err == (
        "error: UGA: report 3 received on 2012-01-01 is beyond the next one due: report 2 was "
        "neither received nor reviewed by then" + HINT
    )
    assert statuses(cli)[3][0] != "received"
    # A combined report covering the open number is in sequence.
    assert report(cli, "2-3", "2012-01-01").code == 0
    assert statuses(cli)[2] == ("received", None)


def test_with_a_reason_it_stands_and_the_reason_is_kept_and_audited(cli: Any) -> None:
    reason = "numbered 2 by the State, which never sent its initial report (CMW/C/UGA/2)"
    done = report(cli, "2", "2017-06-01", "--out-of-sequence", reason)
    assert done.code == 0, done.err
    assert done.out.endswith(f"; out of sequence: {reason}\n")
    assert statuses(cli)[2] == ("received", reason)
    assert statuses(cli)[1][0] == "overdue"
    log = cli("audit", "--json").json()["items"]
    assert log[0]["entity"] == "report"
    assert log[0]["after"]["out_of_sequence"] == reason
    # A blank reason is no reason.
    assert report(cli, "3", "2020-01-01", "--out-of-sequence", "  ").code == 2


def test_a_report_the_committee_asked_for_is_in_sequence(cli: Any) -> None:
    # DOMAIN.md's worked example: the replies to CMW/C/X/QPR/2 are report 2, report 1 open.
    assert report(cli, "2", "2016-06-01").code == 2
    loipr = cli(
        "record", "loipr", "UGA", "--report", "2", "--symbol", "CMW/C/UGA/QPR/2",
        "--transmitted", "2016-04-15", "--deadline", "2017-04-15",
    )  # fmt: skip
    assert loipr.code == 0, loipr.err
    # Replies received before the list was transmitted are still out of sequence.
    assert report(cli, "2", "2016-04-01").code == 2
    assert report(cli, "2", "2017-06-01", "--simplified").code == 0


def test_a_review_of_a_report_never_received_is_refused(cli: Any) -> None:
    review = ("record", "review", "UGA", "--numbers", "1", "--session", "30", "--date")
    refused = cli(*review, "2019-04-10")
    assert refused.code == 2
    assert refused.err == (
        "error: UGA: the review of report 1 on 2019-04-10 is of report 1, never received by "
        "then (a review in the absence of a report is recorded as one)" + HINT
    )
    assert statuses(cli)[1][0] == "overdue"
    # In the absence of a report (rule 34) it is no break.
    assert cli(*review, "2019-04-10", "--without-report").code == 0
    assert statuses(cli)[1][0] == "reviewed_without_report"
    # Received after the review does not make the review in sequence.
    assert report(cli, "2", "2020-01-10").code == 0
    assert cli(*review[:4], "2", *review[5:], "2019-12-01").code == 2
    assert cli(*review[:4], "2", *review[5:], "2020-03-01").code == 0


def test_a_correction_or_deletion_that_breaks_the_sequence_is_refused(cli: Any) -> None:
    fact = fact_id(report(cli, "1", "2005-01-10"))
    second_id = fact_id(report(cli, "2", "2010-03-01"))
    refused = cli("correct", "report", fact, "received=2011-01-01")
    assert refused.code == 2
    assert "report 2 received on 2010-03-01 is beyond the next one due" in refused.err
    assert cli("delete", "report", fact).code == 2
    assert statuses(cli)[1] == ("received", None)
    # Giving report 2 a reason makes both changes possible.
    assert cli("correct", "report", second_id, "out_of_sequence=report 1 withdrawn").code == 0
    assert cli("delete", "report", fact).code == 0
    assert statuses(cli)[2] == ("received", "report 1 withdrawn")


def test_an_import_is_checked_as_a_whole(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "record"
    folder.mkdir()
    # Reports come before the reviews that account for them; the folder is checked at the end.
    (folder / "reports.csv").write_text(
        "state,numbers,received,source\nUGA,2,2021-02-01,test\n", encoding="utf-8"
    )
    (folder / "reviews.csv").write_text(
        "state,numbers,session,date,end_date,without_report,symbol,source\n"
        "UGA,1,30,2019-04-10,,yes,,test\n",
        encoding="utf-8",
    )
    assert cli("import", str(folder)).code == 0
    assert statuses(cli)[2] == ("received", None)
    alone = tmp_path / "reports.csv"
    alone.write_text("state,numbers,received,source\nUGA,4,2022-02-01,test\n", encoding="utf-8")
    refused = cli("import", str(alone))
    assert refused.code == 2
    assert "UGA: report 4 received on 2022-02-01 is beyond the next one due" in refused.err
    assert 4 not in {n for n, (s, _) in statuses(cli).items() if s == "received"}
