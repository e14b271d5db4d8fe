"""Alembic: upgrade head, downgrade base, upgrade head, on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.util import CommandError
from sqlalchemy import create_engine, inspect, text

from obligations.db import PROJECT_ROOT, alembic_config, make_engine
from obligations.models import Base
from tests.conftest import POSTGRES_URL


def _allowing_data_loss(url: str) -> object:
    """The configuration `alembic -x allow-data-loss=yes …` builds from its command line."""
    config = alembic_config(url)
    config.cmd_opts = argparse.Namespace(x=["allow-data-loss=yes"])  # type: ignore[attr-defined]
    return config


def _round_trip(url: str) -> None:
    config = _allowing_data_loss(url)
    command.upgrade(config, "head")  # type: ignore[arg-type]
    engine = make_engine(url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    command.downgrade(config, "base")  # type: ignore[arg-type]
    assert set(Base.metadata.tables).isdisjoint(inspect(engine).get_table_names())
    command.upgrade(config, "head")  # type: ignore[arg-type]
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_migrations_round_trip_on_sqlite(tmp_path: Path) -> None:
    _round_trip(f"sqlite:///{tmp_path / 'm.sqlite3'}")


def test_migrations_round_trip_on_postgresql(postgres_schema_url: str) -> None:
    schema = f"obligations_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        _round_trip(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _filled(url: str) -> None:
    """A database at 0003 holding a token (a row nothing can rebuild)."""
    command.upgrade(alembic_config(url), "0003")  # type: ignore[arg-type]
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO api_tokens (name, role, digest) "
                "VALUES ('kept', 'secretariat', :digest)"
            ),
            {"digest": "0" * 64},
        )
    engine.dispose()


def _token_count(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = int(connection.execute(text("SELECT count(*) FROM api_tokens")).scalar_one())
    engine.dispose()
    return count


def test_a_downgrade_that_would_drop_tokens_refuses_without_the_flag(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kept.sqlite3'}"
    _filled(url)
    with pytest.raises(CommandError, match="allow-data-loss=yes") as refused:
        command.downgrade(alembic_config(url), "0001")  # type: ignore[arg-type]
    assert "api_tokens (1 rows)" in str(refused.value)
    assert _token_count(url) == 1
    command.downgrade(_allowing_data_loss(url), "0001")  # type: ignore[arg-type]
    engine = make_engine(url)
    assert "api_tokens" not in inspect(engine).get_table_names()
    engine.dispose()


def test_the_alembic_command_says_why_it_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kept.sqlite3'}"
    _filled(url)
    env = {"OBLIGATIONS_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    alembic = [sys.executable, "-m", "alembic", "-c", str(PROJECT_ROOT / "alembic.ini")]
    refused = subprocess.run(
        [*alembic, "downgrade", "base"], env=env, capture_output=True, text=True, check=False
    )
    said = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "refusing to downgrade" in said and "allow-data-loss=yes" in said
    assert "Traceback" not in said
    assert _token_count(url) == 1
    allowed = subprocess.run(
        [*alembic, "-x", "allow-data-loss=yes", "downgrade", "base"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert allowed.returncode == 0, allowed.stderr


def test_an_empty_outbox_is_dropped_without_the_flag(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    command.upgrade(alembic_config(url), "head")  # type: ignore[arg-type]
    command.downgrade(alembic_config(url), "0002")  # type: ignore[arg-type]
    engine = make_engine(url)
    assert "outbox_messages" not in inspect(engine).get_table_names()
    engine.dispose()
