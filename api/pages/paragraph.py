"""The status of the Convention as the Secretary-General's report words it, as at a date, in
any of the Committee's languages (the sentences are messages of the catalogs)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from api.pages.words import alphabetical_key, in_words, names_in_prose
from obligations.i18n import translations
from obligations.queries import PartyView, SignatoryView, StatusView
from obligations.state_names import state_name
from obligations.wording import long_date


def status_paragraph(
    status: StatusView, twentieth_deposited: date | None, language: str = "en"
) -> str:
    """One paragraph: parties, signatories, then where the Convention stands under article 87.

    Names are those in use on the date in English (as the status view gives them); in French
    and Spanish, the UN short names of today. Alphabetical, accents ignored.
    """
    ngettext = translations(language).ngettext
    parties = names_of(status.parties, language)
    signatories = names_of(status.signatories, language)
    succession = any(p.instrument == "succession" for p in status.parties)
    day = long_date(status.as_of, language)
    if parties:
        values = {
            "date": day,
            "count": in_words(len(parties), language),
            "names": names_in_prose(parties, language),
        }
        if succession:
            sentence = ngettext(
                "As at %(date)s, the International Convention on the Protection of the Rights of "
                "All Migrant Workers and Members of Their Families had been ratified, acceded or "
                "succeeded to by %(count)s State, namely, %(names)s.",
                "As at %(date)s, the International Convention on the Protection of the Rights of "
                "All Migrant Workers and Members of Their Families had been ratified, acceded or "
                "succeeded to by %(count)s States, namely, %(names)s.",
                len(parties),
            )
        else:
            sentence = ngettext(
                "As at %(date)s, the International Convention on the Protection of the Rights of "
                "All Migrant Workers and Members of Their Families had been ratified or acceded "
                "to by %(count)s State, namely, %(names)s.",
                "As at %(date)s, the International Convention on the Protection of the Rights of "
                "All Migrant Workers and Members of Their Families had been ratified or acceded "
                "to by %(count)s States, namely, %(names)s.",
                len(parties),
            )
        sentences = [sentence % values]
    else:
        sentence = translations(language).gettext(
            "As at %(date)s, the International Convention on the Protection of the Rights of All "
            "Migrant Workers and Members of Their Families had not been ratified or acceded to "
            "by any State."
        )
        sentences = [sentence % {"date": day}]
    if signatories:
        values = {
            "count": in_words(len(signatories), language),
            "names": names_in_prose(signatories, language),
        }
        if parties:
            sentence = ngettext(
                "In addition, %(count)s State, namely, %(names)s, signed the Convention.",
                "In addition, %(count)s States, namely, %(names)s, signed the Convention.",
                len(signatories),
            )
        else:
            sentence = ngettext(
                "%(count)s State, namely, %(names)s, signed the Convention.",
                "%(count)s States, namely, %(names)s, signed the Convention.",
                len(signatories),
            )
        sentences.append(sentence % values)
    sentences.append(entry_into_force_sentence(status, twentieth_deposited, language))
    return " ".join(s[0].upper() + s[1:] for s in sentences)


def names_of(views: Iterable[PartyView | SignatoryView], language: str) -> list[str]:
    return sorted((state_name(v.code, v.name, language) for v in views), key=alphabetical_key)


def entry_into_force_sentence(
    status: StatusView, twentieth_deposited: date | None, language: str = "en"
) -> str:
    gettext, ngettext = translations(language).gettext, translations(language).ngettext
    if status.entry_into_force is None:
        sentence = ngettext(
            "In accordance with paragraph 1 of its article 87, the Convention will enter into "
            "force on the first day of the month following a period of three months after the "
            "date of the deposit of the twentieth instrument of ratification or accession; "
            "%(count)s more instrument of ratification or accession is needed.",
            "In accordance with paragraph 1 of its article 87, the Convention will enter into "
            "force on the first day of the month following a period of three months after the "
            "date of the deposit of the twentieth instrument of ratification or accession; "
            "%(count)s more instruments of ratification or accession are needed.",
            status.instruments_needed,
        )
        return sentence % {"count": in_words(status.instruments_needed, language)}
    entry = long_date(status.entry_into_force, language)
    if not status.in_force:
        if twentieth_deposited is None:
            sentence = gettext(
                "The twentieth instrument of ratification or accession having been deposited, "
                "the Convention will enter into force on %(date)s, in accordance with paragraph 1 "
                "of its article 87."
            )
            return sentence % {"date": entry}
        sentence = gettext(
            "The twentieth instrument of ratification or accession having been deposited on "
            "%(deposited)s, the Convention will enter into force on %(date)s, in accordance with "
            "paragraph 1 of its article 87."
        )
        return sentence % {"deposited": long_date(twentieth_deposited, language), "date": entry}
    sentence = gettext(
        "The Convention entered into force on %(date)s, in accordance with paragraph 1 of its "
        "article 87."
    )
    return sentence % {"date": entry}
