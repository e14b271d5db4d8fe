"""Median times of the engine's as-at answers on the bundled record, in process. Prints JSON.

Each figure covers what a user's command does after start-up: load the record from the
database and compute the answer.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from obligations import queries
from obligations.db import make_engine, session_factory, transaction, upgrade_schema
from obligations.importing import load_bundled_record
from obligations.record import load_record

AS_OF = date(2026, 11, 24)
RUNS = 200
TARGET_MS = 20.0


def median_ms(work: Callable[[], Any], runs: int = RUNS) -> float:
    work()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 3)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade_schema(engine)
        factory = session_factory(engine)
        with transaction(factory) as session:
            load_bundled_record(session)

        def with_record(answer: Callable[[Any], Any]) -> Callable[[], Any]:
            def work() -> Any:
                with factory() as session:
                    return answer(load_record(session))

            return work

        results = {
            "status_ms": median_ms(with_record(lambda r: queries.convention_status(r, AS_OF))),
            "state_dossier_ms": median_ms(
                with_record(lambda r: queries.state_dossier(r, "GTM", AS_OF))
            ),
            "overdue_ms": median_ms(with_record(lambda r: queries.overdue_reports(r, AS_OF))),
            "load_record_only_ms": median_ms(with_record(lambda r: r)),
        }
        engine.dispose()
    print(
        json.dumps(
            {
                "benchmark": "engine",
                "record": "bundled ICRMW",
                "as_of": AS_OF.isoformat(),
                "runs": RUNS,
                "median": results,
                "target_ms": TARGET_MS,
                "within_target": all(v < TARGET_MS for v in results.values()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
