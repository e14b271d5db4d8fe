"""Start-up of the `obligations` command, whole processes, against `python -c pass`. Prints JSON.

Three commands, timed in interleaved rounds so that load on the machine falls on each alike:
`python -c pass` (the interpreter alone), `obligations --help` (typer and the command tree),
and `obligations overdue --json` on a SQLite file holding the bundled record (a real answer:
SQLAlchemy, the record, the rules). Medians over the rounds, and each as a multiple of the
interpreter's (and CPU seconds, user + system, which load on the machine disturbs less).
Targets: overdue --json under 0.2 s, --help under 0.15 s. With BENCH_POSTGRES_URL, also
`overdue --json` on PostgreSQL (a schema of its own, dropped afterwards), without a target.

Bytecode is cached as an installation caches it (in a folder of the run's own, even where
PYTHONDONTWRITEBYTECODE is set): the first, untimed run of each command compiles it.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import machine
from pg_schema import drop_schema, postgres_schema

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "21"))
OBLIGATIONS = str(Path(sys.executable).with_name("obligations"))
TARGETS_S = {"obligations --help": 0.15, "obligations overdue --json": 0.2}


def once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    made = postgres_schema(postgres, "bench_cli") if postgres else None
    if postgres and made is None:
        raise SystemExit(f"bench_cli: PostgreSQL does not answer at {postgres}")
    try:
        run(made[0] if made else None)
    finally:
        if made:
            drop_schema(postgres or "", made[1])


def run(postgres_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        url = f"sqlite:///{Path(folder) / 'obligations.sqlite3'}"
        subprocess.run(
            [OBLIGATIONS, "--database-url", url, "init"], check=True, capture_output=True
        )
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "obligations --help": [OBLIGATIONS, "--help"],
            "obligations overdue --json": [OBLIGATIONS, "--database-url", url, "overdue", "--json"],
        }
        if postgres_url:
            subprocess.run(
                [OBLIGATIONS, "--database-url", postgres_url, "init"],
                check=True,
                capture_output=True,
            )
            commands["obligations overdue --json (PostgreSQL)"] = [
                OBLIGATIONS, "--database-url", postgres_url, "overdue", "--json",
            ]  # fmt: skip
        for command in commands.values():  # compile the bytecode, warm the file cache
            once(command, env)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(ROUNDS):
            for name, command in commands.items():
                samples[name].append(once(command, env))
    baseline = statistics.median(wall for wall, _ in samples["python -c pass"])
    results: dict[str, dict[str, object]] = {}
    for name, runs in samples.items():
        times = [wall for wall, _ in runs]
        median = statistics.median(times)
        results[name] = {
            "median_s": round(median, 4),
            "min_s": round(min(times), 4),
            "max_s": round(max(times), 4),
            "median_cpu_s": round(statistics.median(cpu for _, cpu in runs), 4),
            "times_python_pass": round(median / baseline, 1),
        }
        if name in TARGETS_S:
            results[name]["target_s"] = TARGETS_S[name]
            results[name]["within_target"] = median < TARGETS_S[name]
    print(
        json.dumps(
            {
                "benchmark": "CLI start-up, whole process",
                "rounds": ROUNDS,
                "machine": machine(),
                "commands": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
