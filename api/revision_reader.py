"""The record's revision, read on the event loop for every public GET (see api.response_cache).

One statement on a connection of the reader's own, in autocommit: no pool checkout, no
pre-ping, no BEGIN or ROLLBACK, and no hop to a worker thread (which cost a kept answer more
than the rest of it). A SQLite file is read in place, in microseconds; PostgreSQL's answer is
awaited on psycopg's asynchronous connection. Any other database, a SQLite file that is busy
or a connection that fails falls back to reading through the engine in a worker thread, so
the revision is always read afresh: a write is seen by the very next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from obligations.revision import revision_of

REVISION_SQL = "SELECT value FROM record_revision"
# A writer's commit holds SQLite's lock for milliseconds; past this, the thread waits instead.
SQLITE_BUSY_SECONDS = 0.05


class RevisionReader:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._backend = engine.url.get_backend_name()
        self._sqlite: sqlite3.Connection | None = None
        self._postgres: Any = None  # psycopg.AsyncConnection, on the loop it was made on
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connecting: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    async def read(self) -> int | None:
        """The revision, or None when the database cannot be read (the route then says so)."""
        value: int | None = None
        if self._backend == "sqlite" and self._engine.url.database not in (None, "", ":memory:"):
            value = self._read_sqlite()
        elif self._backend == "postgresql":
            value = await self._read_postgres()
        if value is not None:
            return value
        return await run_in_threadpool(self._read_through_engine)

    def _read_through_engine(self) -> int | None:
        try:
            with self._engine.connect() as connection:
                return revision_of(connection)
        except SQLAlchemyError:
            return None

    def _read_sqlite(self) -> int | None:
        try:
            if self._sqlite is None:
                # mode=rw: a missing file is an error here, never created empty.
                uri = f"file:{quote(self._engine.url.database or '')}?mode=rw"
                self._sqlite = sqlite3.connect(
                    uri,
                    uri=True,
                    timeout=SQLITE_BUSY_SECONDS,
                    isolation_level=None,
                    check_same_thread=False,
                )
            row = self._sqlite.execute(REVISION_SQL).fetchone()
        except sqlite3.Error:
            self._close_sqlite()
            return None
        return int(row[0]) if row else 0

    def _close_sqlite(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None

    async def _read_postgres(self) -> int | None:
        import psycopg

        try:
            connection = await self._postgres_connection()
            cursor = await connection.execute(REVISION_SQL)
            row = await cursor.fetchone()
        except (psycopg.Error, OSError):
            await self._close_postgres()
            return None
        return int(row[0]) if row else 0

    async def _postgres_connection(self) -> Any:
        import psycopg

        loop = asyncio.get_running_loop()
        if self._connecting is None or self._connecting[0] is not loop:
            self._connecting = (loop, asyncio.Lock())  # a lock serves the loop it was made on
        async with self._connecting[1]:
            if self._postgres is not None and (self._loop is not loop or self._postgres.closed):
                await self._close_postgres()
            if self._postgres is None:
                url = self._engine.url.set(drivername="postgresql")
                self._postgres = await psycopg.AsyncConnection.connect(
                    url.render_as_string(hide_password=False),
                    autocommit=True,
                    prepare_threshold=None,
                    connect_timeout=5,
                )
                self._loop = loop
            return self._postgres

    async def _close_postgres(self) -> None:
        connection, self._postgres = self._postgres, None
        if connection is not None and self._loop is asyncio.get_running_loop():
            # A broken connection is dropped whatever closing it says.
            with contextlib.suppress(Exception):
                await connection.close()

    async def close(self) -> None:
        self._close_sqlite()
        await self._close_postgres()
