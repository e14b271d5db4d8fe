"""Alembic: upgrade head, downgrade base, upgrade head, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from obligations.db import alembic_config, make_engine
from obligations.models import Base
from tests.conftest import POSTGRES_URL


def _round_trip(url: str) -> None:
    config = alembic_config(url)
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
