"""Databases for the tests: every test that takes `database_url` runs on SQLite and PostgreSQL.

PostgreSQL is the server at OBLIGATIONS_TEST_POSTGRES_URL (default 127.0.0.1:5432, user
postgres, database test); each test run works in a schema of its own. Where no server
answers, the PostgreSQL half is skipped with a message, unless OBLIGATIONS_REQUIRE_POSTGRES=1
(as in CI), where it fails.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text

import notifier.models  # noqa: F401  (the outbox tables are truncated too)
from obligations.db import make_engine, session_factory, transaction, upgrade_schema
from obligations.importing import load_bundled_record
from obligations.models import Base

POSTGRES_URL = os.environ.get(
    "OBLIGATIONS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("OBLIGATIONS_REQUIRE_POSTGRES") == "1"

# Property tests draw the same examples on every run (no flaky runs): a failure found once is
# found again, and a new one only when the code or the test changes.
settings.register_profile("deterministic", derandomize=True)
settings.load_profile("deterministic")


def _postgres_error() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means: no server here
        return str(error).splitlines()[0]
    return None


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    error = _postgres_error()
    if error is not None:
        message = f"PostgreSQL at {POSTGRES_URL} is unreachable: {error}"
        if REQUIRE_POSTGRES:
            pytest.fail(message)
        pytest.skip(message + " (PostgreSQL half skipped)")
    schema = f"obligations_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    yield url
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}_template" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the schema and the bundled record, copied afresh for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    with transaction(session_factory(engine)) as session:
        load_bundled_record(session)
    engine.dispose()
    return path


_POSTGRES_TEMPLATES: set[str] = set()


def _reset_postgres(url: str) -> None:
    """Empty every table, then refill them with the bundled record: loaded (with every check)
    once per run, then copied from a template schema, which is much faster than loading."""
    engine = make_engine(url)
    tables = [t.name for t in Base.metadata.sorted_tables]
    schema = url.rsplit("%3D", 1)[1]
    template = f"{schema}_template"
    with engine.begin() as connection:
        listed = ", ".join(f'"{t}"' for t in tables)
        connection.execute(text(f"TRUNCATE {listed} RESTART IDENTITY CASCADE"))
        # As the migration leaves it: the record's revision counter starts at 0.
        connection.execute(text("INSERT INTO record_revision (id, value) VALUES (1, 0)"))
    if url not in _POSTGRES_TEMPLATES:
        with transaction(session_factory(engine)) as session:
            load_bundled_record(session)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{template}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{template}"'))
            for table in tables:
                connection.execute(
                    text(f'CREATE TABLE "{template}"."{table}" AS SELECT * FROM "{table}"')
                )
        _POSTGRES_TEMPLATES.add(url)
    else:
        with engine.begin() as connection:
            for table in tables:
                if table == "record_revision":
                    continue  # set to 0 above, as the migration leaves it
                connection.execute(
                    text(f'INSERT INTO "{table}" SELECT * FROM "{template}"."{table}"')
                )
            for table in (t.name for t in Base.metadata.sorted_tables if "id" in t.c):
                # Ids continue after the copied rows, as after a real load.
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false) '
                        f"WHERE pg_get_serial_sequence('\"{table}\"', 'id') IS NOT NULL"
                    )
                )
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database holding the schema and the bundled ICRMW record, fresh for each test."""
    if request.param == "sqlite":
        path = tmp_path / "obligations.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_schema_url")
    _reset_postgres(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()
