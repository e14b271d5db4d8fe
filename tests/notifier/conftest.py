"""A real SMTP server (aiosmtpd on 127.0.0.1) and the notifier's configuration for the tests."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

import notifier.models  # noqa: F401  (the outbox tables join Base.metadata before any reset)
from notifier.config import NotifierConfig
from obligations import contacts, models
from obligations.db import make_engine, session_factory, transaction
from obligations.record import KEPT_CURRENT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    envelope_to: list[str]
    message: EmailMessage


@dataclass
class MailHandler:
    """Records every message the server accepts; can refuse, or hold a delivery open."""

    received: list[Received] = field(default_factory=list)
    refuse_with: str | None = None  # e.g. "550 5.1.1 mailbox unavailable", answered to RCPT
    hold_after: int | None = None  # accept this many, then record the next and never answer
    holding: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, _o: Any
    ) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), message))
            count = len(self.received)
        if self.hold_after is not None and count > self.hold_after:
            # The message is in; the answer never leaves: the client is killed meanwhile.
            self.holding.set()
            while True:
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [str(r.message["Subject"]) for r in self.received]


@dataclass
class SmtpServer:
    port: int
    handler: MailHandler
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port(), MailHandler())
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def kept_current(request: pytest.FixtureRequest) -> None:
    """The notifier's tests run on a record the secretariat keeps current for every State:
    the notifier reminds only what the record vouches for (see test_unverified_*)."""
    if "database_url" not in request.fixturenames or "unverified" in request.node.name:
        return
    engine = make_engine(request.getfixturevalue("database_url"))
    with engine.begin() as connection:
        connection.execute(update(models.State).values(history_researched_until=KEPT_CURRENT))
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


def config_for(smtp_url: str = "", tmp: Path | None = None, **changes: Any) -> NotifierConfig:
    values: dict[str, Any] = {
        "smtp_url": smtp_url,
        "secretariat": ("cmw@ohchr.example.org",),
        "maildir": (tmp or Path("/nonexistent")) / "maildir",
        "retry_base_seconds": 60,
    }
    values.update(changes)
    return NotifierConfig(**values)


def add_contact(
    factory: sessionmaker[Session],
    code: str,
    email: str,
    language: str = "en",
    role: str = "primary",
    name: str = "Focal point",
) -> None:
    with transaction(factory) as session:
        contacts.add_contact(session, code, name, email, language, role)
