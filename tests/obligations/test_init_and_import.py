"""Setting up a database with `obligations init`, and importing depositary records."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL
from tests.obligations.cli_runner import run_cli


def _console(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "obligations"
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_init_on_a_fresh_machine_uses_a_sqlite_file_and_loads_the_record(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    env.pop("OBLIGATIONS_DATABASE_URL", None)
    first = _console("init", env=env)
    assert first.returncode == 0, first.stderr
    database = tmp_path / "treaty-obligations" / "obligations.sqlite3"
    assert str(database) in first.stdout
    assert database.exists()
    assert "195 States, 103 depositary actions" in first.stdout
    again = _console("init", env=env)
    assert again.returncode == 0
    assert "nothing loaded" in again.stdout
    status = _console("status", "--as-of", "2023-12-31", env=env)
    assert "Parties (59)" in status.stdout


def test_init_on_postgresql(postgres_schema_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    schema = f"obligations_init_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        result = run_cli(capsys, url, "init")
        assert result.code == 0, result.err
        assert "195 States, 103 depositary actions" in result.out
        assert run_cli(capsys, url, "status", "--json").json()["entry_into_force"] == "2003-07-01"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_commands_on_a_database_not_set_up_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, f"sqlite:///{tmp_path / 'empty.sqlite3'}", "status")
    assert result.code == 2
    assert "run `obligations init`" in result.err


NEW_RECORD = """state,action,date,articles,source
CIV,declaration,2024-03-01,77,C.N.100.2024
ARM,ratification,2024-05-02,,UNTC
GTM,ratification,2003-03-14,,UNTC
"""


def test_import_adds_new_rows_once(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "newer.csv"
    path.write_text(NEW_RECORD, encoding="utf-8")
    first = run_cli(capsys, database_url, "import", str(path))
    assert first.code == 0, first.err
    assert "imported 2 actions; 1 already recorded" in first.out
    second = run_cli(capsys, database_url, "import", str(path))
    assert "imported 0 actions; 3 already recorded" in second.out
    dossier = run_cli(capsys, database_url, "state", "ARM", "--json").json()
    assert dossier["party"] is True
    assert dossier["entry_into_force"] == "2024-09-01"
    assert dossier["actions"][-1]["source"] == "UNTC"
    civ = run_cli(capsys, database_url, "state", "CIV", "--json").json()
    assert civ["declarations"]["77"]["source"] == "C.N.100.2024"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("state,action,date\nGTM,signature,2000-01-01\n", "header must be"),
        (NEW_RECORD + "ZZZ,accession,2020-01-01,,UNTC\n", "row 5: unknown State code 'ZZZ'"),
        (NEW_RECORD + "BRA,accession,2020-02-31,,UNTC\n", "row 5: date: '2020-02-31'"),
        (NEW_RECORD + "KHM,declaration,2020-01-01,77,UNTC\n", "not a State party"),
        (
            NEW_RECORD + "BRA,accession,2020-01-01,,UNTC\nBRA,accession,2020-01-01,,UNTC\n",
            "row 6: the same action appears twice",
        ),
    ],
)
def test_a_bad_row_rejects_the_whole_file(
    database_url: str,
    tmp_path: Path,
    content: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    before = run_cli(capsys, database_url, "status", "--json").out
    result = run_cli(capsys, database_url, "import", str(path))
    assert result.code == 2
    assert message in result.err
    assert run_cli(capsys, database_url, "status", "--json").out == before


def test_import_of_a_missing_file(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, database_url, "import", "/nonexistent/record.csv")
    assert result.code == 2
    assert "no such file" in result.err


REPORTING_TABLES = (
    "follow_up_received", "concluding_observations", "lists_of_issues", "loiprs",
    "committee_decisions", "reviews", "reports",
)  # fmt: skip


def _forget_reporting(url: str, *extra: str) -> None:
    """A database as an earlier version left it: the depositary record, no reporting facts."""
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in REPORTING_TABLES:
            connection.execute(text(f"DELETE FROM {table}"))
        connection.execute(text("UPDATE states SET history_researched_until = NULL"))
        for statement in extra:
            connection.execute(text(statement))
    engine.dispose()


def test_init_brings_the_reporting_record_into_an_earlier_database(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _forget_reporting(database_url)
    result = run_cli(capsys, database_url, "init")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == (
        "loaded the bundled reporting record: 64 reports received, 95 reviews, 83 concluding "
        "observations, 45 lists of issues prior to reporting, 31 lists of issues, 33 "
        "Committee-set dates, 3 follow-up received"
    )
    again = run_cli(capsys, database_url, "init")
    assert again.out.splitlines()[-1] == "the database already holds a record; nothing loaded"


def test_init_leaves_an_earlier_database_whole_if_the_bundle_does_not_fit(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The secretariat's own record has no ratification for Guatemala: the bundled reviews of
    # Guatemala cannot be true with it, and nothing of the bundle is loaded.
    _forget_reporting(
        database_url,
        "DELETE FROM depositary_actions WHERE state_code = 'GTM' AND action = 'ratification'",
    )
    result = run_cli(capsys, database_url, "init")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1].startswith(
        "the bundled reporting record was not loaded: bundled "
    )
    assert "GTM" in result.out
    counts = run_cli(capsys, database_url, "coverage", "--json").json()["states"]
    assert sum(row["reports"] + row["reviews"] for row in counts) == 0
