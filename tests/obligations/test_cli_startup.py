"""The command's start-up: what `--help` loads, where the database URL comes from, and the
one-line answer to a database that cannot be reached, now that the modules load lazily."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from obligations.cli import database_unreachable
from obligations.db import make_engine
from obligations.paths import environment_database_url
from obligations.settings import Settings
from tests.obligations.cli_runner import run_cli

HEAVY = ["sqlalchemy", "pydantic_settings", "email_validator", "fastapi", "jinja2", "apscheduler"]


def test_help_lists_every_command_without_loading_the_database_or_the_notifier() -> None:
    script = (
        "import json, sys\n"
        "from obligations.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('notifier'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    *help_lines, heavy, notifier_modules = done.stdout.splitlines()
    text = "\n".join(help_lines)
    for command in ("init", "overdue", "remind", "worker", "coverage", "record", "outbox"):
        assert f" {command} " in text
    assert json.loads(heavy) == []
    assert json.loads(notifier_modules) == ["notifier", "notifier.cli"]


def test_overdue_json_on_a_sqlite_file_reads_it_without_sqlalchemy_or_alembic(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "o.sqlite3"
    shutil.copy(sqlite_template, path)
    script = (
        "import json, sys\n"
        "from obligations.cli import main\n"
        f"main(['--database-url', 'sqlite:///{path}', 'overdue', '--json', '--as-of', "
        "'2020-01-01'])\n"
    )
    loaded = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps("
        "[m for m in ('sqlalchemy', 'alembic', 'pydantic_settings') if m in sys.modules])))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", loaded + script], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "")
    *answer, heavy = done.stdout.splitlines()
    assert json.loads("\n".join(answer))["items"]
    # pydantic itself is loaded by typer (0.29 coerces every non-flag option through it).
    assert json.loads(heavy) == []


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"OBLIGATIONS_DATABASE_URL": "sqlite:////srv/cmw/obligations.sqlite3"},
        {"obligations_database_url": "postgresql://cmw@db.example.org/obligations"},
        {"OBLIGATIONS_DATABASE_URL": ""},
    ],
)
def test_the_database_url_is_read_from_the_environment_as_the_settings_read_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, environment: dict[str, str]
) -> None:
    for name in ("OBLIGATIONS_DATABASE_URL", "obligations_database_url"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    expected = Settings().resolved_database_url()
    assert environment_database_url() == expected
    if not any(environment.values()):
        assert expected == f"sqlite:///{tmp_path / 'treaty-obligations' / 'obligations.sqlite3'}"


def test_a_database_that_cannot_be_opened_is_told_apart_from_a_bug(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}")  # a folder, not a file
    with pytest.raises(Exception) as failed:
        engine.connect()
    engine.dispose()
    assert database_unreachable(failed.value)
    assert not database_unreachable(ValueError("a bug"))


def test_an_unreachable_server_gets_one_line_without_the_password() -> None:
    url = "postgresql://cmw:s3cret@127.0.0.1:1/obligations"
    done = subprocess.run(
        [sys.executable, "-c", "from obligations.cli import main; main()", "--database-url",
         url, "status"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(
        "error: cannot use the database postgresql+psycopg://cmw:***@127.0.0.1:1/obligations: "
    )
    assert done.stderr.count("\n") == 1
    assert "s3cret" not in done.stderr


def test_a_setting_that_is_not_a_value_gets_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from obligations.settings import get_settings

    monkeypatch.setenv("OBLIGATIONS_MAX_ATTEMPTS", "abc")
    get_settings.cache_clear()
    try:
        result = run_cli(capsys, f"sqlite:///{tmp_path / 'o.sqlite3'}", "remind", "--dry-run")
    finally:
        monkeypatch.delenv("OBLIGATIONS_MAX_ATTEMPTS")
        get_settings.cache_clear()
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "error: OBLIGATIONS_MAX_ATTEMPTS='abc': input should be a valid integer, unable to parse "
        "string as an integer\n"
    )
