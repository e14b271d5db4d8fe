"""CSV cells that would start a formula are neutralised in every CSV the product writes."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from api.responses import csv_bytes
from notifier.digest import DigestLine, digest_csv
from obligations.csvcells import neutralise


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Guatemala", "Guatemala"),
        ("art. 73(1)(a)", "art. 73(1)(a)"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_a_quote_only_before_a_formula(cell: str, written: str) -> None:
    assert neutralise(cell) == written


def test_the_overdue_csv_neutralises_text_but_keeps_numbers() -> None:
    body = csv_bytes(
        ["name", "days_overdue"],
        [{"name": "=1+1", "days_overdue": -3}, {"name": "Ghana", "days_overdue": 12}],
    ).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [["name", "days_overdue"], ["'=1+1", "-3"], ["Ghana", "12"]]


def test_the_digest_attachment_neutralises_text_cells() -> None:
    line = DigestLine(
        code="GTM",
        name="@evil",
        regional_group="GRULAC",
        number=1,
        kind="initial",
        due=date(2004, 7, 1),
        basis="=cmd|' /C calc'!A0",
        days=100,
        expected_symbol="CMW/C/GTM/1",
        has_contact=False,
    )
    rows = list(csv.reader(io.StringIO(digest_csv([line], [], set()))))
    assert rows[1][2] == "'@evil"
    assert rows[1][7] == "'=cmd|' /C calc'!A0"
    assert rows[1][8] == "100"
