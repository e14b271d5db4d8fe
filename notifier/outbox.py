"""The outbox: planned messages written once, claimed by one worker at a time, marked sent.

A worker claims a message by setting `claimed_until` (a lease) in its own short transaction,
sends it, then marks it sent in another. A worker killed in between leaves a lease that
expires, and another worker claims the message again: nothing is lost. The one window where
a message can go out twice is a worker killed after the SMTP server accepted the message and
before the mark was committed; a worker holds one claim at a time, so that is one message.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from notifier.clock import utcnow
from notifier.copying import MESSAGE_COLUMNS, copy_rows, new_message_ids
from notifier.models import OutboxMessage, OutboxRecipient
from notifier.planning import PlannedMessage
from obligations.audit import log_change
from obligations.errors import Conflict, InvalidInput, NotFound

STATUSES = ("pending", "sent", "failed")
MESSAGES = cast(Table, OutboxMessage.__table__)
RECIPIENTS = cast(Table, OutboxRecipient.__table__)
MAX_BACKOFF = timedelta(hours=6)
# A message's values in the order of MESSAGE_COLUMNS after the id.
MessageRow = tuple[
    str, str | None, int | None, date | None, str, date, str, str, str, str, str, str,
    str | None, str | None, str, str, int, datetime, datetime,
]  # fmt: skip


@dataclass(frozen=True)
class MessageView:
    id: int
    status: str  # pending, sent or failed
    state_code: str | None
    recipients: list[str]
    subject: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


def addresses(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


def message_view(row: OutboxMessage) -> MessageView:
    return MessageView(
        id=row.id,
        status=row.status,
        state_code=row.state_code,
        recipients=addresses(row.to_addresses) + addresses(row.cc_addresses),
        subject=row.subject,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


def check_status(status: str | None) -> str | None:
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status: must be pending, sent or failed, not {status!r}")
    return status


def list_messages(
    session: Session,
    *,
    status: str | None = None,
    state_code: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[MessageView]:
    """Messages in the outbox, newest first."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if check_status(status) is not None:
        query = query.where(OutboxMessage.status == status)
    if state_code:
        query = query.where(OutboxMessage.state_code == state_code.strip().upper())
    return [message_view(r) for r in session.scalars(query.limit(limit).offset(offset))]


def count_messages(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: count for status, count in rows})
    return counts


def retry_message(session: Session, message_id: int, actor: str) -> MessageView:
    """Make a pending or failed message due now, whatever its backoff; the audit log says who."""
    row = session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFound(f"no outbox message with id {message_id}")
    now = utcnow()
    if row.status == "sent":
        raise Conflict(
            f"message {message_id} was sent on {row.sent_at:%Y-%m-%d %H:%M} UTC; "
            "it is not sent twice"
        )
    if row.claimed_until is not None and row.claimed_until > now:
        raise Conflict(f"message {message_id} is being sent by a worker right now")
    before = {"status": row.status, "attempts": row.attempts}
    row.status = "pending"
    row.next_attempt_at = now
    row.claimed_until = None
    session.flush()
    after = {"status": row.status, "attempts": row.attempts, "due": "now"}
    log_change(session, actor, "retry", "message", row.id, row.state_code, before, after)
    return message_view(row)


def write_plan(session: Session, planned: Sequence[PlannedMessage]) -> None:
    """Write planned messages and their recipients' natural keys; a key written already fails
    (IntegrityError) and nothing of the plan is kept."""
    if not planned:
        return
    messages = message_rows(planned, utcnow())
    # COPY is psycopg's (the driver for every postgresql:// URL); other drivers insert.
    if session.get_bind().dialect.driver == "psycopg":
        copy_plan(session, messages, planned)
    else:
        insert_plan(session, messages, planned)


