"""Where mail goes: an SMTP server (OBLIGATIONS_SMTP_URL), else a local Maildir."""

from __future__ import annotations

import mailbox
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from notifier.config import NotifierConfig
from obligations.errors import InvalidInput

SMTP_TIMEOUT_SECONDS = 30


class Transport(Protocol):
    def describe(self) -> str: ...

    def send(self, message: EmailMessage) -> dict[str, str]:
        """Send; return the recipients the server refused (the others got it). Raise if none did."""
        ...

    def close(self) -> None: ...


class DeliveryError(Exception):
    """The message was not accepted; its text is what the outbox keeps."""


class MaildirTransport:
    """The embedded default: each message becomes a file in a Maildir's new/ folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def describe(self) -> str:
        return f"Maildir {self.path} (no OBLIGATIONS_SMTP_URL set)"

    def send(self, message: EmailMessage) -> dict[str, str]:
        try:
            mailbox.Maildir(self.path, create=True).add(message)
        except OSError as error:
            raise DeliveryError(f"cannot write to the Maildir {self.path}: {error}") from None
        return {}

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None
    cafile: str | None

    def describe(self) -> str:
        security = "TLS" if self.implicit_tls else "STARTTLS" if self.starttls else "no TLS"
        who = f" as {self.username}" if self.username else ""
        return f"SMTP {self.host}:{self.port} ({security}){who}"


YES = {"yes", "true", "1", "on", "required"}
NO = {"no", "false", "0", "off"}


def parse_smtp_url(url: str) -> SmtpServer:
    """smtp://[user[:password]@]host[:port][?starttls=yes][&cafile=PATH], or smtps://…"""
    setting = "OBLIGATIONS_SMTP_URL"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise InvalidInput(f"{setting}: {error}") from None
    if parts.scheme not in ("smtp", "smtps"):
        raise InvalidInput(f"{setting}: must start with smtp:// or smtps://, not {url!r}")
    if not parts.hostname:
        raise InvalidInput(f"{setting}: names no host")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(query) - {"starttls", "cafile"}
    if unknown:
        raise InvalidInput(f"{setting}: unknown option(s) {', '.join(sorted(unknown))}")
    starttls_text = query.get("starttls", "no").lower()
    if starttls_text not in YES | NO:
        raise InvalidInput(f"{setting}: starttls must be yes or no")
    implicit = parts.scheme == "smtps"
    starttls = starttls_text in YES and not implicit
    username = unquote(parts.username) if parts.username else None
    if username and not (implicit or starttls):
        raise InvalidInput(
            f"{setting}: credentials are only sent over TLS; use smtps:// or ?starttls=yes"
        )
    return SmtpServer(
        host=parts.hostname,
        port=port or (465 if implicit else 25),
        implicit_tls=implicit,
        starttls=starttls,
        username=username,
        password=unquote(parts.password) if parts.password else None,
        cafile=query.get("cafile"),
    )


def reply_text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def smtp_error_text(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address}: {code} {reply_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
        return f"every recipient refused ({refused})"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"SMTP server answered {error.smtp_code} {reply_text(error.smtp_error)}"
    if isinstance(error, OSError | smtplib.SMTPException):
        return f"{type(error).__name__}: {error}"
    return repr(error)


class SmtpTransport:
    """One connection kept open for a delivery pass; any error drops it."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self._client: smtplib.SMTP | None = None

    def describe(self) -> str:
        return self.server.describe()

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.server.cafile)

    def _connect(self) -> smtplib.SMTP:
        s = self.server
        client: smtplib.SMTP
        if s.implicit_tls:
            client = smtplib.SMTP_SSL(
                s.host, s.port, timeout=SMTP_TIMEOUT_SECONDS, context=self._tls()
            )
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            client.ehlo()
            if s.starttls:
                client.starttls(context=self._tls())
                client.ehlo()
            if s.username:
                client.login(s.username, s.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def send(self, message: EmailMessage) -> dict[str, str]:
        try:
            if self._client is None:
                self._client = self._connect()
            refused = self._client.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise DeliveryError(smtp_error_text(error)) from None
        return {
            address: f"{code} {reply_text(reply)}" for address, (code, reply) in refused.items()
        }

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()


def transport_from(config: NotifierConfig) -> Transport:
    if config.smtp_url:
        return SmtpTransport(parse_smtp_url(config.smtp_url))
    return MaildirTransport(config.maildir)
