"""How the pages say things: numbers, lists of names, labels for the domain's codes.

Labels are English msgids (marked with N_), translated where they are shown."""

from __future__ import annotations

from collections.abc import Sequence

from obligations.i18n import N_, translations
from obligations.state_names import alphabetical_key as alphabetical_key  # the pages sort with it
from obligations.wording import whole_number

# The UN Editorial Manual spells out numbers from one to nine and writes 10 and above in figures.
NUMBER_WORDS = (
    N_("zero"),
    N_("one"),
    N_("two"),
    N_("three"),
    N_("four"),
    N_("five"),
    N_("six"),
    N_("seven"),
    N_("eight"),
    N_("nine"),
)

REGIONS = {
    "AFR": N_("African States"),
    "APG": N_("Asia-Pacific States"),
    "EEG": N_("Eastern European States"),
    "GRULAC": N_("Latin American and Caribbean States"),
    "WEOG": N_("Western European and other States"),
}

ACTIONS = {
    "signature": N_("Signature"),
    "ratification": N_("Ratification"),
    "accession": N_("Accession"),
    "succession": N_("Succession"),
    "succession_to_signature": N_("Succession to signature"),
    "declaration": N_("Declaration"),
    "withdrawal": N_("Withdrawal of declaration"),
    "denunciation": N_("Denunciation"),
}

REPORT_STATUSES = {
    "received": N_("received"),
    "overdue": N_("overdue"),
    "due": N_("due today"),
    "upcoming": N_("not yet due"),
    "reviewed_without_report": N_("reviewed without a report"),
    "date_to_be_set": N_("date to be set"),
}


def in_words(number: int, language: str = "en") -> str:
    """'one', 'nine', '16', '1,234' ('1 234' in French): how a count reads in a sentence."""
    if 0 <= number < len(NUMBER_WORDS):
        return translations(language).gettext(NUMBER_WORDS[number])
    return whole_number(number, language)


def names_in_prose(names: Sequence[str], language: str = "en") -> str:
    """'A', 'A and B', 'A, B and C' (no comma before 'and', as UN documents write)."""
    if len(names) <= 1:
        return "".join(names)
    last = translations(language).gettext("%(first)s and %(last)s")
    return last % {"first": ", ".join(names[:-1]), "last": names[-1]}


def report_numbers(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def region_name(code: str | None) -> str:
    if not code:
        return N_("no regional group")
    return REGIONS.get(code, code)
