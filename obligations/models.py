"""The stored facts: States, depositary actions, reports received, reviews, Committee decisions.

Only facts live here; every conclusion (entry into force, due, overdue) is computed by rules/.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class State(Base):
    __tablename__ = "states"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    regional_group: Mapped[str | None] = mapped_column(String(8))
    membership: Mapped[str] = mapped_column(String(10), default="member")
    # How far the State's reporting history has been researched (None: not researched).
    history_researched_until: Mapped[dt.date | None] = mapped_column(Date)
    history_note: Mapped[str | None] = mapped_column(Text)

    former_names: Mapped[list[StateName]] = relationship(
        back_populates="state", order_by="StateName.used_until"
    )


class StateName(Base):
    """An earlier UN short name and the first day it was no longer used."""

    __tablename__ = "state_names"
    __table_args__ = (UniqueConstraint("state_code", "name", "used_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    used_until: Mapped[dt.date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(16), default="day")
    note: Mapped[str | None] = mapped_column(Text)

    state: Mapped[State] = relationship(back_populates="former_names")


class DepositaryAction(Base):
    __tablename__ = "depositary_actions"
    __table_args__ = (
        UniqueConstraint("state_code", "action", "date", "articles", name="uq_action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    # "month": the record knows only the month of deposit (the date is that month's last day).
    date_precision: Mapped[str] = mapped_column(String(5), default="day", server_default="day")
    # Articles of a declaration or withdrawal, ';'-separated as in the depositary record.
    articles: Mapped[str] = mapped_column(String(16), default="")
    effective: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200))
    notification: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


def precision_column() -> Mapped[str]:
    return mapped_column(String(5), default="day", server_default="day")


class ReportReceived(Base):
    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("first_number >= 1 AND last_number >= first_number", name="ck_numbers"),
        # One receipt per report number: combined reports cannot share a first or last number.
        UniqueConstraint("state_code", "first_number", name="uq_report_first"),
        UniqueConstraint("state_code", "last_number", name="uq_report_last"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    first_number: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer)
    received: Mapped[dt.date] = mapped_column(Date)
    received_precision: Mapped[str] = precision_column()
    symbol: Mapped[str | None] = mapped_column(String(64))
    procedure: Mapped[str] = mapped_column(String(16), default="standard")
    source: Mapped[str | None] = mapped_column(String(500))
    # Why the report stands though it skips a number still open (see rules/sequence.py).
    out_of_sequence: Mapped[str | None] = mapped_column(String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("first_number >= 1 AND last_number >= first_number", name="ck_numbers"),
        UniqueConstraint("state_code", "first_number", "last_number", "date", name="uq_review"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    first_number: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer)
    session: Mapped[int | None] = mapped_column(Integer)
    date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    symbol: Mapped[str | None] = mapped_column(String(64))
    without_report: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    source: Mapped[str | None] = mapped_column(String(500))
    # Why the review stands though the reports it covers are not on record as received.
    out_of_sequence: Mapped[str | None] = mapped_column(String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class CommitteeDecision(Base):
    __tablename__ = "committee_decisions"
    __table_args__ = (
        UniqueConstraint("state_code", "report_number", "decided", "kind", name="uq_decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="fix_due_date")
    report_number: Mapped[int] = mapped_column(Integer)
    due: Mapped[dt.date] = mapped_column(Date)
    due_precision: Mapped[str] = precision_column()
    decided: Mapped[dt.date] = mapped_column(Date)
    decided_precision: Mapped[str] = precision_column()
    symbol: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class ListOfIssuesPriorToReporting(Base):
    """A LOIPR (simplified procedure): the State's replies are report `report_number`."""

    __tablename__ = "loiprs"
    __table_args__ = (UniqueConstraint("state_code", "report_number", name="uq_loiprs"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    report_number: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(64))
    transmitted: Mapped[dt.date] = mapped_column(Date)
    transmitted_precision: Mapped[str] = precision_column()
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    deadline_precision: Mapped[str] = precision_column()
    source: Mapped[str] = mapped_column(String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class ListOfIssues(Base):
    """A list of issues under the standard procedure, and when its replies came."""

    __tablename__ = "lists_of_issues"
    __table_args__ = (UniqueConstraint("state_code", "symbol", name="uq_lists_of_issues"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    report_number: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(64))
    issued: Mapped[dt.date] = mapped_column(Date)
    issued_precision: Mapped[str] = precision_column()
    replies_received: Mapped[dt.date | None] = mapped_column(Date)
    replies_precision: Mapped[str] = precision_column()
    replies_symbol: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class ConcludingObservations(Base):
    """Concluding observations: they fix (or defer) the next report and ask for follow-up."""

    __tablename__ = "concluding_observations"
    __table_args__ = (UniqueConstraint("state_code", "number", name="uq_concluding_observations"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(64))
    adopted: Mapped[dt.date] = mapped_column(Date)
    adopted_precision: Mapped[str] = precision_column()
    session: Mapped[int | None] = mapped_column(Integer)
    next_first: Mapped[int | None] = mapped_column(Integer)
    next_last: Mapped[int | None] = mapped_column(Integer)
    next_due: Mapped[dt.date | None] = mapped_column(Date)
    next_due_precision: Mapped[str] = precision_column()
    next_due_mode: Mapped[str] = mapped_column(String(16))
    follow_up_due: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_precision: Mapped[str] = precision_column()
    follow_up_paragraphs: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class FollowUpReceived(Base):
    """Follow-up information (CMW/C/<code>/FCO/<n>) on concluding observations number n."""

    __tablename__ = "follow_up_received"
    __table_args__ = (UniqueConstraint("state_code", "number", name="uq_follow_up_received"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str | None] = mapped_column(String(64))
    received: Mapped[dt.date] = mapped_column(Date)
    received_precision: Mapped[str] = precision_column()
    source: Mapped[str] = mapped_column(String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Contact(Base):
    """A State's focal point: personal data, never part of the public record."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("state_code", "email", name="uq_contact_email"),
        CheckConstraint("language IN ('en', 'fr', 'es')", name="ck_contact_language"),
        CheckConstraint("role IN ('primary', 'copy')", name="ck_contact_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="en")
    role: Mapped[str] = mapped_column(String(8), default="primary")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class ApiToken(Base):
    """A bearer token; only its SHA-256 digest is kept."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("role IN ('secretariat', 'focal-point')", name="ck_token_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """One write: who, when, what, and the record before and after (JSON)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(240))
    operation: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    state_code: Mapped[str | None] = mapped_column(String(3), index=True)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class RecordRevision(Base):
    """A single row counting the changes to the facts (see obligations.revision)."""

    __tablename__ = "record_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
