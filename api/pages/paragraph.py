"""The status of the Convention as the Secretary-General's report words it, as at a date."""

from __future__ import annotations

from datetime import date

from api.pages.words import alphabetical_key, count_of, names_in_prose
from obligations.queries import StatusView
from obligations.wording import long_date

CONVENTION = (
    "the International Convention on the Protection of the Rights of All Migrant Workers "
    "and Members of Their Families"
)


def status_paragraph(status: StatusView, twentieth_deposited: date | None) -> str:
    """One paragraph: parties, signatories, then where the Convention stands under article 87.

    Names are those in use on the date (as the status view gives them), in alphabetical order.
    """
    parties = sorted((p.name for p in status.parties), key=alphabetical_key)
    signatories = sorted((s.name for s in status.signatories), key=alphabetical_key)
    succession = any(p.instrument == "succession" for p in status.parties)
    bound = "ratified, acceded or succeeded to" if succession else "ratified or acceded to"
    opening = f"As at {long_date(status.as_of)}, {CONVENTION}"
    if parties:
        sentences = [
            f"{opening} had been {bound} by {count_of(len(parties), 'State')}, "
            f"namely, {names_in_prose(parties)}."
        ]
    else:
        sentences = [f"{opening} had not been ratified or acceded to by any State."]
    if signatories:
        lead = "In addition, " if parties else ""
        who = count_of(len(signatories), "State")
        sentences.append(
            f"{lead}{who}, namely, {names_in_prose(signatories)}, signed the Convention."
        )
    sentences.append(entry_into_force_sentence(status, twentieth_deposited))
    text = " ".join(sentences)
    return text[0].upper() + text[1:]


def entry_into_force_sentence(status: StatusView, twentieth_deposited: date | None) -> str:
    if status.entry_into_force is None:
        needed = count_of(status.instruments_needed, "more instrument")
        verb = "is" if status.instruments_needed == 1 else "are"
        return (
            "In accordance with paragraph 1 of its article 87, the Convention will enter into "
            "force on the first day of the month following a period of three months after the "
            "date of the deposit of the twentieth instrument of ratification or accession; "
            f"{needed} of ratification or accession {verb} needed."
        )
    if not status.in_force:
        deposited = f" on {long_date(twentieth_deposited)}" if twentieth_deposited else ""
        return (
            f"The twentieth instrument of ratification or accession having been deposited"
            f"{deposited}, the Convention will enter into force on "
            f"{long_date(status.entry_into_force)}, in accordance with paragraph 1 of its "
            "article 87."
        )
    return (
        f"The Convention entered into force on {long_date(status.entry_into_force)}, "
        "in accordance with paragraph 1 of its article 87."
    )
