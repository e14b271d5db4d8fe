"""A notifier sweep's planning on the bundled record and on a generated record. Prints JSON.

Planning is what the daily sweep does before any mail leaves: load the record, the contacts and
the outbox keys, find each report's latest stage, render every message (text and HTML), and
write messages and natural keys in one transaction. The generated record has 10,000 States
bound since 2004-2007 (about twenty years of history each: reports received, some combined or
under the simplified procedure, Committee decisions), with a primary and a copy contact each,
in the three languages. Target: the large sweep plans in under 5 s. Delivery is not timed.
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import string
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from notifier.config import NotifierConfig
from notifier.models import OutboxRecipient
from notifier.planning import plan_sweep
from notifier.service import plan_and_write
from obligations import models
from obligations.db import make_engine, session_factory, transaction, upgrade_schema
from obligations.importing import load_bundled_record

AS_OF = date(2026, 11, 25)
STATES = int(os.environ.get("BENCH_STATES", "10000"))
TARGET_SECONDS = 5.0
LANGUAGES = ("en", "fr", "es")
CONFIG = NotifierConfig(secretariat=("cmw@ohchr.example.org",))


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def contacts_for(codes: list[str]) -> list[dict[str, Any]]:
    rows = []
    for i, code in enumerate(codes):
        language = LANGUAGES[i % 3]
        rows.append(
            {
                "state_code": code,
                "name": f"Focal point {code}",
                "email": f"fp@{code.lower()}.example.org",
                "language": language,
                "role": "primary",
                "active": True,
            }
        )
        rows.append(
            {
                "state_code": code,
                "name": f"Mission {code}",
                "email": f"mission@{code.lower()}.example.org",
                "language": language,
                "role": "copy",
                "active": True,
            }
        )
    return rows


def generated_record(factory: sessionmaker[Session], count: int) -> None:
    """`count` States acceding between 2003 and 2006, with two decades of reporting history."""
    codes = ["".join(c) for c in itertools.product(string.ascii_uppercase, repeat=3)][:count]
    states, actions, reports, decisions = [], [], [], []
    for i, code in enumerate(codes):
        states.append(
            {"code": code, "name": f"State {code}", "regional_group": "GEN", "membership": "member"}
        )
        deposited = date(2003 + i % 4, 1 + i % 12, 1 + i % 28)
        actions.append(
            {
                "state_code": code,
                "action": "accession",
                "date": deposited,
                "articles": "",
                "source": "generated",
            }
        )
        profile = i % 5
        if profile >= 1:  # initial report, late
            reports.append(_report(code, 1, 1, date(2008 + i % 3, 3, 1)))
        if profile >= 2:  # reports 2-3 combined
            reports.append(_report(code, 2, 3, date(2016, 5, 1 + i % 28)))
        if profile >= 3:  # report 4 under the simplified procedure, then a date fixed for 5
            reports.append(_report(code, 4, 4, date(2021, 6, 1), "simplified"))
            decisions.append(
                {
                    "state_code": code,
                    "kind": "fix_due_date",
                    "report_number": 5,
                    "due": date(2027, 1 + i % 12, 1),
                    "decided": date(2022, 4, 1),
                }
            )
        if profile == 4:
            reports.append(_report(code, 5, 5, date(2026, 2, 1)))
    with transaction(factory) as session:
        for table, rows in (
            (models.State, states),
            (models.DepositaryAction, actions),
            (models.ReportReceived, reports),
            (models.CommitteeDecision, decisions),
            (models.Contact, contacts_for(codes)),
        ):
            session.execute(insert(table), rows)


def _report(
    code: str, first: int, last: int, received: date, procedure: str = "standard"
) -> dict[str, Any]:
    return {
        "state_code": code,
        "first_number": first,
        "last_number": last,
        "received": received,
        "procedure": procedure,
    }


def bundled_record(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        load_bundled_record(session)
        parties = sorted({a.state_code for a in session.query(models.DepositaryAction)})
        session.execute(insert(models.Contact), contacts_for(parties))


def sweep(factory: sessionmaker[Session]) -> dict[str, Any]:
    start = time.perf_counter()
    planned = plan_and_write(factory, plan_sweep, AS_OF, CONFIG)
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = plan_and_write(factory, plan_sweep, AS_OF, CONFIG)
    second = time.perf_counter() - start
    with factory() as session:
        keys = session.query(OutboxRecipient).count()
    return {
        "planning_s": round(first, 3),
        "messages": len(planned),
        "by_kind": {k: sum(1 for p in planned if p.kind == k) for k in ("reminder", "overdue")},
        "natural_keys_written": keys,
        "repeat_sweep_planning_s": round(second, 3),
        "repeat_sweep_messages": len(again),
    }


def run(label: str, fill: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade_schema(engine)
        factory = session_factory(engine)
        start = time.perf_counter()
        fill(factory)
        filled = time.perf_counter() - start
        result = {"record": label, "setup_s": round(filled, 2), **sweep(factory)}
        engine.dispose()
        result["peak_rss_mb"] = peak_rss_mb()
        return result


def main() -> None:
    bundled = run(
        "bundled ICRMW (a primary and a copy contact for every State with an action)",
        bundled_record,
    )
    large = run(
        f"generated: {STATES} States, ~20 years of history, 2 contacts each",
        lambda f: generated_record(f, STATES),
    )
    print(
        json.dumps(
            {
                "benchmark": "notifier sweep planning",
                "as_of": AS_OF.isoformat(),
                "database": "SQLite file",
                "runs": [bundled, large],
                "target_s": TARGET_SECONDS,
                "within_target": large["planning_s"] < TARGET_SECONDS,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
