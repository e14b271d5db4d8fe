"""The notifier's settings, checked once: policy, addresses, schedule, transport."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path

from obligations.contacts import Language, check_email
from obligations.errors import InvalidInput
from obligations.settings import Settings, get_settings

LANGUAGES = tuple(language.value for language in Language)


@dataclass(frozen=True)
class Policy:
    """When reminders and overdue notices go out."""

    reminder_days: tuple[int, ...] = (180, 90, 30)
    overdue_every_days: int = 90


@dataclass(frozen=True)
class NotifierConfig:
    policy: Policy = field(default_factory=Policy)
    mail_from: str = "Committee on Migrant Workers <cmw-notifier@localhost.localdomain>"
    secretariat: tuple[str, ...] = ()
    smtp_url: str = ""
    maildir: Path = Path("maildir")
    sweep_cron: str = "0 6 * * *"
    digest_cron: str = "0 7 * * mon"
    deliver_every_minutes: int = 5
    digest_upcoming_days: int = 90
    digest_language: str = "en"
    max_attempts: int = 10
    retry_base_seconds: int = 60
    lease_seconds: int = 300


def check_mail_from(text: str) -> str:
    if any(c in text for c in "\r\n"):
        raise InvalidInput("OBLIGATIONS_MAIL_FROM: must be a single line")
    name, address = parseaddr(text)
    checked = check_email(address, "OBLIGATIONS_MAIL_FROM", local=True)
    return str(Address(display_name=name, addr_spec=checked)) if name else checked


def parse_days(text: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or not all(p.isdigit() and int(p) > 0 for p in parts):
        raise InvalidInput(
            f"OBLIGATIONS_REMINDER_DAYS: {text!r} must list whole days before the due date, "
            "e.g. 180,90,30"
        )
    return tuple(sorted({int(p) for p in parts}, reverse=True))


def positive(value: int, setting: str) -> int:
    if value < 1:
        raise InvalidInput(f"{setting}: must be at least 1, not {value}")
    return value


def config_from(settings: Settings | None = None) -> NotifierConfig:
    """The notifier's configuration from OBLIGATIONS_* settings; a bad one is one clear error."""
    s = settings or get_settings()
    if s.digest_language not in LANGUAGES:
        raise InvalidInput("OBLIGATIONS_DIGEST_LANGUAGE: must be en, fr or es")
    return NotifierConfig(
        policy=Policy(
            parse_days(s.reminder_days),
            positive(s.overdue_every_days, "OBLIGATIONS_OVERDUE_EVERY_DAYS"),
        ),
        mail_from=check_mail_from(s.mail_from),
        secretariat=tuple(
            check_email(a, "OBLIGATIONS_SECRETARIAT_EMAILS")
            for a in s.secretariat_emails.split(",")
            if a.strip()
        ),
        smtp_url=s.smtp_url.strip(),
        maildir=s.resolved_maildir(),
        sweep_cron=s.sweep_cron,
        digest_cron=s.digest_cron,
        deliver_every_minutes=positive(
            s.deliver_every_minutes, "OBLIGATIONS_DELIVER_EVERY_MINUTES"
        ),
        digest_upcoming_days=positive(s.digest_upcoming_days, "OBLIGATIONS_DIGEST_UPCOMING_DAYS"),
        digest_language=s.digest_language,
        max_attempts=positive(s.max_attempts, "OBLIGATIONS_MAX_ATTEMPTS"),
        retry_base_seconds=positive(s.retry_base_seconds, "OBLIGATIONS_RETRY_BASE_SECONDS"),
        lease_seconds=positive(s.lease_seconds, "OBLIGATIONS_LEASE_SECONDS"),
    )
