"""The domain's words, as the pages and the mails write them in en, fr and es."""

from __future__ import annotations

from datetime import date

from obligations.wording import long_date, report_title


def test_dates_as_un_documents_write_them() -> None:
    assert long_date(date(2003, 7, 1)) == "1 July 2003"
    # French writes the first of the month as an ordinal, and only the first.
    assert long_date(date(2003, 7, 1), "fr") == "1er juillet 2003"
    assert long_date(date(2026, 4, 1), "fr") == "1er avril 2026"
    assert long_date(date(2003, 7, 2), "fr") == "2 juillet 2003"
    assert long_date(date(2003, 7, 21), "fr") == "21 juillet 2003"
    assert long_date(date(2003, 7, 1), "es") == "1 de julio de 2003"
    assert long_date(date(2026, 4, 1), "es") == "1 de abril de 2026"


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


def test_state_names_from_cldr_and_the_un_table() -> None:
    from obligations.state_names import state_name, un_short_names

    # English: the record's name, as given (it may be the name in use on a past date).
    assert state_name("TUR", "Turkey", "en") == "Turkey"
    # CLDR through Babel, the alpha-3 code mapped to CLDR's alpha-2.
    assert state_name("MEX", "Mexico", "fr") == "Mexique"
    assert state_name("MEX", "Mexico", "es") == "México"
    # The UN's short name where it differs from CLDR's, from the sourced table.
    assert state_name("SYR", "Syrian Arab Republic", "fr") == "République arabe syrienne"
    assert state_name("BOL", "Bolivia (Plurinational State of)", "es") == (
        "Bolivia (Estado Plurinacional de)"
    )
    # Read in the Committee's own French documents, and the UN's Türkiye in every language.
    assert state_name("BOL", "Bolivia (Plurinational State of)", "fr") == (
        "État plurinational de Bolivie"
    )
    assert state_name("CPV", "Cabo Verde", "fr") == "Cabo Verde"
    assert state_name("TUR", "Türkiye", "fr") == state_name("TUR", "Türkiye", "es") == "Türkiye"
    # A code neither knows keeps the record's name.
    assert state_name("ZZZ", "Nowhere", "es") == "Nowhere"
    assert all(len(code) == 3 and language in {"fr", "es"} for code, language in un_short_names())
