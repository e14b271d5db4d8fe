"""`obligations serve --workers N` as a user runs it: several processes behind one address,
alike after every write, with one scheduler among them and any `obligations worker`."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

OBLIGATIONS = str(Path(sys.executable).parent / "obligations")
# How long a process may take to start or to notice a change (a loaded machine is slow).
PATIENCE_SECONDS = 60
GTM_OVERDUE = "/api/v1/overdue?as_of=2010-06-30"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        # Standing by, a process tries the lock every half second (the default is 10 s).
        "OBLIGATIONS_SCHEDULER_STANDBY_SECONDS": "0.5",
    }


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text()

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + PATIENCE_SECONDS
        while text not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"never said {text!r}:\n{self.output()}")
            time.sleep(0.1)
        return self.output()

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=PATIENCE_SECONDS)


def _start(tmp_path: Path, database_url: str, name: str, *args: str) -> Running:
    log = tmp_path / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [OBLIGATIONS, "--database-url", database_url, *args],
            env=_env(tmp_path),
            stdout=out,
            stderr=out,
        )
    return Running(process, log)


@dataclass
class Serving(Running):
    base: str


@contextmanager
def serving(tmp_path: Path, database_url: str, workers: int = 2) -> Iterator[Serving]:
    port = _free_port()
    started = _start(
        tmp_path, database_url, f"serve-{port}", "serve", "--port", str(port),
        "--workers", str(workers),
    )  # fmt: skip
    server = Serving(started.process, started.log, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + PATIENCE_SECONDS
        while True:
            try:
                # /readyz, not /healthz: the test counts its own /healthz requests.
                httpx.get(f"{server.base}/readyz", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.process.poll() is not None:
                    pytest.fail(f"serve did not answer: {server.output()}")
                time.sleep(0.2)
        yield server
    finally:
        try:
            server.stop(signal.SIGTERM)
        except subprocess.TimeoutExpired:
            server.stop(signal.SIGKILL)


def _ask(base: str, path: str, cookies: httpx.Cookies | None = None) -> tuple[int, httpx.Response]:
    """On one fresh connection: which worker answers (its pid), then its answer to `path`."""
    one = httpx.Limits(max_connections=1)
    with httpx.Client(base_url=base, timeout=30, limits=one, cookies=cookies) as c:
        pid = int(c.get("/healthz").json()["pid"])
        return pid, c.get(path)


def _answers_by_worker(
    base: str, path: str, asks: int = 48, cookies: httpx.Cookies | None = None
) -> dict[int, list[httpx.Response]]:
    """Many fresh connections at once, so every worker gets some: the answers per pid."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        answered = list(pool.map(lambda _: _ask(base, path, cookies), range(asks)))
    by_worker: dict[int, list[httpx.Response]] = defaultdict(list)
    for pid, response in answered:
        by_worker[pid].append(response)
    return by_worker


