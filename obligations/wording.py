"""Domain words in the Committee's three working languages: report titles, bases, dates.

English is the source; French and Spanish come from the message catalogs (obligations.i18n),
dates and numbers from CLDR through Babel.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from obligations.i18n import N_, translations
from obligations.rules.reporting import INITIAL_BASIS, PERIODIC_BASIS

# UN usage: "1 July 2004", "1 juillet 2004", "1 de julio de 2004".
LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}

# Titles of the periodic reports that UN documents spell out; later ones are numbered.
PERIODIC_TITLES = (
    N_("second periodic report"),
    N_("third periodic report"),
    N_("fourth periodic report"),
    N_("fifth periodic report"),
    N_("sixth periodic report"),
    N_("seventh periodic report"),
    N_("eighth periodic report"),
    N_("ninth periodic report"),
    N_("tenth periodic report"),
)


# Cached: a sweep writes the same few due dates and day counts thousands of times.
@lru_cache(maxsize=65536)
def long_date(day: date, language: str = "en") -> str:
    """1 July 2003, 1er juillet 2003, 1 de julio de 2003: the day as UN documents write it."""
    if language == "fr" and day.day == 1:
        # French writes the first of the month as an ordinal: "1er avril 2026".
        return format_date(day, format="d'er' MMMM y", locale=LOCALES[language])
    return format_date(day, format="long", locale=LOCALES[language])


@lru_cache(maxsize=65536)
def whole_number(value: int, language: str) -> str:
    return format_decimal(value, locale=LOCALES[language])


def obligation_title(kind: str, number: int, basis: str, language: str = "en") -> str:
    """A report's title, or for follow-up information, what it follows up (its basis)."""
    if kind == "follow_up":
        text = translations(language).gettext(
            "follow-up information on the concluding observations %(symbol)s"
        )
        return text % {"symbol": basis}
    return report_title(number, language)


def obligation_label(kind: str, number: int, basis: str, language: str = "en") -> str:
    """'Report 2, second periodic report', or 'Follow-up information on … CMW/C/X/CO/1'."""
    title = obligation_title(kind, number, basis, language)
    if kind == "follow_up":
        return title[0].upper() + title[1:]
    text = translations(language).gettext("Report %(number)s, %(title)s")
    return text % {"number": number, "title": title}


def partial_date(text: str, language: str = "en") -> str:
    """A date known only to the month or year, as given: 'July 2018', '2018'."""
    if len(text) == 7:
        return format_date(
            date.fromisoformat(text + "-01"), format="MMMM y", locale=LOCALES[language]
        )
    return text


def report_title(number: int, language: str = "en") -> str:
    """'initial report', 'second periodic report', '12th periodic report', 'deuxième rapport
    périodique', …"""
    gettext = translations(language).gettext
    if number == 1:
        return gettext("initial report")
    if number - 2 < len(PERIODIC_TITLES):
        return gettext(PERIODIC_TITLES[number - 2])
    ordinal = {"en": english_ordinal(number), "fr": f"{number}e", "es": f"{number}.º"}[language]
    return gettext("%(ordinal)s periodic report") % {"ordinal": ordinal}


def english_ordinal(number: int) -> str:
    """11th, 12th, 21st, 22nd, 23rd."""
    teen = 10 <= number % 100 <= 20
    return f"{number}{'th' if teen else {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


BASES = {
    INITIAL_BASIS: N_(
        "article 73 (1) (a) of the Convention: within one year after its entry into force for "
        "the State"
    ),
    PERIODIC_BASIS: N_(
        "article 73 (1) (b) of the Convention: every five years after the previous report was due"
    ),
}

DECISION_BASIS = re.compile(
    r"Committee (?P<what>decision|request)[^,]*?"
    r"(?:, (?P<symbol>\S+)| of (?P<day>\d{4}-\d{2}-\d{2}))$"
)


def basis_text(basis: str, language: str) -> str:
    """The basis of a due date, explained in the language; the symbol of a decision kept."""
    gettext = translations(language).gettext
    if basis in BASES:
        return gettext(BASES[basis])
    match = DECISION_BASIS.match(basis)
    if match is None:
        return basis
    if match.group("what") == "request":
        what = gettext("a request of the Committee (article 73 (1) (b))")
    else:
        what = gettext("a decision of the Committee")
    if match.group("symbol"):
        return f"{what} ({match.group('symbol')})"
    day = date.fromisoformat(match.group("day"))
    return gettext("%(what)s of %(date)s") % {"what": what, "date": long_date(day, language)}
