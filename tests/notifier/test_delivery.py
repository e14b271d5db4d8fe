"""Delivery when things go wrong: a server down, a server refusing, two sweeps, a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from notifier.clock import utcnow
from notifier.delivery import deliver
from notifier.models import OutboxMessage
from notifier.outbox import list_messages, retry_message
from notifier.service import run_sweep
from notifier.transports import DeliveryError, MaildirTransport, transport_from
from obligations.db import make_engine, session_factory, transaction
from obligations.settings import default_data_dir
from tests.notifier.conftest import MailHandler, SmtpServer, add_contact, config_for, free_port

TODAY = date(2026, 11, 25)


def three_states(factory: sessionmaker[Session]) -> None:
    add_contact(factory, "ALB", "ardit@example.al", "en")
    add_contact(factory, "SEN", "awa@example.sn", "fr")
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")


def later(minutes: int) -> datetime:
    return utcnow() + timedelta(minutes=minutes)


def test_server_down_then_back_delivers_everything_once(
    factory: sessionmaker[Session],
) -> None:
    three_states(factory)
    server = SmtpServer(free_port(), MailHandler())  # not started: nothing listens
    config = config_for(server.url)
    result = run_sweep(factory, config, TODAY, transport_from(config))
    assert len(result.planned) == 3 and result.delivery.retrying == 3
    with factory() as session:
        pending = list_messages(session, status="pending")
        assert len(pending) == 3
        assert all(
            m.attempts == 1 and "Connection refused" in (m.last_error or "") for m in pending
        )
    # Before the backoff has passed, nothing is tried.
    assert deliver(factory, transport_from(config), config).sent == 0

    server.start()
    try:
        report = deliver(factory, transport_from(config), config, clock=lambda: later(2))
        assert report.sent == 3
        assert deliver(factory, transport_from(config), config, clock=lambda: later(60)).sent == 0
    finally:
        server.stop()
    assert sorted(str(r.message["To"]) for r in server.handler.received) == [
        "ana@minex.gob.gt",
        "ardit@example.al",
        "awa@example.sn",
    ]
    with factory() as session:
        assert {m.status for m in list_messages(session)} == {"sent"}


def test_a_refusing_server_ends_in_failed_then_retry_sends(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    smtp.handler.refuse_with = "550 5.1.1 mailbox unavailable"
    config = config_for(smtp.url, max_attempts=3, retry_base_seconds=60)
    run_sweep(factory, config, TODAY, transport_from(config))
    # Backoff doubles: 1 minute after the first failure, 2 after the second.
    assert deliver(factory, transport_from(config), config, clock=lambda: later(1)).sent == 0
    with factory() as session:
        (message,) = list_messages(session)
        assert message.status == "pending" and message.attempts == 2
        row = session.get(OutboxMessage, message.id)
        assert row is not None
        assert row.next_attempt_at > utcnow() + timedelta(minutes=2)
    report = deliver(factory, transport_from(config), config, clock=lambda: later(4))
    assert report.failed == 1
    with factory() as session:
        (message,) = list_messages(session, status="failed")
        assert message.attempts == 3
        assert (
            message.last_error is not None and "550 5.1.1 mailbox unavailable" in message.last_error
        )
    assert deliver(factory, transport_from(config), config, clock=lambda: later(600)).sent == 0

    smtp.handler.refuse_with = None
    with transaction(factory) as session:
        assert retry_message(session, message.id, "test").status == "pending"
    assert deliver(factory, transport_from(config), config, message_id=message.id).sent == 1
    assert len(smtp.handler.received) == 1
    with factory() as session:
        assert list_messages(session)[0].status == "sent"


def test_two_sweeps_racing_send_each_message_once(
    database_url: str, factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    for code, address in [("ALB", "a@example.al"), ("SEN", "s@example.sn"), ("GTM", "g@gob.gt")]:
        add_contact(factory, code, address)
        add_contact(factory, code, "copy-" + address, role="copy")
    config = config_for(smtp.url)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def one_sweep() -> None:
        engine = make_engine(database_url)
        try:
            start.wait()
            run_sweep(session_factory(engine), config, TODAY, transport_from(config))
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    received = Counter(str(r.message["To"]) for r in smtp.handler.received)
    assert received == {"a@example.al": 1, "s@example.sn": 1, "g@gob.gt": 1}
    with factory() as session:
        assert [m.status for m in list_messages(session)] == ["sent"] * 3


def run_remind(database_url: str, smtp_url: str, **env: str) -> subprocess.Popen[bytes]:
    variables = {
        **os.environ,
        "OBLIGATIONS_SMTP_URL": smtp_url,
        "OBLIGATIONS_MAIL_FROM": "cmw-notifier@ohchr.example.org",
        "OBLIGATIONS_SECRETARIAT_EMAILS": "cmw@ohchr.example.org",
        **env,
    }
    command = [str(Path(sys.executable).parent / "obligations"), "--database-url", database_url]
    return subprocess.Popen(
        [*command, "remind"], env=variables, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_a_sweep_killed_mid_delivery_loses_nothing(
    database_url: str, factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    three_states(factory)
    # The server takes the first message, then takes the second and never answers.
    smtp.handler.hold_after = 1
    worker = run_remind(database_url, smtp.url, OBLIGATIONS_LEASE_SECONDS="2")
    assert smtp.handler.holding.wait(30), worker.stderr.read() if worker.stderr else ""
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    smtp.handler.hold_after = None

    with factory() as session:
        rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        assert [r.status for r in rows] == ["sent", "pending", "pending"]
        in_flight = rows[1]
        assert in_flight.claimed_until is not None and in_flight.attempts == 1

    # A new run at once sends the third; the second is still under its lease.
    again = run_remind(database_url, smtp.url, OBLIGATIONS_LEASE_SECONDS="2")
    assert again.wait(60) == 0
    time.sleep(2.2)
    # After the lease, the message that was in flight is claimed and sent again.
    last = run_remind(database_url, smtp.url, OBLIGATIONS_LEASE_SECONDS="2")
    assert last.wait(60) == 0

    with factory() as session:
        rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        assert [r.status for r in rows] == ["sent"] * 3
        assert rows[1].attempts == 2
        assert "interrupted" in (rows[1].last_error or "")
    by_id = Counter(str(r.message["Message-ID"]) for r in smtp.handler.received)
    # Nothing lost; the one message in flight when the worker died went twice, same Message-ID.
    assert set(by_id) == {r.message_id for r in rows}
    assert by_id[rows[1].message_id] == 2
    assert by_id[rows[0].message_id] == by_id[rows[2].message_id] == 1


def test_the_default_maildir_is_made_in_a_data_folder_that_does_not_exist_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A database given by URL: nothing made the data folder, where the default Maildir lives.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "fresh"))
    message = EmailMessage()
    message["Subject"] = "ICRMW reminder"
    message.set_content("Dear focal point")
    MaildirTransport(default_data_dir() / "maildir").send(message)
    assert len(list((default_data_dir() / "maildir" / "new").iterdir())) == 1
    # An explicit folder's missing parents are not made: the failure is said, not hidden.
    with pytest.raises(DeliveryError, match="cannot write to the Maildir"):
        MaildirTransport(tmp_path / "missing" / "maildir").send(message)
