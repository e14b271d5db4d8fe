"""The outbox: every message planned, with the natural keys that make a reminder go out once.

A message is one e-mail (one language, primaries in To, copies in Cc). Each of its
recipients holds a row whose natural key (State, report number, due date, stage, address)
is unique, so planning the same reminder twice, from two sweeps at once, fails on insert.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obligations.models import Base


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_outbox_status"),
        Index("ix_outbox_due_for_delivery", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # reminder, overdue or digest
    kind: Mapped[str] = mapped_column(String(16))
    state_code: Mapped[str | None] = mapped_column(String(3), index=True)
    report_number: Mapped[int | None] = mapped_column(Integer)
    due: Mapped[dt.date | None] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[dt.date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(2))
    # Addresses, one per line.
    to_addresses: Mapped[str] = mapped_column(Text)
    cc_addresses: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(400))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(120))
    attachment_text: Mapped[str | None] = mapped_column(Text)
    # Fixed when planned, so a resend (the at-least-once window) carries the same Message-ID.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Set while a worker sends it; a claim older than this is taken over by another worker.
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    recipients: Mapped[list[OutboxRecipient]] = relationship(
        back_populates="message", order_by="OutboxRecipient.id"
    )


class OutboxRecipient(Base):
    """One address a message was planned for, under its natural key."""

    __tablename__ = "outbox_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    # "<State>|<report number>|<due date>|<stage>|<address>"; for a digest "-|-|<date>|digest|…"
    natural_key: Mapped[str] = mapped_column(String(400), unique=True)
    address: Mapped[str] = mapped_column(String(254))
    # to or cc
    field: Mapped[str] = mapped_column(String(2))

    message: Mapped[OutboxMessage] = relationship(back_populates="recipients")
