"""One scheduler per database: a lock its holder keeps for as long as it runs the jobs.

PostgreSQL: a session advisory lock, held by a connection of its own and keyed by the schema
(so two trackers, or two test runs, on one server do not contend); the server releases it
when that connection ends, so a killed holder frees it. SQLite: `fcntl.flock` on a file beside
the database (`<file>.scheduler-lock`); the kernel releases it when the holder's process ends.
An in-memory SQLite database belongs to one process: its lock is that process's alone.
"""

from __future__ import annotations

import fcntl
import os
import socket
from contextlib import suppress
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from obligations.db import CONNECT_TIMEOUT_SECONDS, parse_database_url

# The first key of the advisory lock: "OBLG", naming this application's locks.
ADVISORY_NAMESPACE = 0x4F424C47
LOCK_SUFFIX = ".scheduler-lock"
# The lock's connection names its holder (PostgreSQL keeps 63 characters of it).
APPLICATION_PREFIX = "obligations scheduler: "


class SchedulerLock(Protocol):
    def try_acquire(self) -> bool:
        """Take the lock if it is free; True when this process now holds it."""
        ...

    def still_held(self) -> bool:
        """Whether the lock taken is still this process's (a lost connection loses it)."""
        ...

    def release(self) -> None: ...

    def holder(self) -> str:
        """Who holds the lock, as far as can be told, for the start-up lines."""
        ...


def whoami(role: str) -> str:
    return f"pid {os.getpid()} on {socket.gethostname()}, {role}"


def scheduler_lock(database_url: str, role: str) -> SchedulerLock:
    """The lock for this database; `role` names the holder (`obligations serve`, …)."""
    parsed = parse_database_url(database_url)
    if parsed.get_backend_name() == "postgresql":
        return AdvisoryLock(database_url, role)
    if parsed.database in (None, "", ":memory:"):
        return ProcessLock(role)
    return FileLock(Path(str(parsed.database)).expanduser().absolute(), role)


class FileLock:
    """SQLite: an exclusive flock on `<database>.scheduler-lock`, naming its holder inside."""

    def __init__(self, database: Path, role: str) -> None:
        self.path = database.with_name(database.name + LOCK_SUFFIX)
        self.role = role
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return self.still_held()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, (whoami(self.role) + "\n").encode(), 0)
        self._fd = fd
        return True

    def still_held(self) -> bool:
        if self._fd is None:
            return False
        # A lock file deleted (or replaced) by hand would let another process lock a new one.
        try:
            return os.fstat(self._fd).st_ino == self.path.stat().st_ino
        except FileNotFoundError:
            return False

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    def holder(self) -> str:
        try:
            named = self.path.read_text(encoding="utf-8").strip()
        except OSError:
            named = ""
        return named or "another process"


class AdvisoryLock:
    """PostgreSQL: pg_try_advisory_lock(namespace, hash of the schema) on a connection kept open."""

    def __init__(self, database_url: str, role: str) -> None:
        self.role = role
        self._engine = create_engine(
            parse_database_url(database_url),
            poolclass=NullPool,
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "application_name": (APPLICATION_PREFIX + whoami(role))[:63],
                # A holder whose machine vanishes is noticed by the server within a minute.
                "keepalives": 1,
                "keepalives_idle": 30,
                "keepalives_interval": 10,
                "keepalives_count": 3,
            },
        )
        self._connection: Connection | None = None
        self._key: int | None = None

    def _schema_key(self, connection: Connection) -> int:
        if self._key is None:
            self._key = int(
                connection.execute(
                    text(
                        "SELECT hashtext('treaty-obligations scheduler ' || current_schema())"
                        " & 2147483647"
                    )
                ).scalar_one()
            )
        return self._key

    def try_acquire(self) -> bool:
        if self._connection is not None:
            return self.still_held()
        connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            key = self._schema_key(connection)
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:namespace, :key)"),
                {"namespace": ADVISORY_NAMESPACE, "key": key},
            ).scalar_one()
        except DBAPIError:
            connection.close()
            raise
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def still_held(self) -> bool:
        if self._connection is None:
            return False
        try:
            held = self._connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()"
                    " AND locktype = 'advisory' AND classid = :namespace AND objid = :key"
                    " AND objsubid = 2 AND granted"
                ),
                {"namespace": ADVISORY_NAMESPACE, "key": self._key},
            ).scalar_one()
        except DBAPIError:
            self._drop()
            return False
        return bool(held)

    def release(self) -> None:
        if self._connection is not None:
            # If the connection is gone, the lock went with it.
            with suppress(DBAPIError):
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:namespace, :key)"),
                    {"namespace": ADVISORY_NAMESPACE, "key": self._key},
                )
            self._drop()
        self._engine.dispose()

    def _drop(self) -> None:
        if self._connection is not None:
            with suppress(DBAPIError):
                self._connection.close()
            self._connection = None

    def holder(self) -> str:
        try:
            with self._engine.connect() as connection:
                key = self._schema_key(connection)
                name = connection.execute(
                    text(
                        "SELECT a.application_name FROM pg_locks l"
                        " JOIN pg_stat_activity a ON a.pid = l.pid"
                        " WHERE l.locktype = 'advisory' AND l.classid = :namespace"
                        " AND l.objid = :key AND l.objsubid = 2 AND l.granted"
                        " AND l.database = (SELECT oid FROM pg_database"
                        " WHERE datname = current_database())"
                    ),
                    {"namespace": ADVISORY_NAMESPACE, "key": key},
                ).scalar()
        except DBAPIError:
            name = None
        if isinstance(name, str) and name.startswith(APPLICATION_PREFIX):
            return name.removeprefix(APPLICATION_PREFIX)
        return "another process"


class ProcessLock:
    """An in-memory SQLite database: no other process can share it, so this one holds it."""

    def __init__(self, role: str) -> None:
        self.role = role
        self._held = False

    def try_acquire(self) -> bool:
        self._held = True
        return True

    def still_held(self) -> bool:
        return self._held

    def release(self) -> None:
        self._held = False

    def holder(self) -> str:
        return whoami(self.role)
