"""The CLI's reading of the record from a SQLite file with the standard library alone:
importing SQLAlchemy and Alembic was most of an answer's start-up (issue 13)."""

from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote

from obligations.errors import DatabaseUnavailable, ObligationsError
from obligations.record import Record, record_from, sqlite_reader
from obligations.schema_head import HEAD_REVISION
from obligations.sqlite_url import plain_sqlite_file


def read_sqlite_record(url: str) -> Record | None:
    """The record in the file a plain SQLite URL names, once its schema is at the newest
    migration. None where SQLAlchemy's path is to answer, as it always has: another URL, a
    schema older or newer, a file SQLite cannot open read-only."""
    file = plain_sqlite_file(url)
    if file is None:
        return None
    if not os.path.exists(file.path):
        # Said without creating the file (a read-only open never does).
        raise ObligationsError(f"the database {file.url} is not set up; run `obligations init`")
    try:
        connection = sqlite3.connect(
            f"file:{quote(file.path)}?mode=ro", uri=True, isolation_level=None
        )
    except sqlite3.Error:
        return None
    try:
        try:
            connection.execute("BEGIN")  # the check and every read see one snapshot
            versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error as error:
            if getattr(error, "sqlite_errorname", "") == "SQLITE_BUSY":
                # Locked by a writer for longer than the wait: said now, not waited for twice.
                raise unavailable(error, file.url) from None
            return None
        if versions != [(HEAD_REVISION,)]:
            return None
        try:
            return record_from(sqlite_reader(connection))
        except (sqlite3.OperationalError, sqlite3.InterfaceError) as error:
            raise unavailable(error, file.url) from None
    finally:
        connection.close()


def unavailable(error: sqlite3.Error, url: str) -> DatabaseUnavailable:
    """As obligations.db.unavailable says it for the same error through SQLAlchemy."""
    lines = str(error).strip().splitlines()
    reason = lines[0] if lines else type(error).__name__
    return DatabaseUnavailable(f"cannot use the database {url}: {reason}")
