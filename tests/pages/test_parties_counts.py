"""The dashboard's chart counts States parties in one pass: the same counts as the status."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import Engine

from api.pages.dashboard import parties_counts, year_ends
from obligations import queries
from obligations.db import session_factory
from obligations.record import load_record
from obligations.rules.facts import Action, ActionKind
from obligations.rules.precision import Precision


def test_counts_match_the_status_of_the_convention_on_every_day_sampled(engine: Engine) -> None:
    with session_factory(engine)() as session:
        record = load_record(session)
    rng = random.Random(20261125)
    days = sorted(
        {date(1990, 12, 18) + timedelta(days=rng.randrange(13_500)) for _ in range(150)}
        | set(year_ends(date(2026, 11, 25)))
    )
    assert parties_counts(record, days) == [
        (day, len(queries.convention_status(record, day).parties)) for day in days
    ]


def test_a_denunciation_counts_until_it_takes_effect(engine: Engine) -> None:
    with session_factory(engine)() as session:
        record = load_record(session)
    party = next(
        code
        for code, actions in record.actions.items()
        if [a.action for a in actions] == [ActionKind.ACCESSION] and actions[0].date.year < 2019
    )
    record.actions[party].append(
        Action(party, ActionKind.DENUNCIATION, date(2020, 3, 10), date_precision=Precision.DAY)
    )
    # Art. 89(2): in effect on the first of the month after twelve months, 2021-04-01.
    days = [date(2020, 3, 9), date(2021, 3, 31), date(2021, 4, 1), date(2026, 1, 1)]
    counts = parties_counts(record, days)
    assert counts == [(d, len(queries.convention_status(record, d).parties)) for d in days]
    assert counts[1][1] - counts[2][1] == 1
