"""Delivering the outbox: claim one message, send it, record the outcome; repeat."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from notifier.clock import utcnow
from notifier.config import NO_SECRETARIAT, NotifierConfig
from notifier.mail import build_email
from notifier.outbox import claim_next, mark_failed, mark_sent
from notifier.transports import DeliveryError, Transport, envelope_recipients
from obligations.db import transaction

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    held: str | None = None  # why nothing was sent at all


def partial_note(refused: dict[str, str], recipients: int) -> str:
    """What the outbox keeps when some addresses failed: which, and why; the others got it."""
    delivered = recipients - len(refused)
    failed = "; ".join(f"{address}: {reason}" for address, reason in refused.items())
    return f"delivered to {delivered} of {recipients} recipients; not delivered to {failed}"


def deliver(
    factory: sessionmaker[Session],
    transport: Transport,
    config: NotifierConfig,
    *,
    clock: Callable[[], datetime] = utcnow,
    message_id: int | None = None,
    limit: int | None = None,
) -> DeliveryReport:
    """Send every message due (or just `message_id`), one claim at a time.

    Without a secretariat address nothing leaves: a reminder would invite replies to
    nobody. Messages stay pending and go once an address is set.
    """
    if not config.secretariat:
        transport.close()
        return DeliveryReport(held=NO_SECRETARIAT)
    report = DeliveryReport()
    try:
        while limit is None or report.sent + report.retrying + report.failed < limit:
            with transaction(factory) as session:
                row = claim_next(session, clock(), config.lease_seconds, message_id)
                if row is None:
                    break
                claimed_id = row.id
                email = build_email(row, config)
            try:
                refused = transport.send(email)
            except DeliveryError as error:
                with transaction(factory) as session:
                    outcome = mark_failed(
                        session,
                        claimed_id,
                        str(error),
                        clock(),
                        config.max_attempts,
                        config.retry_base_seconds,
                    )
                log.warning("message %s not sent (%s): %s", claimed_id, outcome, error)
                report.errors.append((claimed_id, str(error)))
                if outcome == "failed":
                    report.failed += 1
                else:
                    report.retrying += 1
            else:
                note = partial_note(refused, len(envelope_recipients(email))) if refused else None
                if note:
                    log.warning("message %s: %s", claimed_id, note)
                with transaction(factory) as session:
                    mark_sent(session, claimed_id, clock(), note)
                report.sent += 1
            if message_id is not None:
                break
    finally:
        transport.close()
    return report