def message_rows(planned: Sequence[PlannedMessage], now: datetime) -> list[MessageRow]:
    """Each message's row, its columns in MESSAGE_COLUMNS' order after the id."""
    return [
        (
            p.kind,
            p.state_code,
            p.report_number,
            p.due,
            p.stage,
            p.as_of,
            p.language,
            "\n".join(p.to),
            "\n".join(p.cc),
            p.rendered.subject,
            p.rendered.text,
            p.rendered.html,
            p.attachment_name,
            p.attachment_text,
            # The Message-ID header, fixed now so a resend carries the same one.
            f"<{uuid.uuid4().hex}.{p.stage}@treaty-obligations>",
            "pending",
            0,
            now,
            now,
        )
        for p in planned
    ]


def copy_plan(
    session: Session, messages: Sequence[MessageRow], planned: Sequence[PlannedMessage]
) -> None:
    """PostgreSQL: the rows by COPY, each message with an id taken from its sequence."""
    ids = new_message_ids(session, len(planned))
    copy_rows(
        session,
        ((id_, *row) for id_, row in zip(ids, messages, strict=True)),
        ((id_, *key) for id_, p in zip(ids, planned, strict=True) for key in p.keys),
    )


def insert_plan(
    session: Session, messages: Sequence[MessageRow], planned: Sequence[PlannedMessage]
) -> None:
    """The rows by plain executemany inserts, without RETURNING (SQLite; any database)."""
    columns = MESSAGE_COLUMNS[1:]  # the id is the table's own
    session.execute(insert(MESSAGES), [dict(zip(columns, row, strict=True)) for row in messages])
    # Each recipient finds its message by the Message-ID just written (unique, indexed).
    message = (
        select(MESSAGES.c.id).where(MESSAGES.c.message_id == bindparam("header")).scalar_subquery()
    )
    header = columns.index("message_id")
    session.execute(
        insert(RECIPIENTS).values(message_id=message),
        [
            {"header": row[header], "natural_key": key, "address": address, "field": field}
            for row, p in zip(messages, planned, strict=True)
            for key, address, field in p.keys
        ],
    )


def claim_next(
    session: Session, now: datetime, lease_seconds: int, message_id: int | None = None
) -> OutboxMessage | None:
    """Take the next message due for delivery (or the given one) for `lease_seconds`."""
    free = or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
    query = select(OutboxMessage).where(OutboxMessage.status == "pending", free)
    if message_id is None:
        query = query.where(OutboxMessage.next_attempt_at <= now)
    else:
        query = query.where(OutboxMessage.id == message_id)
    # On PostgreSQL, concurrent workers skip each other's rows; SQLite ignores the clause.
    query = query.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1)
    row = session.scalars(query.with_for_update(skip_locked=True)).first()
    if row is None:
        return None
    previous = row.claimed_until
    same_claim = (
        OutboxMessage.claimed_until.is_(None)
        if previous is None
        else OutboxMessage.claimed_until == previous
    )
    values: dict[str, object] = {
        "claimed_until": now + timedelta(seconds=lease_seconds),
        "attempts": OutboxMessage.attempts + 1,
    }
    if previous is not None:
        values["last_error"] = (
            f"attempt {row.attempts} was interrupted before its result was recorded; "
            "the message may have been delivered then"
        )
    # Conditional, so that on SQLite two workers that read the same row cannot both claim it.
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id, OutboxMessage.status == "pending", same_claim)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session.refresh(row)
    return row


def mark_sent(session: Session, message_id: int, now: datetime, note: str | None = None) -> None:
    values: dict[str, object] = {"status": "sent", "sent_at": now, "claimed_until": None}
    if note is not None:
        values["last_error"] = note
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """base, 2×base, 4×base, … after the 1st, 2nd, 3rd failed attempt; at most six hours."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def mark_failed(
    session: Session,
    message_id: int,
    error: str,
    now: datetime,
    max_attempts: int,
    base_seconds: int,
) -> str:
    """Keep the error; retry later with backoff, or give up after `max_attempts`."""
    row = session.get(OutboxMessage, message_id)
    if row is None:  # deleted by hand meanwhile
        return "failed"
    row.last_error = error
    row.claimed_until = None
    if row.attempts >= max_attempts:
        row.status = "failed"
    else:
        row.status = "pending"
        row.next_attempt_at = now + backoff(row.attempts, base_seconds)
    session.flush()
    return row.status
