"""Writes under contention: twenty clients posting to a running `obligations serve`.

Two scenarios, each run for several rounds on a fresh database:
- one State: every client posts the same report (one may land; the rest must be 409);
- many States: each client posts a different State's report (every one should land).
The load generator runs in its own process (this one) with plain keep-alive http.client
connections, one thread per client, apart from the server's process. Prints JSON: writes per
second (median of the rounds) and the count of each answer. Database: a SQLite file, or
PostgreSQL with BENCH_POSTGRES_URL (a schema of its own, dropped afterwards).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pg_schema import drop_schema, postgres_schema

CLIENTS = 20
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
OBLIGATIONS = str(Path(sys.executable).with_name("obligations"))
# States bound well before 2025 whose report 3 (or later) is not on record.
MANY = ["ALB", "ARG", "AZE", "BFA", "BIH", "BOL", "CHL", "COL", "DZA", "ECU",
        "EGY", "SEN", "HND", "LKA", "MAR", "MEX", "MLI", "PER", "PHL", "SLV"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(port: int, token: str, path: str, body: dict[str, object]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    payload = json.dumps(body)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection.request("POST", path, payload, headers)
    status = connection.getresponse().status
    connection.close()
    return status


def scenario(port: int, token: str, codes: list[str]) -> tuple[float, Counter[int]]:
    body = {"numbers": [9, 9], "received": "2025-01-02"}
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        start = time.perf_counter()
        statuses = list(
            pool.map(lambda c: post(port, token, f"/api/v1/states/{c}/reports", body), codes)
        )
        elapsed = time.perf_counter() - start
    return len(codes) / elapsed, Counter(statuses)


def one_round(url: str, env: dict[str, str]) -> dict[str, tuple[float, Counter[int]]]:
    run_env = {**env, "OBLIGATIONS_DATABASE_URL": url}
    subprocess.run([OBLIGATIONS, "init"], env=run_env, check=True, capture_output=True)
    created = subprocess.run(
        [OBLIGATIONS, "token", "create", "--role", "secretariat", "--name", "bench"],
        env=run_env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    token = created.stdout.splitlines()[1].strip()
    port = free_port()
    server = subprocess.Popen(
        [OBLIGATIONS, "serve", "--port", str(port)],
        env={**run_env, "OBLIGATIONS_SCHEDULER": "off"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/api/v1/ping")
                connection.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        return {
            "one_state": scenario(port, token, ["GTM"] * CLIENTS),
            "many_states": scenario(port, token, MANY),
        }
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)


def main() -> None:
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    results: dict[str, list[tuple[float, Counter[int]]]] = {"one_state": [], "many_states": []}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_DATA_HOME": tmp}
        for n in range(ROUNDS):
            if postgres:
                made = postgres_schema(postgres)
                if made is None:
                    raise SystemExit(f"bench_writes: PostgreSQL does not answer at {postgres}")
                url, schema = made
            else:
                url, schema = f"sqlite:///{tmp}/bench-{n}.sqlite3", None
            try:
                for name, outcome in one_round(url, env).items():
                    results[name].append(outcome)
            finally:
                if schema:
                    drop_schema(postgres or "", schema)
    print(
        json.dumps(
            {
                "database": "postgresql" if postgres else "sqlite",
                "clients": CLIENTS,
                "rounds": ROUNDS,
                **{
                    name: {
                        "writes_per_second_median": round(
                            statistics.median(rate for rate, _ in runs), 1
                        ),
                        "answers": dict(sum((c for _, c in runs), Counter())),
                    }
                    for name, runs in results.items()
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
