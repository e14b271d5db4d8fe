"""One writer per State, tried as an operator would: the real `obligations` command started
twenty times at once, and twenty clients posting to a running `obligations serve`, on
PostgreSQL and SQLite. Exactly one identical write lands; the others are told 409 / exit 2 in
one line; nothing answers 500 or prints a traceback; a write from any process is seen by the
server's very next answer."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from obligations import models
from obligations.db import make_engine

OBLIGATIONS = str(Path(sys.executable).parent / "obligations")
PARALLEL = 20


def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OBLIGATIONS_DATABASE_URL": url}
    return subprocess.run(
        [OBLIGATIONS, *args], env=env, capture_output=True, text=True, timeout=120
    )


def run_together(url: str, commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "OBLIGATIONS_DATABASE_URL": url}
    processes = [
        subprocess.Popen(
            [OBLIGATIONS, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    done = []
    for process, args in zip(processes, commands, strict=True):
        out, err = process.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(args, process.returncode, out, err))
    return done


def count(url: str, model: type[models.Base], code: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        total = connection.scalar(
            select(func.count()).select_from(model).where(model.state_code == code)  # type: ignore[attr-defined]
        )
    engine.dispose()
    return int(total or 0)


def assert_one_accepted(results: list[subprocess.CompletedProcess[str]]) -> None:
    codes = Counter(r.returncode for r in results)
    assert codes == Counter({0: 1, 2: len(results) - 1}), [r.stderr for r in results]
    for refused in (r for r in results if r.returncode == 2):
        assert refused.stderr.startswith("error: ") and refused.stderr.count("\n") == 1
        assert "Traceback" not in refused.stderr


def test_twenty_identical_reports_from_the_command_line_land_once(database_url: str) -> None:
    command = ["record", "report", "GTM", "--numbers", "3", "--received", "2025-01-02"]
    before = count(database_url, models.ReportReceived, "GTM")
    assert_one_accepted(run_together(database_url, [command] * PARALLEL))
    assert count(database_url, models.ReportReceived, "GTM") == before + 1
    assert run(database_url, "check").returncode == 0


def test_nine_competing_ratifications_leave_one_possible_record(database_url: str) -> None:
    commands = [
        ["record", "action", "KHM", "--action", "ratification", "--date", f"2024-01-1{n}"]
        for n in range(1, 10)
    ]
    assert_one_accepted(run_together(database_url, commands))
    assert run(database_url, "check").returncode == 0
    assert run(database_url, "status", "--json").returncode == 0


@dataclass
class Server:
    url: str
    token: str

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    created = run(database_url, "token", "create", "--role", "secretariat", "--name", "load")
    token = created.stdout.splitlines()[1].strip()
    env = {
        **os.environ,
        "OBLIGATIONS_DATABASE_URL": database_url,
        "OBLIGATIONS_SCHEDULER": "off",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [OBLIGATIONS, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/api/v1/ping", timeout=5)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"serve did not answer: {log.read_text()}")
            time.sleep(0.2)
    try:
        yield Server(base, token)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
        assert "Traceback" not in log.read_text()


def post_all(server: Server, path: str, bodies: list[dict[str, object]]) -> Counter[int]:
    def post(body: dict[str, object]) -> int:
        with httpx.Client(timeout=60) as client:
            return client.post(
                f"{server.url}{path}", json=body, headers=server.headers()
            ).status_code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return Counter(pool.map(post, bodies))


def test_twenty_identical_posts_land_once_and_none_is_a_500(
    server: Server, database_url: str
) -> None:
    body = {"numbers": [3, 3], "received": "2025-01-02"}
    before = count(database_url, models.ReportReceived, "GTM")
    statuses = post_all(server, "/api/v1/states/GTM/reports", [body] * PARALLEL)
    assert statuses == Counter({201: 1, 409: PARALLEL - 1})
    assert count(database_url, models.ReportReceived, "GTM") == before + 1


def test_a_ratification_and_an_accession_posted_together_cannot_both_land(
    server: Server, database_url: str
) -> None:
    bodies: list[dict[str, object]] = [
        {"action": "ratification", "date": "2024-01-10"},
        {"action": "accession", "date": "2024-01-10"},
    ] * 5
    statuses = post_all(server, "/api/v1/states/KHM/actions", bodies)
    assert statuses == Counter({201: 1, 409: 9})
    assert httpx.get(f"{server.url}/api/v1/status").status_code == 200


def test_a_command_line_write_is_seen_by_the_running_server_at_once(
    server: Server, database_url: str
) -> None:
    def guinea_overdue() -> list[int]:
        items = httpx.get(f"{server.url}/api/v1/overdue", params={"as_of": "2010-06-30"}).json()[
            "items"
        ]
        return [i["number"] for i in items if i["code"] == "GIN"]

    assert 1 in guinea_overdue()  # computed and cached by the server
    recorded = run(
        database_url, "record", "report", "GIN", "--numbers", "1", "--received", "2010-01-01"
    )
    assert recorded.returncode == 0, recorded.stderr
    assert 1 not in guinea_overdue()
