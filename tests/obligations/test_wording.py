"""The domain's words, as the pages (English) and the mails (en, fr, es) write them."""

from __future__ import annotations

from datetime import date

from obligations.wording import long_date, report_title


def test_dates_as_un_documents_write_them() -> None:
    assert long_date(date(2003, 7, 1)) == "1 July 2003"
    assert long_date(date(2003, 7, 1), "fr") == "1 juillet 2003"
    assert long_date(date(2003, 7, 1), "es") == "1 de julio de 2003"


def test_report_titles() -> None:
    assert report_title(1) == "initial report"
    assert report_title(10) == "tenth periodic report"
    assert [report_title(n) for n in (11, 12, 13, 21, 22, 23, 111)] == [
        "11th periodic report",
        "12th periodic report",
        "13th periodic report",
        "21st periodic report",
        "22nd periodic report",
        "23rd periodic report",
        "111th periodic report",
    ]
    assert report_title(2, "fr") == "deuxième rapport périodique"
    assert report_title(12, "es") == "12.º informe periódico"