def _gtm_overdue(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [i["number"] for i in response.json()["items"] if i["code"] == "GTM"]


def _every_worker_says(base: str, workers: int) -> list[int]:
    """GTM's overdue report numbers as at 2010-06-30, the same from every worker."""
    by_worker = _answers_by_worker(base, GTM_OVERDUE)
    assert len(by_worker) == workers, f"only {sorted(by_worker)} answered"
    seen = {tuple(_gtm_overdue(r)) for responses in by_worker.values() for r in responses}
    assert len(seen) == 1, f"workers disagree: {seen}"
    return list(seen.pop())


def _metric(exposition: str, series: str) -> int:
    found = re.search(rf"^{re.escape(series)} (\d+)$", exposition, re.MULTILINE)
    assert found, f"{series} not in /metrics:\n{exposition}"
    return int(found.group(1))


def _is_running(pid: int) -> bool:
    """A live (not zombie) process with that pid running the `obligations` command."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    return b"obligations" in command and "State:\tZ" not in status


def test_every_worker_answers_the_same_after_a_write_through_any_of_them(
    database_url: str, tmp_path: Path
) -> None:
    created = subprocess.run(
        [OBLIGATIONS, "--database-url", database_url, "token", "create",
         "--role", "secretariat", "--name", "workers test", "--json"],
        env=_env(tmp_path), check=True, capture_output=True, text=True,
    )  # fmt: skip
    token = created.stdout.strip().split('"token": "')[1].split('"')[0]
    with serving(tmp_path, database_url, workers=2) as server:
        output = server.output()
        assert f"notifier: the scheduler runs in this process (pid {server.process.pid}, " in output
        assert "obligations serve supervising 2 workers" in output
        assert "serving on http://127.0.0.1:" in output and "by 2 worker processes" in output

        assert _every_worker_says(server.base, 2) == [1, 2]

        # A write through whichever worker takes it; then every worker answers anew at once.
        with httpx.Client(base_url=server.base, timeout=30) as client:
            written = client.post(
                "/api/v1/states/GTM/reports",
                json={"numbers": [1, 1], "received": "2010-03-02", "symbol": "CMW/C/GTM/1"},
                headers={"Authorization": f"Bearer {token}"},
            )
        assert written.status_code == 201, written.text
        assert _every_worker_says(server.base, 2) == [2]

        # A write through the command line, beside the server: the same.
        subprocess.run(
            [OBLIGATIONS, "--database-url", database_url, "record", "report", "GTM",
             "--numbers", "2", "--received", "2010-06-01"],
            env=_env(tmp_path), check=True, capture_output=True,
        )  # fmt: skip
        by_worker = _answers_by_worker(server.base, GTM_OVERDUE)
        assert len(by_worker) == 2
        assert all(_gtm_overdue(r) == [] for rs in by_worker.values() for r in rs)
        workers = set(by_worker)
        assert server.process.pid not in workers

        # Signed in through one worker (its form, its cookie): signed in on every worker.
        with httpx.Client(base_url=server.base, timeout=30) as client:
            form = client.get("/signin")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert csrf, form.text
            signed = client.post(
                "/signin", data={"token": token, "csrf_token": csrf.group(1), "next": "/audit"}
            )
            assert signed.status_code == 303, signed.text
            cookies = client.cookies
        audit = _answers_by_worker(server.base, "/audit", cookies=cookies)
        assert set(audit) == workers
        for responses in audit.values():
            assert {r.status_code for r in responses} == {200}
            assert all("CMW/C/GTM/1" in r.text for r in responses)  # the write above, audited

        # /metrics sums every worker's requests, whichever worker is asked: each _ask made one
        # /healthz request, 48 per round, four rounds.
        totals = set()
        for _ in range(6):
            with httpx.Client(base_url=server.base, timeout=30) as client:
                exposition = client.get("/metrics").text
            healthz = 'obligations_requests_total{method="GET",route="/healthz",status="200"}'
            totals.add(
                (_metric(exposition, healthz), _metric(exposition, "obligations_metrics_processes"))
            )
        assert totals == {(4 * 48, 2)}

        # A worker killed outright is replaced by the supervisor; the sums keep its requests.
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        answered_since = 0
        deadline = time.monotonic() + PATIENCE_SECONDS
        while len(workers) < 3:
            assert time.monotonic() < deadline, f"no worker replaced {victim}: {workers}"
            try:
                pid, _answer = _ask(server.base, "/healthz")
            except httpx.TransportError:
                continue  # a connection the killed worker had taken
            answered_since += 2
            workers.add(pid)
        exposition = httpx.get(f"{server.base}/metrics", timeout=30).text
        assert _metric(exposition, "obligations_metrics_processes") == 3
        assert _metric(exposition, healthz) >= 4 * 48 + answered_since
        assert _gtm_overdue(httpx.get(f"{server.base}{GTM_OVERDUE}", timeout=30)) == []

        assert server.stop(signal.SIGTERM) == 0
    # SIGTERM stopped the workers too: no orphan keeps the address.
    assert not any(_is_running(pid) for pid in workers)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.base}/healthz", timeout=5)
    assert "Stopping parent process" in server.output()


def test_one_scheduler_among_serve_and_worker_and_a_survivor_takes_over(
    database_url: str, tmp_path: Path
) -> None:
    first = _start(tmp_path, database_url, "worker-1", "worker")
    try:
        first.wait_for("worker running")
        assert (
            f"notifier: the scheduler runs in this process (pid {first.process.pid}, "
            "obligations worker)" in first.output()
        )
        with serving(tmp_path, database_url, workers=2) as server:
            server.wait_for("stands by")
            standing_by = (
                f"notifier: the scheduler runs in another process (pid {first.process.pid} on "
                f"{socket.gethostname()}, obligations worker); this one (pid {server.process.pid}, "
                "obligations serve supervising 2 workers) stands by and takes over if it stops"
            )
            assert standing_by in server.output()
            assert "notifier-sweep" not in server.output()  # no job scheduled here

            # The worker dies without a word: the server's supervisor takes the schedule over.
            assert first.stop(signal.SIGKILL) == -signal.SIGKILL
            server.wait_for("took over the scheduler")
            # The jobs it now runs follow (they were not listed before).
            output = server.wait_for("notifier-sweep (daily sweep): next run ")
            assert (
                f"notifier: this process (pid {server.process.pid}, obligations serve "
                "supervising 2 workers) took over the scheduler: the previous holder stopped"
            ) in output

            # A second worker now stands by while the server holds the schedule...
            second = _start(tmp_path, database_url, "worker-2", "worker")
            try:
                second.wait_for("worker running")
                assert f"(pid {server.process.pid} on " in second.output()
                assert "this one (pid" in second.output() and "stands by" in second.output()
                assert "notifier-sweep" not in second.output()
                workers = set(_answers_by_worker(server.base, "/healthz"))
                # ...and takes it when the server stops.
                assert server.stop(signal.SIGTERM) == 0
                assert not any(_is_running(pid) for pid in workers)
                second.wait_for("took over the scheduler")
                second.wait_for("notifier-sweep (daily sweep): next run ")
                assert second.stop(signal.SIGTERM) == 0
                assert second.output().rstrip().endswith("worker stopped")
            finally:
                second.stop(signal.SIGKILL)
    finally:
        first.stop(signal.SIGKILL)


def test_two_servers_on_one_database_run_one_scheduler(database_url: str, tmp_path: Path) -> None:
    with serving(tmp_path, database_url, workers=2) as one:
        one.wait_for("notifier: the scheduler runs in this process")
        with serving(tmp_path, database_url, workers=1) as two:
            two.wait_for("stands by")
            assert f"(pid {one.process.pid} on " in two.output()
            assert "notifier-sweep" not in two.output()
            assert one.stop(signal.SIGTERM) == 0
            two.wait_for("took over the scheduler")
            assert two.stop(signal.SIGINT) == 0


@pytest.mark.parametrize("workers", ["0", "-1", "33", "two"])
def test_a_number_of_workers_out_of_range_is_refused(tmp_path: Path, workers: str) -> None:
    url = f"sqlite:///{tmp_path / 'none.sqlite3'}"
    refused = subprocess.run(
        [OBLIGATIONS, "--database-url", url, "serve", "--workers", workers],
        env=_env(tmp_path), capture_output=True, text=True, timeout=PATIENCE_SECONDS,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "Invalid value for '--workers'" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "none.sqlite3").exists()
