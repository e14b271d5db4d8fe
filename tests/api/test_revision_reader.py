"""The revision read on the event loop (api.revision_reader): afresh on every read, on both
databases, across event loops, and after its own connection is lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from api.revision_reader import RevisionReader
from obligations.db import make_engine


def bump(engine: Engine) -> int:
    """A write by another connection, as the CLI's would be."""
    with engine.begin() as connection:
        connection.execute(text("UPDATE record_revision SET value = value + 1"))
        value: int = connection.execute(text("SELECT value FROM record_revision")).scalar_one()
    return value


def test_each_read_sees_the_last_write_across_event_loops(engine: Engine) -> None:
    reader = RevisionReader(engine)
    for _ in range(3):  # a new event loop each time, as a test client may make
        expected = bump(engine)
        assert asyncio.run(reader.read()) == expected
    asyncio.run(reader.close())


def test_several_reads_at_once_on_one_loop(engine: Engine) -> None:
    reader = RevisionReader(engine)
    expected = bump(engine)

    async def many() -> list[int | None]:
        values = await asyncio.gather(*(reader.read() for _ in range(20)))
        await reader.close()
        return list(values)

    assert asyncio.run(many()) == [expected] * 20


def test_a_missing_sqlite_file_is_unreadable_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    engine = make_engine(f"sqlite:///{missing}")
    reader = RevisionReader(engine)
    assert reader._read_sqlite() is None  # the reader's own connection: read-write, not create
    assert not missing.exists()
    assert asyncio.run(reader.read()) is None  # nor has the engine's a table to read
    engine.dispose()


def test_a_lost_postgresql_connection_is_replaced(engine: Engine) -> None:
    if engine.url.get_backend_name() != "postgresql":
        pytest.skip("the connection of PostgreSQL's reader")
    reader = RevisionReader(engine)

    async def lose_then_read() -> tuple[int | None, int | None, int]:
        first = await reader.read()
        pid = reader._postgres.info.backend_pid
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        expected = bump(engine)
        after = await reader.read()  # the lost connection fails; the engine answers instead
        again = await reader.read()  # and a new connection is made
        await reader.close()
        return first, after, again, expected  # type: ignore[return-value]

    first, after, again, expected = asyncio.run(lose_then_read())  # type: ignore[misc]
    assert first == expected - 1
    assert after == again == expected
