"""Faults answered cleanly: a database that cannot be reached or a bad database URL gives a
503 (API and pages) or one `error:` line and exit 2 (CLI); passwords never printed."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.app import create_app
from obligations.settings import Settings
from tests.conftest import POSTGRES_URL
from tests.obligations.cli_runner import run_cli

OBLIGATIONS = str(Path(sys.executable).parent / "obligations")
PASSWORD = "s3cret-Pa55"
# Nothing listens on port 1: the connection is refused at once.
UNREACHABLE_POSTGRES = f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/test"


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("garbage", "'garbage' is not a database URL"),
        ("mysql://x", "mysql is not supported"),
        ("sqlite:////no/such/folder/db.sqlite3", "the folder /no/such/folder does not exist"),
        ("sqlite:////etc/hostname/db.sqlite3", "/etc/hostname does not exist (or is not a folder)"),
    ],
)
@pytest.mark.parametrize("command", [["status"], ["init"], ["outbox"]])
def test_a_bad_database_url_is_one_error_line(
    capsys: pytest.CaptureFixture[str], url: str, said: str, command: list[str]
) -> None:
    result = run_cli(capsys, url, *command)
    assert result.code == 2
    assert said in one_error_line(result.err)
    assert not Path("/no").exists()


def test_init_does_not_create_the_folders_of_a_given_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wanted = tmp_path / "a" / "b" / "db.sqlite3"
    result = run_cli(capsys, f"sqlite:///{wanted}", "init")
    assert result.code == 2
    assert f"the folder {wanted.parent} does not exist" in one_error_line(result.err)
    assert not (tmp_path / "a").exists()


def test_init_creates_the_default_data_folder_only(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    env.pop("OBLIGATIONS_DATABASE_URL", None)
    done = subprocess.run([OBLIGATIONS, "init"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "share" / "treaty-obligations" / "obligations.sqlite3").exists()


def test_a_sqlite_file_that_cannot_be_written_is_one_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # /proc takes no new files, even from root.
    result = run_cli(capsys, "sqlite:////proc/obligations.sqlite3", "init")
    assert result.code == 2
    assert "cannot" in one_error_line(result.err)


@pytest.mark.parametrize("command", [["status"], ["init"], ["contact", "list"], ["outbox"]])
def test_an_unreachable_database_is_one_error_line_without_the_password(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    result = run_cli(capsys, UNREACHABLE_POSTGRES, *command)
    assert result.code == 2
    line = one_error_line(result.err)
    assert "cannot" in line and "127.0.0.1" in line
    assert PASSWORD not in result.err + result.out


@pytest.fixture(params=["postgresql", "sqlite"])
def unreachable_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return UNREACHABLE_POSTGRES
    # The folder is removed after start-up: the file cannot be opened.
    return f"sqlite:///{tmp_path / 'gone' / 'db.sqlite3'}"


def test_the_api_answers_503_json_with_retry_after(
    unreachable_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with TestClient(create_app(Settings(session_secret="x" * 40), unreachable_url)) as client:
        for path in ("/api/v1/status", "/api/v1/states/GTM?as_of=2010-01-01", "/api/v1/contacts"):
            headers = {"Authorization": "Bearer obl_x"}
            response = client.get(path, headers=headers)
            assert response.status_code == 503, path
            assert response.headers["content-type"] == "application/json"
            assert "cannot be reached" in response.json()["detail"]
            assert int(response.headers["Retry-After"]) > 0
        assert client.get("/openapi.json").status_code == 200
    assert "cannot use the database" in caplog.text
    assert PASSWORD not in caplog.text


def test_the_pages_answer_a_503_page(unreachable_url: str) -> None:
    with TestClient(create_app(Settings(session_secret="x" * 40), unreachable_url)) as client:
        for path in ("/", "/overdue", "/states/GTM", "/status.txt"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.headers["content-type"].startswith("text/html")
            assert "Service unavailable" in response.text
            assert "Retry-After" in response.headers


def _start(args: list[str], env: dict[str, str], ready: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [OBLIGATIONS, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if ready in line:
            break
    process.send_signal(signal.SIGINT)
    try:
        rest, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        rest, _ = process.communicate()
    return process, "".join(seen) + rest


def with_password(url: str) -> str:
    return url.replace("postgres@", f"postgres:{PASSWORD}@", 1)


def free_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


@pytest.mark.parametrize(
    ("args", "ready"), [(["worker"], "worker running"), (["serve", "--port"], "Uvicorn running")]
)
def test_serve_and_worker_print_the_url_without_its_password(
    postgres_schema_url: str, tmp_path: Path, args: list[str], ready: str
) -> None:
    if args[-1] == "--port":
        args = [*args, free_port()]
    url = with_password(postgres_schema_url)
    assert PASSWORD in url
    env = {
        **os.environ,
        "OBLIGATIONS_DATABASE_URL": url,
        "XDG_DATA_HOME": str(tmp_path),
        "OBLIGATIONS_MAILDIR": str(tmp_path / "maildir"),
    }
    _process, output = _start(args, env, ready)
    assert "database: postgresql+psycopg://postgres:***@127.0.0.1" in output, output
    assert PASSWORD not in output


def test_init_prints_the_url_without_its_password(
    postgres_schema_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, with_password(postgres_schema_url), "init")
    assert result.code == 0, result.err
    assert "database: postgresql+psycopg://postgres:***@127.0.0.1" in result.out
    assert PASSWORD not in result.out + result.err


def test_connections_dropped_by_the_server_are_replaced(postgres_schema_url: str) -> None:
    """A database restart ends every connection; the next request opens a new one."""
    name = f"faults_{uuid.uuid4().hex[:8]}"
    url = f"{postgres_schema_url}&application_name={name}"
    with TestClient(create_app(Settings(session_secret="x" * 40), url)) as client:
        assert client.get("/api/v1/status").status_code == 200
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as connection:
            ended = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": name},
            ).scalar_one()
        admin.dispose()
        assert ended >= 1
        assert client.get("/api/v1/status").status_code == 200
