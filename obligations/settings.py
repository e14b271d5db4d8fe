"""Every setting in one place, read from OBLIGATIONS_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from obligations.paths import default_data_dir, default_database_url

__all__ = ["Settings", "default_data_dir", "default_database_url", "get_settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OBLIGATIONS_")

    database_url: str = ""
    # Signs the pages' session cookie; unset: one generated once, kept in the data directory.
    session_secret: str = ""
    # Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For and
    # X-Forwarded-Proto are believed (for the Secure cookie flag and per-client throttling).
    trusted_proxies: str = ""
    # Set by `serve --workers N` for its workers: the folder where each writes its request
    # counts, so that /metrics sums them whichever worker answers.
    metrics_dir: str = ""

    # The notifier (checked and parsed by notifier.config).
    scheduler: bool = True  # off: `serve` runs no jobs, for deployments with a separate worker
    # How often a process standing by for the scheduler lock tries to take it over.
    scheduler_standby_seconds: float = 10.0
    smtp_url: str = ""  # smtp://[user:password@]host[:port][?starttls=yes], smtps://...
    maildir: str = ""  # where mail goes when no SMTP server is configured
    mail_from: str = ""  # sender; required with SMTP, a local default for the Maildir
    # Comma-separated: the digest's recipients, and Reply-To of reminders (none go without it).
    secretariat_emails: str = ""
    sweep_cron: str = "0 6 * * *"  # daily reminders and overdue notices, UTC
    digest_cron: str = "0 7 * * mon"  # the weekly digest, UTC
    deliver_every_minutes: int = 5  # how often retries of failed sends are attempted
    reminder_days: str = "180,90,30"  # days before the due date
    overdue_every_days: int = 90  # a notice the day after the due date, then every N days
    digest_upcoming_days: int = 90
    digest_language: str = "en"
    max_attempts: int = 10
    retry_base_seconds: int = 60  # backoff: base * 2^(attempt-1), at most six hours
    lease_seconds: int = 300  # a claimed message not marked sent by then is claimed again

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()

    def resolved_maildir(self) -> Path:
        return Path(self.maildir) if self.maildir else default_data_dir() / "maildir"


@lru_cache
def get_settings() -> Settings:
    return Settings()
