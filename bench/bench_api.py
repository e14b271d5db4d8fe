"""Throughput of the public JSON routes and pages against the trivial route, on a real server.

For each database (a SQLite file, and PostgreSQL in a schema of its own when one answers at
BENCH_POSTGRES_URL), starts `obligations serve` (one process, the notifier off) over the
bundled record loaded by `obligations init`, and drives it with `wrk` (C, its own process,
raw keep-alive HTTP/1.1 connections), so the load generator does not share the server's
interpreter or event loop. Routes are interleaved: each round loads every (route, case) in
turn for BENCH_SECONDS; the figures are medians over BENCH_ROUNDS rounds, and each ratio is
taken against `/api/v1/ping` measured in the same round.

Cases:
- hit: as at today, the answer the cache holds after the first request;
- miss: `as_of` a different date on every request, drawn with a seeded RNG from every day
  between 1991-01-01 and today (today included), each route walking its own permutation, so a
  date repeats only after the whole range has been asked. The facts recorded for a State
  (`/api/v1/states/MEX/reports`) take no date: there the new query makes a request the
  response cache has not kept, answered from what the server keeps for the revision.

Also per (route, case): the server's CPU time per request (its /proc/PID/stat before and
after the batch) and wrk's own CPU per request (rusage of the child), to show the generator
is not the bottleneck. Prints JSON with the machine, its load, the targets and pass/fail.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from machine import machine
from pg_schema import drop_schema, postgres_schema

SECONDS = int(os.environ.get("BENCH_SECONDS", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
SEED = 20261125
# Another build's command (e.g. a checkout of main in its own venv) to measure it the same way.
OBLIGATIONS = os.environ.get(
    "BENCH_OBLIGATIONS", str(Path(sys.executable).with_name("obligations"))
)
FIRST_DAY = dt.date(1991, 1, 1)
TICKS = os.sysconf("SC_CLK_TCK")

TRIVIAL = "/api/v1/ping"
JSON_ROUTES = [
    "/api/v1/status",
    "/api/v1/overdue",
    "/api/v1/overdue?by=state",
    "/api/v1/states/MEX",
    "/api/v1/upcoming",
    "/api/v1/states",
    "/api/v1/declarations",
    # The facts recorded for a State: no as-at date (the query only makes it a new request).
    "/api/v1/states/MEX/reports",
]
PAGES = ["/", "/overdue", "/status", "/states", "/states/MEX"]
TARGETS = {
    "json_ratio_hit_and_miss": 0.5,
    "page_ratio_hit": 0.25,
    "dashboard_miss_server_cpu_ms": 5.0,
}


@dataclass
class Slot:
    """One route in one case, measured once a round."""

    route: str
    case: str  # "trivial", "hit" or "miss"
    paths: list[str]
    sent: int = 0  # requests made so far: the next round starts after them in `paths`
    rps: list[float] = field(default_factory=list)
    ratio: list[float] = field(default_factory=list)
    server_cpu_ms: list[float] = field(default_factory=list)
    wrk_cpu_ms: list[float] = field(default_factory=list)
    errors: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_of_paths(route: str, rng: random.Random) -> list[str]:
    today = dt.datetime.now(dt.UTC).date()
    days = [FIRST_DAY + dt.timedelta(days=n) for n in range((today - FIRST_DAY).days + 1)]
    rng.shuffle(days)
    joiner = "&" if "?" in route else "?"
    return [f"{route}{joiner}as_of={d.isoformat()}" for d in days]


def slots() -> list[Slot]:
    rng = random.Random(SEED)
    found = [Slot(TRIVIAL, "trivial", [TRIVIAL])]
    for route in [*JSON_ROUTES, *PAGES]:
        found.append(Slot(route, "hit", [route]))
        found.append(Slot(route, "miss", as_of_paths(route, rng)))
    return found


def wrk_script(folder: Path, slot: Slot) -> Path:
    """A Lua script: thread k of T asks paths[offset + k], [offset + k + T], … in turn."""
    script = folder / f"paths-{abs(hash((slot.route, slot.case)))}.lua"
    if not script.exists():
        quoted = ",\n".join(json.dumps(p) for p in slot.paths)
        script.write_text(
            "local paths = {\n" + quoted + "\n}\n"
            "local made = 0\n"
            "function setup(thread) thread:set('id', made); made = made + 1 end\n"
            "function init(args) offset = tonumber(args[1]) or 0; n = 0 end\n"
            "function request()\n"
            f"  local i = (offset + id + n * {THREADS}) % #paths + 1\n"
            "  n = n + 1\n"
            "  return wrk.format('GET', paths[i])\n"
            "end\n"
        )
    return script


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def run_wrk(base: str, script: Path, offset: int) -> tuple[int, int, float, float]:
    """(requests, non-2xx or socket errors, seconds, wrk's CPU seconds)."""
    command = [
        "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s",
        "-s", str(script), base, "--", str(offset),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"wrk failed: {output}")
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    if done is None:
        raise SystemExit(f"cannot read wrk's output: {output}")
    requests = int(done.group(1))
    elapsed = float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return requests, errors, elapsed, usage.ru_utime + usage.ru_stime


def measure(base: str, pid: int, folder: Path, slot: Slot) -> float:
    script = wrk_script(folder, slot)
    before = cpu_seconds(pid)
    requests, errors, elapsed, wrk_cpu = run_wrk(base, script, slot.sent)
    server_cpu = cpu_seconds(pid) - before
    slot.sent += requests
    slot.errors += errors
    rps = requests / elapsed
    slot.rps.append(rps)
    slot.server_cpu_ms.append(server_cpu * 1000 / max(requests, 1))
    slot.wrk_cpu_ms.append(wrk_cpu * 1000 / max(requests, 1))
    return rps


def wait_until_up(base: str, server: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            with urllib.request.urlopen(base + TRIVIAL, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer within the time allowed")


def bench_database(url: str, env: dict[str, str], folder: Path) -> dict[str, object]:
    subprocess.run(
        [OBLIGATIONS, "--database-url", url, "init"], check=True, capture_output=True, env=env
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [OBLIGATIONS, "--database-url", url, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    measured = slots()
    load_before = os.getloadavg()
    try:
        wait_until_up(base, server, time.monotonic() + 60)
        for slot in measured:  # warm-up: templates compiled, today's answers cached
            with urllib.request.urlopen(base + slot.paths[0], timeout=30) as response:
                response.read()
        for _ in range(ROUNDS):
            trivial = measure(base, server.pid, folder, measured[0])
            for slot in measured[1:]:
                slot.ratio.append(measure(base, server.pid, folder, slot) / trivial)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
    rows = [row(slot) for slot in measured]
    judged = [r for r in rows if "passed" in r]
    ping = measured[0]
    return {
        "load_average_before": load_before,
        "passed": f"{sum(1 for r in judged if r['passed'])} of {len(judged)}",
        # The generator is not the bottleneck when it spends far less CPU per request.
        "ping_cpu_ms_per_request": {
            "server": median(ping.server_cpu_ms),
            "wrk": median(ping.wrk_cpu_ms, 4),
        },
        "rows": rows,
    }


def median(values: list[float], digits: int = 3) -> float | None:
    return round(statistics.median(values), digits) if values else None


def row(slot: Slot) -> dict[str, object]:
    page = not slot.route.startswith("/api/")
    found: dict[str, object] = {
        "route": slot.route,
        "case": slot.case,
        "rps_median": median(slot.rps, 1),
        "ratio_to_ping_median": median(slot.ratio),
        "server_cpu_ms_per_request_median": median(slot.server_cpu_ms),
        "wrk_cpu_ms_per_request_median": median(slot.wrk_cpu_ms, 4),
        "errors": slot.errors,
    }
    ratio = median(slot.ratio)
    if slot.case != "trivial" and ratio is not None:
        if not page:
            found["target"] = f"ratio >= {TARGETS['json_ratio_hit_and_miss']}"
            found["passed"] = ratio >= TARGETS["json_ratio_hit_and_miss"]
        elif slot.case == "hit":
            found["target"] = f"ratio >= {TARGETS['page_ratio_hit']}"
            found["passed"] = ratio >= TARGETS["page_ratio_hit"]
        elif slot.route == "/":
            cpu = median(slot.server_cpu_ms) or 0.0
            found["target"] = f"server CPU < {TARGETS['dashboard_miss_server_cpu_ms']} ms"
            found["passed"] = cpu < TARGETS["dashboard_miss_server_cpu_ms"]
    if slot.errors:
        found["passed"] = False
    return found


def main() -> None:
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        raise SystemExit("bench_api needs wrk (Debian: apt-get install wrk)")
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "XDG_DATA_HOME": tmp,
            "OBLIGATIONS_SCHEDULER": "off",
            "OBLIGATIONS_SESSION_SECRET": uuid.uuid4().hex * 2,
        }
        if "sqlite" in DATABASES:
            url = f"sqlite:///{folder / 'bench.sqlite3'}"
            results["sqlite"] = bench_database(url, env, folder)
        if "postgresql" in DATABASES:
            made = postgres_schema(POSTGRES, "bench_api")
            if made is None:
                results["postgresql"] = f"skipped: no PostgreSQL answers at {POSTGRES}"
            else:
                url, schema = made
                try:
                    results["postgresql"] = bench_database(url, env, folder)
                finally:
                    drop_schema(POSTGRES, schema)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "benchmark": "api_throughput",
                "machine": machine(),
                "load_average_after": os.getloadavg(),
                "server": OBLIGATIONS,
                "generator": f"wrk, {THREADS} threads, {CONNECTIONS} keep-alive connections",
                "seconds_per_slot": SECONDS,
                "rounds": ROUNDS,
                "seed": SEED,
                "targets": TARGETS,
                "all_children_cpu_seconds": round(children.ru_utime + children.ru_stime, 1),
                **results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
