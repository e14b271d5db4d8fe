"""A repeat sweep in the same process, on SQLite and on PostgreSQL: it plans and writes nothing
once every key is in the outbox. And on PostgreSQL no statement is prepared on the server, so a
plan made while the outbox was empty is never reused once it is full (the trap that made a
repeat sweep at 10,000 States take 30 s: psycopg prepared the key lookup after five runs)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from notifier.models import OutboxMessage, OutboxRecipient
from notifier.planning import plan_sweep
from notifier.service import plan_and_write
from obligations import contacts, models
from obligations.db import transaction
from tests.notifier.conftest import config_for

TODAY = date(2026, 11, 25)
LANGUAGES = ("en", "fr", "es")


def contacts_for_every_state_with_an_action(factory: sessionmaker[Session]) -> int:
    with transaction(factory) as session:
        codes = sorted(set(session.scalars(select(models.DepositaryAction.state_code))))
        for i, code in enumerate(codes):
            language = LANGUAGES[i % 3]
            for who, role in (("fp", "primary"), ("mission", "copy")):
                address = f"{who}@{code.lower()}.example.org"
                contacts.add_contact(session, code, who, address, language, role)
    return len(codes)


def outbox_counts(factory: sessionmaker[Session]) -> tuple[int, int]:
    with factory() as session:
        messages = session.scalar(select(func.count()).select_from(OutboxMessage))
        keys = session.scalar(select(func.count()).select_from(OutboxRecipient))
    return messages or 0, keys or 0


def test_a_repeat_sweep_in_the_same_process_plans_and_writes_nothing(
    factory: sessionmaker[Session],
) -> None:
    assert contacts_for_every_state_with_an_action(factory) > 60
    config = config_for()
    first = plan_and_write(factory, plan_sweep, TODAY, config)
    assert len(first) > 50
    assert {p.kind for p in first} == {"overdue", "reminder"}
    written = outbox_counts(factory)
    assert written == (len(first), sum(len(p.keys) for p in first))
    for _ in range(3):
        assert plan_and_write(factory, plan_sweep, TODAY, config) == []
        assert outbox_counts(factory) == written


def test_no_statement_is_prepared_on_the_postgresql_server(
    factory: sessionmaker[Session], database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("prepared statements are PostgreSQL's")
    contacts_for_every_state_with_an_action(factory)
    config = config_for()
    plan_and_write(factory, plan_sweep, TODAY, config)
    with factory() as session:
        # psycopg prepares a statement run five times on one connection, unless told not to.
        for _ in range(6):
            assert plan_sweep(session, TODAY, config) == []
        prepared = session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared == 0
