"""A notifier sweep's planning on a generated record of many States, on SQLite and on
PostgreSQL. Prints JSON.

Planning is what the daily sweep does before any mail leaves: load the record, the contacts and
the outbox keys, find each report's latest stage, render every message (text and HTML), and
write messages and natural keys in one transaction. The record (bench/generated_record.py,
seeded) has BENCH_STATES States (default 10,000). Each sample empties the outbox, then times a
first sweep and a repeat sweep in the same process (the repeat plans nothing: every key is
written; on PostgreSQL this is where a generic plan made while the outbox was empty used to
make key lookups crawl). Medians over BENCH_SAMPLES samples (default 3), wall and CPU seconds
(the CPU figure is less disturbed by other work on a loaded machine). Memory: the peak of
Python allocations during one more first sweep (tracemalloc, untimed), and the process's
peak RSS. Delivery is not timed. Targets: first sweep under 2 s, repeat under 1 s, on both.

PostgreSQL: OBLIGATIONS_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/
test), in a schema of the run's own, dropped afterwards; skipped, and said so, if unreachable.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from generated_record import load_generated_record
from machine import machine
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from notifier.config import NotifierConfig
from notifier.models import OutboxMessage, OutboxRecipient
from notifier.planning import plan_sweep
from notifier.service import plan_and_write
from obligations.db import make_engine, session_factory, transaction, upgrade_schema

AS_OF = date(2026, 11, 25)
STATES = int(os.environ.get("BENCH_STATES", "10000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "3"))
TARGET_FIRST_S = 2.0
TARGET_REPEAT_S = 1.0
CONFIG = NotifierConfig(secretariat=("cmw@ohchr.example.org",))
POSTGRES_URL = os.environ.get(
    "OBLIGATIONS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def empty_outbox(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        session.execute(delete(OutboxRecipient))
        session.execute(delete(OutboxMessage))


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def cpu_timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds (this process's: PostgreSQL's server work is in the wall time)."""
    cpu = time.process_time()
    wall, result = timed(work)
    return wall, time.process_time() - cpu, result


def figures(seconds: list[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(seconds), 3),
        "samples": [round(s, 3) for s in seconds],
    }


def sweep() -> Callable[[sessionmaker[Session]], Any]:
    return lambda factory: plan_and_write(factory, plan_sweep, AS_OF, CONFIG)


def measure(factory: sessionmaker[Session]) -> dict[str, Any]:
    first, repeat, first_cpu, repeat_cpu, messages = [], [], [], [], set()
    for _ in range(SAMPLES):
        empty_outbox(factory)
        gc.collect()
        wall, cpu, planned = cpu_timed(lambda: sweep()(factory))
        first.append(wall)
        first_cpu.append(cpu)
        messages.add(len(planned))
        wall, cpu, again = cpu_timed(lambda: sweep()(factory))
        repeat.append(wall)
        repeat_cpu.append(cpu)
        if again:
            raise SystemExit(f"the repeat sweep planned {len(again)} messages; it must plan none")
    with factory() as session:
        keys = session.scalar(select(func.count()).select_from(OutboxRecipient))
        kinds = select(OutboxMessage.kind, func.count()).group_by(OutboxMessage.kind)
        by_kind = {kind: count for kind, count in session.execute(kinds)}
    empty_outbox(factory)
    tracemalloc.start()
    sweep()(factory)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "messages": sorted(messages),
        "by_kind": by_kind,
        "natural_keys_written": keys,
        "first_sweep_s": figures(first),
        "first_sweep_cpu_s": figures(first_cpu),
        "repeat_sweep_s": figures(repeat),
        "repeat_sweep_cpu_s": figures(repeat_cpu),
        "sweep_peak_traced_mb": round(peak / 2**20, 1),
        "within_target": statistics.median(first) < TARGET_FIRST_S
        and statistics.median(repeat) < TARGET_REPEAT_S,
    }


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


@contextmanager
def postgres_database() -> Iterator[str]:
    schema = f"obligations_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(label: str, database: Callable[[], Any]) -> dict[str, Any]:
    with database() as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        factory = session_factory(engine)
        setup_s, rows = timed(lambda: load_generated_record(factory, STATES, AS_OF))
        result = {"database": label, "rows": rows, "setup_s": round(setup_s, 1), **measure(factory)}
        engine.dispose()
        return result


def postgres_unreachable() -> str | None:
    try:
        engine = make_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # any failure to connect: the PostgreSQL half is skipped
        return str(error).splitlines()[0]
    return None


def main() -> None:
    runs = [run("SQLite file", sqlite_database)]
    why_not = postgres_unreachable()
    if why_not is None:
        runs.append(run("PostgreSQL", postgres_database))
    else:
        runs.append({"database": "PostgreSQL", "skipped": f"unreachable: {why_not}"})
    print(
        json.dumps(
            {
                "benchmark": "notifier sweep planning",
                "states": STATES,
                "as_of": AS_OF.isoformat(),
                "samples": SAMPLES,
                "machine": machine(),
                "runs": runs,
                "peak_rss_mb": peak_rss_mb(),
                "target_s": {"first_sweep": TARGET_FIRST_S, "repeat_sweep": TARGET_REPEAT_S},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
