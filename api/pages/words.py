"""How the pages say things: numbers, lists of names, labels for the domain's codes."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

# The UN Editorial Manual spells out numbers from one to nine and writes 10 and above in figures.
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

REGIONS = {
    "AFR": "African States",
    "APG": "Asia-Pacific States",
    "EEG": "Eastern European States",
    "GRULAC": "Latin American and Caribbean States",
    "WEOG": "Western European and other States",
}

ACTIONS = {
    "signature": "Signature",
    "ratification": "Ratification",
    "accession": "Accession",
    "succession": "Succession",
    "succession_to_signature": "Succession to signature",
    "declaration": "Declaration",
    "withdrawal": "Withdrawal of declaration",
    "denunciation": "Denunciation",
}

REPORT_STATUSES = {
    "received": "received",
    "overdue": "overdue",
    "due": "due today",
    "upcoming": "not yet due",
    "reviewed_without_report": "reviewed without a report",
    "date_to_be_set": "date to be set",
}


def count_of(number: int, noun: str) -> str:
    """'one State', 'nine States', '16 States'."""
    figure = NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else f"{number:,}"
    return f"{figure} {noun}" if number == 1 else f"{figure} {noun}s"


def names_in_prose(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' (no comma before 'and', as UN documents write)."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def alphabetical_key(name: str) -> str:
    """Order names as an English index does: accents and case do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def report_numbers(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def region_name(code: str | None) -> str:
    if not code:
        return "no regional group"
    return REGIONS.get(code, code)
