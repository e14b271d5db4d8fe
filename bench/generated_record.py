"""A large made-up record for benchmarks: many States with twenty-odd years of history.

Seeded, so every run builds the same record. Parties (by ratification after signature, or by
accession) and non-parties (signatories, and States that did nothing), in the five UN
regional groups; declarations under articles 76 and 77; reports received (some combined, some
under the simplified procedure), reviews of them, Committee decisions fixing the next due
date; most histories kept current, some researched up to a date, some not researched; two
focal points per party (a primary and a copy) in English, French or Spanish.

Codes: the three-letter codes AAA-ZZZ first (17,576 of them), then synthetic codes with a
digit (A0A, A0B, ...). The schema holds any three characters; the CLI and the API accept only
ISO 3166-1 alpha-3 (three letters), so the synthetic codes can never be typed in as a real
State's, and no real code is weakened to make room for them. Names are "State <code>".
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from obligations import models
from obligations.db import transaction
from obligations.record import KEPT_CURRENT

REGIONS = ("AFR", "APG", "EEG", "GRULAC", "WEOG")
LANGUAGES = ("en", "fr", "es")
SOURCE = "generated for a benchmark"
SEED = 2026


def state_codes(count: int) -> list[str]:
    letters = string.ascii_uppercase
    alphanumeric = letters + string.digits
    alpha3 = ("".join(c) for c in itertools.product(letters, repeat=3))
    # Three characters with at least one digit: the column's width, never an ISO code.
    synthetic = (
        "".join(c)
        for c in itertools.product(letters, alphanumeric, alphanumeric)
        if not (c[1].isalpha() and c[2].isalpha())
    )
    codes = list(itertools.islice(itertools.chain(alpha3, synthetic), count))
    if len(codes) < count:
        raise SystemExit(f"at most {len(set(codes))} generated States")
    return codes


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def years_after(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


class Rows:
    def __init__(self) -> None:
        self.tables: dict[type[models.Base], list[dict[str, Any]]] = {
            models.State: [],
            models.DepositaryAction: [],
            models.ReportReceived: [],
            models.Review: [],
            models.CommitteeDecision: [],
            models.Contact: [],
        }

    def add(self, table: type[models.Base], **row: Any) -> None:
        self.tables[table].append(row)


def party_history(rows: Rows, rng: random.Random, code: str, bound: date, until: date) -> None:
    """Reports received and reviewed, and decisions, from entry into force up to `until`."""
    due = years_after(bound, 1)  # the initial report (art. 73(1)(a))
    number = 1
    session = 10
    while due < until:
        received = day_between(rng, due - timedelta(days=60), due + timedelta(days=3 * 365))
        if received > until or rng.random() < 0.25:  # not received (yet): overdue or upcoming
            break
        last = number + (1 if number > 1 and rng.random() < 0.2 else 0)  # some combined
        procedure = "simplified" if number > 1 and rng.random() < 0.3 else "standard"
        rows.add(
            models.ReportReceived,
            state_code=code, first_number=number, last_number=last, received=received,
            symbol=f"CMW/C/{code}/{last}", procedure=procedure, source=SOURCE,
        )  # fmt: skip
        reviewed = received + timedelta(days=rng.randrange(300, 900))
        if reviewed <= until and rng.random() < 0.8:
            session += 1
            rows.add(
                models.Review,
                state_code=code, first_number=number, last_number=last, session=session,
                date=reviewed, end_date=reviewed + timedelta(days=1),
                symbol=f"CMW/C/{code}/CO/{last}", without_report=False, source=SOURCE,
            )  # fmt: skip
        number = last + 1
        due = years_after(due, 5)  # periodic (art. 73(1)(b))
        if reviewed <= until and rng.random() < 0.3:  # the Committee fixes the next date
            due = years_after(reviewed, rng.choice((3, 4, 5)))
            rows.add(
                models.CommitteeDecision,
                state_code=code, kind="fix_due_date", report_number=number, due=due,
                decided=reviewed, symbol=f"CMW/C/{code}/CO/{last}", source=SOURCE,
            )  # fmt: skip


def generated_rows(count: int, as_of: date) -> Rows:
    rng = random.Random(SEED)
    rows = Rows()
    for code in state_codes(count):
        history = rng.random()
        researched = (
            KEPT_CURRENT
            if history < 0.7
            else day_between(rng, date(2020, 1, 1), as_of)
            if history < 0.9
            else None
        )
        rows.add(
            models.State,
            code=code, name=f"State {code}", regional_group=rng.choice(REGIONS),
            membership="member", history_researched_until=researched,
        )  # fmt: skip
        standing = rng.random()
        if standing >= 0.9:
            continue  # no action at all: not a party, not a signatory
        signed = day_between(rng, date(1991, 1, 1), date(2020, 12, 31))
        if standing >= 0.8:  # signatory only
            rows.add(
                models.DepositaryAction,
                state_code=code, action="signature", date=signed, articles="", source=SOURCE,
            )  # fmt: skip
            continue
        deposited = day_between(rng, max(signed, date(2003, 1, 1)), date(2024, 12, 31))
        if rng.random() < 0.5:
            rows.add(
                models.DepositaryAction,
                state_code=code, action="signature", date=signed, articles="", source=SOURCE,
            )  # fmt: skip
            action = "ratification"
        else:
            action = "accession"
        rows.add(
            models.DepositaryAction,
            state_code=code, action=action, date=deposited, articles="", source=SOURCE,
        )  # fmt: skip
        if rng.random() < 0.1:
            rows.add(
                models.DepositaryAction,
                state_code=code, action="declaration",
                date=deposited + timedelta(days=rng.randrange(1, 2000)),
                articles=rng.choice(("76", "77", "76;77")), source=SOURCE,
            )  # fmt: skip
        # Bound from the first day of the month after three months (art. 87(2)).
        month = deposited.month + 3
        bound = date(deposited.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        party_history(rows, rng, code, bound, as_of)
        language = rng.choice(LANGUAGES)
        for role, who in (("primary", "fp"), ("copy", "mission")):
            rows.add(
                models.Contact,
                state_code=code, name=f"{who} {code}", email=f"{who}@{code.lower()}.example.org",
                language=language, role=role, active=True,
            )  # fmt: skip
    return rows


def chunks(rows: list[dict[str, Any]], size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def load_generated_record(factory: sessionmaker[Session], count: int, as_of: date) -> int:
    """Write the generated record; the number of rows written."""
    rows = generated_rows(count, as_of)
    with transaction(factory) as session:
        for table, values in rows.tables.items():
            for part in chunks(values):
                session.execute(insert(table), part)
    return sum(len(v) for v in rows.tables.values())
