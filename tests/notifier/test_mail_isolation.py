"""An address the relay cannot take fails alone: the rest of the group still gets the message,
and the outbox says which address failed and why."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session, sessionmaker

from notifier.outbox import list_messages
from notifier.service import run_sweep
from notifier.transports import transport_from
from tests.notifier.conftest import MailHandler, add_contact, config_for, free_port

TODAY = date(2026, 11, 25)
NON_ASCII = "jösé@minex.gob.gt"
OTHERS = [
    "ana@minex.gob.gt",
    "luis@minex.gob.gt",
    "marta@minex.gob.gt",
    "pedro@minex.gob.gt",
]


@dataclass
class Relay:
    url: str
    handler: MailHandler

    def envelopes(self) -> list[list[str]]:
        return [r.envelope_to for r in self.received()]

    def received(self) -> list[Any]:
        return list(self.handler.received)


class RefusingOne(MailHandler):
    """Answers 550 to one mailbox, 250 to the others."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, _o: Any
    ) -> str:
        if address == "pedro@minex.gob.gt":
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def start_relay(handler: MailHandler, smtputf8: bool) -> Iterator[Relay]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=smtputf8)
    controller.start()
    try:
        yield Relay(f"smtp://127.0.0.1:{port}", handler)
    finally:
        controller.stop()


@pytest.fixture
def plain_relay() -> Iterator[Relay]:
    yield from start_relay(MailHandler(), smtputf8=False)


@pytest.fixture
def utf8_relay() -> Iterator[Relay]:
    yield from start_relay(MailHandler(), smtputf8=True)


@pytest.fixture
def refusing_relay() -> Iterator[Relay]:
    yield from start_relay(RefusingOne(), smtputf8=False)


def guatemala_group(factory: sessionmaker[Session]) -> None:
    """Five focal points of one State, one language: one message to all five."""
    for number, address in enumerate([NON_ASCII, *OTHERS]):
        add_contact(factory, "GTM", address, "es", "primary" if number < 3 else "copy")


def sweep(factory: sessionmaker[Session], relay: Relay) -> Any:
    config = config_for(relay.url)
    return run_sweep(factory, config, TODAY, transport_from(config))


def only_message(factory: sessionmaker[Session]) -> Any:
    with factory() as session:
        messages = [m for m in list_messages(session) if m.state_code == "GTM"]
    assert len(messages) == 1
    return messages[0]


def test_a_non_ascii_address_fails_alone_on_a_relay_without_smtputf8(
    factory: sessionmaker[Session], plain_relay: Relay
) -> None:
    guatemala_group(factory)
    result = sweep(factory, plain_relay)
    assert result.delivery.sent == 1 and result.delivery.failed == 0
    assert sorted(plain_relay.envelopes()[0]) == OTHERS
    message = only_message(factory)
    assert message.status == "sent"
    assert "delivered to 4 of 5 recipients" in message.last_error
    assert f"not delivered to {NON_ASCII}" in message.last_error
    assert "SMTPUTF8" in message.last_error


def test_a_relay_with_smtputf8_takes_every_address(
    factory: sessionmaker[Session], utf8_relay: Relay
) -> None:
    guatemala_group(factory)
    assert sweep(factory, utf8_relay).delivery.sent == 1
    assert sorted(utf8_relay.envelopes()[0]) == sorted([NON_ASCII, *OTHERS])
    message = only_message(factory)
    assert message.status == "sent" and message.last_error is None


def test_a_mailbox_the_relay_refuses_fails_alone_and_is_named(
    factory: sessionmaker[Session], refusing_relay: Relay
) -> None:
    guatemala_group(factory)
    assert sweep(factory, refusing_relay).delivery.sent == 1
    assert sorted(refusing_relay.envelopes()[0]) == [
        "ana@minex.gob.gt",
        "luis@minex.gob.gt",
        "marta@minex.gob.gt",
    ]
    note = only_message(factory).last_error
    assert "delivered to 3 of 5 recipients" in note
    assert "pedro@minex.gob.gt: 550 5.1.1 mailbox unavailable" in note
    assert f"{NON_ASCII}: not sent to this address" in note


def test_a_message_no_recipient_can_take_is_kept_to_retry_with_why(
    factory: sessionmaker[Session], plain_relay: Relay
) -> None:
    add_contact(factory, "GTM", NON_ASCII, "es")
    result = sweep(factory, plain_relay)
    assert result.delivery.sent == 0 and result.delivery.retrying == 1
    assert plain_relay.received() == []
    message = only_message(factory)
    assert message.status == "pending"
    assert "no recipient can be reached" in message.last_error and NON_ASCII in message.last_error


def test_an_internationalised_domain_goes_out_in_idna(
    factory: sessionmaker[Session], plain_relay: Relay
) -> None:
    add_contact(factory, "GTM", "ana@müller.example", "es")
    assert sweep(factory, plain_relay).delivery.sent == 1
    assert plain_relay.envelopes() == [["ana@xn--mller-kva.example"]]
