"""Where the data lives: the default data folder and database, and the database URL set in the
environment. Kept apart from settings.py so that the CLI finds its database without importing
pydantic-settings (a fifth of its start-up)."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_VARIABLE = "OBLIGATIONS_DATABASE_URL"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "treaty-obligations"


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'obligations.sqlite3'}"


def environment_database_url() -> str:
    """OBLIGATIONS_DATABASE_URL read as Settings reads it (the name in any case), else the
    default file: `Settings().resolved_database_url()` without building Settings."""
    # As pydantic-settings does: names lowercased, the last of two spellings winning.
    named = {name.lower(): value for name, value in os.environ.items()}
    return named.get(DATABASE_URL_VARIABLE.lower()) or default_database_url()
