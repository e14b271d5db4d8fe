"""Domain words in the Committee's three working languages: report titles, bases, dates.

English is the default: the pages speak it, the mails speak the contact's language.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from obligations.rules.reporting import INITIAL_BASIS, PERIODIC_BASIS

# UN usage: "1 July 2004", "1 juillet 2004", "1 de julio de 2004".
LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}

ORDINALS = {
    "en": ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"],
    "fr": [
        "deuxième",
        "troisième",
        "quatrième",
        "cinquième",
        "sixième",
        "septième",
        "huitième",
        "neuvième",
        "dixième",
    ],
    "es": [
        "segundo",
        "tercer",
        "cuarto",
        "quinto",
        "sexto",
        "séptimo",
        "octavo",
        "noveno",
        "décimo",
    ],
}


# Cached: a sweep writes the same few due dates and day counts thousands of times.
@lru_cache(maxsize=65536)
def long_date(day: date, language: str = "en") -> str:
    """1 July 2003, 1 juillet 2003, 1 de julio de 2003: the day as UN documents write it."""
    return format_date(day, format="long", locale=LOCALES[language])


@lru_cache(maxsize=65536)
def whole_number(value: int, language: str) -> str:
    return format_decimal(value, locale=LOCALES[language])


FOLLOW_UP_TITLES = {
    "en": "follow-up information on the concluding observations {symbol}",
    "fr": "informations de suivi sur les observations finales {symbol}",
    "es": "información de seguimiento sobre las observaciones finales {symbol}",
}
ITEM_WORDS = {"en": "Report", "fr": "Rapport", "es": "Informe"}


def obligation_title(kind: str, number: int, basis: str, language: str = "en") -> str:
    """A report's title, or for follow-up information, what it follows up (its basis)."""
    if kind == "follow_up":
        return FOLLOW_UP_TITLES[language].format(symbol=basis)
    return report_title(number, language)


def obligation_label(kind: str, number: int, basis: str, language: str = "en") -> str:
    """'Report 2, second periodic report', or 'Follow-up information on … CMW/C/X/CO/1'."""
    title = obligation_title(kind, number, basis, language)
    if kind == "follow_up":
        return title[0].upper() + title[1:]
    return f"{ITEM_WORDS[language]} {number}, {title}"


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
    if number == 1:
        return {"en": "initial report", "fr": "rapport initial", "es": "informe inicial"}[language]
    words = ORDINALS[language]
    if number - 2 < len(words):
        ordinal = words[number - 2]
    else:
        ordinal = {"en": english_ordinal(number), "fr": f"{number}e", "es": f"{number}.º"}[language]
    return {
        "en": f"{ordinal} periodic report",
        "fr": f"{ordinal} rapport périodique",
        "es": f"{ordinal} informe periódico",
    }[language]


def english_ordinal(number: int) -> str:
    """11th, 12th, 21st, 22nd, 23rd."""
    teen = 10 <= number % 100 <= 20
    return f"{number}{'th' if teen else {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


BASES = {
    INITIAL_BASIS: {
        "en": "article 73 (1) (a) of the Convention: within one year after its entry into "
        "force for the State",
        "fr": "article 73, paragraphe 1 a), de la Convention : dans un délai d'un an après "
        "son entrée en vigueur pour l'État",
        "es": "artículo 73, párrafo 1 a), de la Convención: en el plazo de un año a partir de "
        "su entrada en vigor para el Estado",
    },
    PERIODIC_BASIS: {
        "en": "article 73 (1) (b) of the Convention: every five years after the previous "
        "report was due",
        "fr": "article 73, paragraphe 1 b), de la Convention : tous les cinq ans après "
        "l'échéance du rapport précédent",
        "es": "artículo 73, párrafo 1 b), de la Convención: cada cinco años a partir del "
        "vencimiento del informe anterior",
    },
}

DECISION = {
    "en": ("a decision of the Committee", "a request of the Committee (article 73 (1) (b))"),
    "fr": ("une décision du Comité", "une demande du Comité (article 73, paragraphe 1 b))"),
    "es": ("una decisión del Comité", "una solicitud del Comité (artículo 73, párrafo 1 b))"),
}
OF_DATE = {"en": "of {}", "fr": "du {}", "es": "de {}"}

DECISION_BASIS = re.compile(
    r"Committee (?P<what>decision|request)[^,]*?"
    r"(?:, (?P<symbol>\S+)| of (?P<day>\d{4}-\d{2}-\d{2}))$"
)


def basis_text(basis: str, language: str) -> str:
    """The basis of a due date, explained in the language; the symbol of a decision kept."""
    if basis in BASES:
        return BASES[basis][language]
    match = DECISION_BASIS.match(basis)
    if match is None:
        return basis
    decision, request = DECISION[language]
    what = request if match.group("what") == "request" else decision
    if match.group("symbol"):
        return f"{what} ({match.group('symbol')})"
    day = date.fromisoformat(match.group("day"))
    return f"{what} {OF_DATE[language].format(long_date(day, language))}"
