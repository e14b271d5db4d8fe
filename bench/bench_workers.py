"""`obligations serve --workers N`: what several workers cost and give.

Two measures, each over several samples (medians), printed as JSON:
- the cost of summing /metrics over workers: RequestMetrics.observe with a shared folder
  (every request also updates this process's memory-mapped values file) against without,
  in process;
- requests per second of GET /api/v1/status (a cached answer) from `serve --workers 1` and
  `serve --workers 2` on one fresh SQLite file holding the bundled record, loaded by
  BENCH_CLIENTS threads on keep-alive connections for BENCH_SECONDS per sample, the two
  servers measured in turn in each round; the ratio two / one.
On a machine with few cores shared with other work, the ratio says more about the machine
than about the server.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from api.health import RequestMetrics

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
OBSERVATIONS = 20_000
OBLIGATIONS = str(Path(sys.executable).with_name("obligations"))
PATH = "/api/v1/status?as_of=2020-01-01"


def observe_seconds(shared: Path | None) -> float:
    """Seconds per observe(), over OBSERVATIONS calls on a handful of routes."""
    metrics = RequestMetrics(shared)
    routes = [f"/api/v1/route{n}" for n in range(20)]
    started = time.perf_counter()
    for n in range(OBSERVATIONS):
        metrics.observe("GET", routes[n % len(routes)], 200, 0.003)
    return (time.perf_counter() - started) / OBSERVATIONS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(env: dict[str, str], workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [OBLIGATIONS, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=out,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", PATH)
            if connection.getresponse().status == 200:
                connection.close()
                return process, port
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit(f"serve did not answer: {log.read_text()}")
        time.sleep(0.2)


def load(port: int) -> float:
    """Requests per second answered 200 by CLIENTS keep-alive clients for SECONDS."""
    stop = time.monotonic() + SECONDS

    def client(_: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = 0
        while time.monotonic() < stop:
            connection.request("GET", PATH)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"answer {response.status}")
            done += 1
        connection.close()
        return done

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        total = sum(pool.map(client, range(CLIENTS)))
    return total / (time.monotonic() - started)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        observe: dict[str, list[float]] = {"alone": [], "shared": []}
        (folder / "metrics").mkdir()
        for _ in range(ROUNDS):
            observe["alone"].append(observe_seconds(None))
            observe["shared"].append(observe_seconds(folder / "metrics"))
        env = {
            **os.environ,
            "XDG_DATA_HOME": str(folder / "data"),
            "OBLIGATIONS_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "OBLIGATIONS_SCHEDULER": "off",
        }
        subprocess.run([OBLIGATIONS, "init"], env=env, check=True, capture_output=True)
        servers = {n: start(env, n, folder / f"serve-{n}.log") for n in (1, 2)}
        rates: dict[int, list[float]] = {1: [], 2: []}
        try:
            for _ in range(ROUNDS):
                for workers, (_process, port) in servers.items():
                    rates[workers].append(load(port))
        finally:
            for process, _port in servers.values():
                process.send_signal(signal.SIGTERM)
                process.wait(60)
    alone = statistics.median(observe["alone"])
    shared = statistics.median(observe["shared"])
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(
        json.dumps(
            {
                "cpus": os.cpu_count(),
                "rounds": ROUNDS,
                "observe_microseconds": {
                    "alone": round(alone * 1e6, 2),
                    "shared_folder": round(shared * 1e6, 2),
                    "added_per_request": round((shared - alone) * 1e6, 2),
                },
                "status_requests_per_second": {
                    "workers_1": round(one, 1),
                    "workers_2": round(two, 1),
                    "samples_1": [round(r, 1) for r in rates[1]],
                    "samples_2": [round(r, 1) for r in rates[2]],
                    "ratio_2_over_1": round(two / one, 2),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
