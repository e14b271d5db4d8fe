"""`obligations serve` as a user runs it: one process with the API, the pages and the scheduler."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

OBLIGATIONS = str(Path(sys.executable).parent / "obligations")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(tmp_path: Path, **extra_env: str) -> tuple[str, str]:
    """Start `obligations serve` on a fresh SQLite file; the page `/` and its start-up output."""
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "OBLIGATIONS_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        **extra_env,
    }
    subprocess.run([OBLIGATIONS, "init"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [OBLIGATIONS, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                status = httpx.get(f"http://127.0.0.1:{port}/api/v1/status?as_of=2003-07-01")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"serve did not answer: {log.read_text()}")
                time.sleep(0.2)
        assert page.status_code == 200
        assert status.json()["entry_into_force"] == "2003-07-01"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
    return page.text, log.read_text()


def test_serve_runs_the_pages_the_api_and_the_scheduler(tmp_path: Path) -> None:
    page, output = _serve(tmp_path)
    assert "Dashboard" in page
    assert "notifier-sweep (daily sweep): next run " in output
    assert "notifier-digest (digest): next run " in output
    assert f"mail: Maildir {tmp_path / 'data' / 'treaty-obligations' / 'maildir'}" in output


def test_serve_can_leave_the_jobs_to_a_separate_worker(tmp_path: Path) -> None:
    _page, output = _serve(tmp_path, OBLIGATIONS_SCHEDULER="off")
    assert "notifier: not started here" in output
    assert "notifier-sweep" not in output
