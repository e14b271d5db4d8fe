"""State names in the Committee's languages: the UN's official short names.

English names are the record's own (the UN short name in use on the date). French and
Spanish names come from CLDR through Babel, except where the UN's official short name
differs: those are kept in `data/un_short_names.csv`, each row with the page it was read on.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from babel import Locale
from babel.core import get_global

from obligations.i18n import DEFAULT_LANGUAGE


@lru_cache(maxsize=1)
def un_short_names() -> dict[tuple[str, str], str]:
    text = resources.files("obligations").joinpath("data", "un_short_names.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {(row["code"], row["language"]): row["name"] for row in rows}


@cache
def cldr_name(code: str, language: str) -> str | None:
    """CLDR's name for an ISO 3166-1 alpha-3 code (CLDR keeps alpha-3 as aliases of alpha-2)."""
    alpha2 = get_global("territory_aliases").get(code)
    # CLDR sends every unassigned code (ZZZ, …) to ZZ, "Unknown Region": not a name.
    if not alpha2 or alpha2[0] == "ZZ":
        return None
    name = Locale.parse(language).territories.get(alpha2[0])
    return str(name) if name else None


def state_name(code: str, english: str, language: str) -> str:
    """The State's name in `language`; `english` is the record's name, used as is in English
    and when neither table knows the code."""
    if language == DEFAULT_LANGUAGE:
        return english
    return un_short_names().get((code, language)) or cldr_name(code, language) or english


def alphabetical_key(name: str) -> str:
    """Order names as an index does: accents and case do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def names_in_order(states: Iterable[tuple[str, str]], language: str) -> list[str]:
    """(code, English name) pairs as names in `language`, in alphabetical order."""
    return sorted((state_name(code, name, language) for code, name in states), key=alphabetical_key)
