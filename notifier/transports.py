"""Where mail goes: an SMTP server (OBLIGATIONS_SMTP_URL), else a local Maildir."""

from __future__ import annotations

import mailbox
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from notifier.config import NotifierConfig
from obligations.errors import InvalidInput
from obligations.settings import default_data_dir

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
            if self.path.parent == default_data_dir():
                # The default Maildir lives in the data folder, which a database given by URL
                # never made; an explicit OBLIGATIONS_MAILDIR's parents are never created.
                self.path.parent.mkdir(parents=True, exist_ok=True)
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


NO_SMTPUTF8 = (
    "not sent to this address: it has non-ASCII characters before the @, and the SMTP server "
    "does not offer SMTPUTF8 (RFC 6531) to carry it"
)


def envelope_recipients(message: EmailMessage) -> list[str]:
    """Every address in To, Cc and Bcc, once each, in order."""
    fields = [str(v) for name in ("To", "Cc", "Bcc") for v in message.get_all(name, [])]
    found = [address for _name, address in getaddresses(fields) if address]
    return list(dict.fromkeys(found))


def ascii_envelope(address: str) -> str | None:
    """The address as a server without SMTPUTF8 can take it (domain in IDNA), or None."""
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        return None
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return None


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
        """One envelope per message; an address the server cannot take fails alone."""
        try:
            if self._client is None:
                self._client = self._connect()
            envelope, unreachable = self._envelope(self._client, envelope_recipients(message))
            if not envelope:
                refused_all = "; ".join(f"{a}: {why}" for a, why in unreachable.items())
                raise DeliveryError(f"no recipient can be reached ({refused_all})")
            refused = self._client.send_message(message, to_addrs=envelope)
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise DeliveryError(smtp_error_text(error)) from None
        return unreachable | {
            address: f"{code} {reply_text(reply)}" for address, (code, reply) in refused.items()
        }

    @staticmethod
    def _envelope(client: smtplib.SMTP, recipients: list[str]) -> tuple[list[str], dict[str, str]]:
        """The addresses to give in RCPT TO, and those this server cannot take, with why."""
        if client.has_extn("smtputf8"):
            return recipients, {}
        envelope, unreachable = [], {}
        for address in recipients:
            plain = ascii_envelope(address)
            if plain is None:
                unreachable[address] = NO_SMTPUTF8
            else:
                envelope.append(plain)
        return envelope, unreachable

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
