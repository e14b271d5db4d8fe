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

# Mail written to the local Maildir never leaves the machine, so a local sender is honest
# there; over SMTP the sender must be set (OBLIGATIONS_MAIL_FROM).
MAILDIR_SENDER = "Committee on Migrant Workers <cmw-notifier@localhost.localdomain>"

NO_SECRETARIAT = (
    "OBLIGATIONS_SECRETARIAT_EMAILS is not set: reminders and overdue notices ask focal "
    "points to reply to the secretariat, so none is planned or sent until it names at least "
    "one address (e.g. OBLIGATIONS_SECRETARIAT_EMAILS=cmw@ohchr.org)"
)


class NoSecretariat(InvalidInput):
    """Reminders without a secretariat address would invite replies to nobody."""


@dataclass(frozen=True)
class Policy:
    """When reminders and overdue notices go out."""

    reminder_days: tuple[int, ...] = (180, 90, 30)
    overdue_every_days: int = 90


@dataclass(frozen=True)
class NotifierConfig:
    policy: Policy = field(default_factory=Policy)
    mail_from: str = MAILDIR_SENDER
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


def check_mail_from(text: str, *, local: bool = True) -> str:
    """A sender as `Name <address>` or `address`; `local` accepts a host without a dot."""
    if any(c in text for c in "\r\n"):
        raise InvalidInput("OBLIGATIONS_MAIL_FROM: must be a single line")
    name, address = parseaddr(text)
    checked = check_email(address, "OBLIGATIONS_MAIL_FROM", local=local)
    return str(Address(display_name=name, addr_spec=checked)) if name else checked


def sender(mail_from: str, smtp_url: str) -> str:
    """The sender: as set; unset, the local default for the Maildir, and an error for SMTP."""
    if mail_from.strip():
        # Over SMTP the sender's domain must be one the recipients' servers can check.
        return check_mail_from(mail_from.strip(), local=not smtp_url)
    if smtp_url:
        raise InvalidInput(
            "OBLIGATIONS_MAIL_FROM: not set; mail sent over SMTP needs a real sender, "
            "e.g. OBLIGATIONS_MAIL_FROM='Committee on Migrant Workers <cmw-notifier@ohchr.org>'"
        )
    return MAILDIR_SENDER


def require_secretariat(config: NotifierConfig) -> None:
    """Refuse to plan or send reminders that would invite replies to nobody."""
    if not config.secretariat:
        raise NoSecretariat(NO_SECRETARIAT)


def describe_sender(config: NotifierConfig) -> str:
    """The start-up line naming the sender, and whether it is the Maildir's local default."""
    local = config.mail_from == MAILDIR_SENDER and not config.smtp_url
    note = " (the Maildir's local default; set OBLIGATIONS_MAIL_FROM)" if local else ""
    return f"mail from: {config.mail_from}{note}"


def describe_replies(config: NotifierConfig) -> str:
    """The start-up line naming where replies go, or why nothing will be sent."""
    if config.secretariat:
        return f"replies to: {', '.join(config.secretariat)} (OBLIGATIONS_SECRETARIAT_EMAILS)"
    return f"replies to: nobody; {NO_SECRETARIAT}"


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
        mail_from=sender(s.mail_from, s.smtp_url.strip()),
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
