"""Throughput of GET /api/v1/overdue against a trivial route of the same app, same uvicorn.

Starts `obligations serve` on a free port over a fresh SQLite file holding the bundled record,
loads each route in turn with keep-alive clients for a fixed time, and prints JSON:
requests per second of each route and the ratio overdue / trivial (target: at least 0.5).
The overdue route is measured as a client asks it (as at today), and again as at a different
date on every request, where the answer cache holds the record but no ready-made answer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
OBLIGATIONS = str(Path(sys.executable).with_name("obligations"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/ping", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer within the time allowed")


async def load(base: str, paths: list[str]) -> dict[str, float]:
    done = 0
    errors = 0
    stop = time.monotonic() + SECONDS

    async def worker(offset: int) -> None:
        nonlocal done, errors
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            n = offset
            while time.monotonic() < stop:
                response = await client.get(paths[n % len(paths)])
                n += CONCURRENCY
                if response.status_code == 200:
                    done += 1
                else:
                    errors += 1

    started = time.monotonic()
    await asyncio.gather(*(worker(i) for i in range(CONCURRENCY)))
    elapsed = time.monotonic() - started
    return {"requests": done, "errors": errors, "rps": round(done / elapsed, 1)}


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="obligations-bench-"))
    url = f"sqlite:///{folder / 'obligations.sqlite3'}"
    subprocess.run([OBLIGATIONS, "--database-url", url, "init"], check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [OBLIGATIONS, "--database-url", url, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "OBLIGATIONS_SCHEDULER": "off"},
    )
    try:
        wait_until_up(base, time.monotonic() + 30)
        first = dt.date(2003, 7, 1)
        days = [first + dt.timedelta(days=n) for n in range(0, 7000, 7)]
        overdue_paths = [f"/api/v1/overdue?as_of={d.isoformat()}" for d in days]
        asyncio.run(load(base, ["/api/v1/ping"]))  # warm-up
        trivial = asyncio.run(load(base, ["/api/v1/ping"]))
        overdue = asyncio.run(load(base, ["/api/v1/overdue"]))
        varying = asyncio.run(load(base, overdue_paths))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        json.dumps(
            {
                "benchmark": "api_throughput",
                "seconds_per_route": SECONDS,
                "concurrency": CONCURRENCY,
                "trivial_route": {"path": "/api/v1/ping", **trivial},
                "overdue_route": {"path": "/api/v1/overdue", **overdue},
                "ratio": round(overdue["rps"] / trivial["rps"], 3),
                # Worst case: a different as-at date on every request, each computed afresh.
                "overdue_varying_as_of": {"path": "/api/v1/overdue?as_of=<varying>", **varying},
                "ratio_varying_as_of": round(varying["rps"] / trivial["rps"], 3),
                "target_ratio": 0.5,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
