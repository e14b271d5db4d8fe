"""The plain SQLite URLs (`sqlite:///PATH`), read without SQLAlchemy, and the check of the
folder a SQLite file lives in. Any other URL is parsed by SQLAlchemy (obligations.db)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from obligations.errors import InvalidInput

# No query string and nothing percent-encoded: the path is the URL's text as it stands.
PLAIN_SQLITE_URL = re.compile(r"(sqlite(?:\+pysqlite)?):///([^?%]+)")


@dataclass(frozen=True)
class SqliteFile:
    driver: str
    database: str  # the path as the URL gives it

    @property
    def url(self) -> str:
        """The URL as obligations.db.masked prints it."""
        return f"{self.driver}:///{quote(self.database, safe=' +/')}"

    @property
    def path(self) -> str:
        """The file the driver opens (as SQLAlchemy's pysqlite dialect resolves it)."""
        return os.path.abspath(self.database)

    @property
    def folder(self) -> Path:
        """The folder checked for writing (as obligations.db.sqlite_folder resolves it)."""
        return Path(self.database).expanduser().absolute().parent


def plain_sqlite_file(url: str) -> SqliteFile | None:
    """The file a plain SQLite URL names; None for any other URL and for `:memory:`."""
    match = PLAIN_SQLITE_URL.fullmatch(url.strip())
    if match is None or match.group(2) == ":memory:":
        return None
    return SqliteFile(match.group(1), match.group(2))


def check_folder(folder: Path) -> None:
    """A SQLite file's folder must exist and be writable; nothing is created here."""
    if not folder.is_dir():
        raise InvalidInput(
            f"database URL: the folder {folder} does not exist (or is not a folder); "
            "create it first"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(f"database URL: the folder {folder} is not writable")
