"""Every setting in one place, read from OBLIGATIONS_* environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "treaty-obligations"


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'obligations.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OBLIGATIONS_")

    database_url: str = ""

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()


@lru_cache
def get_settings() -> Settings:
    return Settings()
