"""Writing a plan to the outbox, on SQLite (inserts) and PostgreSQL (COPY): every value stored
as planned, in the plan's order; a natural key written already fails the whole plan; a sweep
that lost the race to another plans again and writes nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from notifier.config import NotifierConfig
from notifier.models import OutboxMessage, OutboxRecipient
from notifier.outbox import insert_plan, message_rows, write_plan
from notifier.planning import PlannedMessage, plan_sweep
from notifier.rendering import Rendered
from notifier.service import plan_and_write
from obligations.db import transaction
from tests.notifier.conftest import config_for
from tests.notifier.test_repeat_sweep import contacts_for_every_state_with_an_action

TODAY = date(2026, 11, 25)
# What a COPY stream must escape (its null marker, tabs, line ends, backslashes) and more.
AWKWARD = "\\N a\tb\r\nc\\d \\\\. é ß 中文 ✉️ \u200f\u05e9\u05dc\u05d5\u05dd %s %(x)s <b>&amp;</b>"


def planned(code: str, number: int, text: str, **changes: Any) -> PlannedMessage:
    values: dict[str, Any] = {
        "kind": "overdue",
        "state_code": code,
        "report_number": number,
        "due": date(2020, 7, 1),
        "stage": "overdue-1",
        "as_of": TODAY,
        "language": "fr",
        "to": ("fp@example.org", "deux@example.org"),
        "cc": (),
        "keys": tuple(
            (f"{code}|{number}|2020-07-01|overdue-1|{a}", a, "to")
            for a in ("fp@example.org", "deux@example.org")
        ),
        "rendered": Rendered(f"Sujet {text}", f"Texte {text}\n" * 400, f"<p>{text}</p>\n" * 400),
    }
    return PlannedMessage(**{**values, **changes})


def stored(factory: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    """Every message as written, in id order, with its recipients in id order."""
    m, r = OutboxMessage, OutboxRecipient
    with factory() as session:
        keys: dict[int, list[tuple[str, str, str]]] = {}
        for message_id, key, address, field in session.execute(
            select(r.message_id, r.natural_key, r.address, r.field).order_by(r.id)
        ):
            keys.setdefault(message_id, []).append((key, address, field))
        columns = (m.kind, m.state_code, m.report_number, m.due, m.stage, m.as_of, m.language)
        rows = session.execute(
            select(
                m.id,
                *columns,
                m.to_addresses,
                m.cc_addresses,
                m.subject,
                m.body_text,
                m.body_html,
                m.attachment_name,
                m.attachment_text,
                m.status,
                m.attempts,
            ).order_by(m.id)
        )
        return [(*row[1:], tuple(keys.get(row[0], ()))) for row in rows]


def as_planned(p: PlannedMessage) -> tuple[Any, ...]:
    return (
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
        "pending",
        0,
        p.keys,
    )


def test_every_value_is_stored_as_planned_in_the_plan_s_order(
    factory: sessionmaker[Session],
) -> None:
    plan = [
        planned("SEN", 2, AWKWARD),
        planned(
            "ALB",
            1,
            "",
            kind="reminder",
            stage="reminder-180",
            language="en",
            cc=("copy@example.org",),
            keys=(
                ("ALB|1|2020-07-01|reminder-180|fp@example.org", "fp@example.org", "to"),
                ("ALB|1|2020-07-01|reminder-180|copy@example.org", "copy@example.org", "cc"),
            ),
        ),
        planned(
            "-",
            3,
            "digest",
            kind="digest",
            state_code=None,
            report_number=None,
            due=None,
            keys=(("-|-|2026-11-25|digest|fp@example.org", "fp@example.org", "to"),),
            attachment_name="overdue.csv",
            attachment_text=f"code,name\r\nSEN,{AWKWARD}\r\n",
        ),
    ]
    with transaction(factory) as session:
        write_plan(session, plan)
    assert stored(factory) == [as_planned(p) for p in plan]


def test_a_real_sweep_stores_the_same_messages_by_copy_as_by_inserts(
    factory: sessionmaker[Session], database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("COPY is PostgreSQL's; SQLite writes by inserts")
    contacts_for_every_state_with_an_action(factory)
    with factory() as session:
        plan = plan_sweep(session, TODAY, config_for())
    assert len(plan) > 50

    def by_inserts(session: Session, plan: list[PlannedMessage]) -> None:
        insert_plan(session, message_rows(plan, datetime(2026, 11, 25, 6)), plan)

    written, inserts = [], []
    for write in (write_plan, by_inserts):
        with transaction(factory) as session, statements_sent(session) as sent:
            write(session, plan)
        inserts.append(sum(1 for statement in sent if statement.startswith("INSERT")))
        written.append(stored(factory))
        with transaction(factory) as session:
            session.execute(delete(OutboxRecipient))
            session.execute(delete(OutboxMessage))
    assert written[0] == written[1] == [as_planned(p) for p in plan]
    assert inserts == [0, 2]  # write_plan copied: no insert statement went to the server


@contextmanager
def statements_sent(session: Session) -> Iterator[list[str]]:
    """The statements sent through SQLAlchemy in the block (a COPY's rows are not)."""
    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(args[2].lstrip().upper())  # the statement

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(bind, "before_cursor_execute", record)


def outbox_size(factory: sessionmaker[Session]) -> tuple[int, int]:
    with factory() as session:
        messages = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        keys = session.scalar(select(func.count()).select_from(OutboxRecipient)) or 0
    return messages, keys


def test_a_key_written_already_fails_the_whole_plan(factory: sessionmaker[Session]) -> None:
    first = planned("SEN", 2, "first")
    with transaction(factory) as session:
        write_plan(session, [first])
    again = planned("SEN", 2, "again")
    with pytest.raises(IntegrityError), transaction(factory) as session:
        write_plan(session, [planned("ALB", 1, "new"), again])
    assert stored(factory) == [as_planned(first)]


def test_a_sweep_that_lost_the_race_plans_again_and_writes_nothing_twice(
    factory: sessionmaker[Session],
) -> None:
    contacts_for_every_state_with_an_action(factory)
    config = config_for()
    with factory() as session:
        stale = plan_sweep(session, TODAY, config)
    # Another sweep writes the same plan first...
    plan_and_write(factory, lambda _s, _d, _c: stale, TODAY, config)
    written = outbox_size(factory)
    assert written == (len(stale), sum(len(p.keys) for p in stale))
    tries: list[int] = []

    def late_planner(session: Session, day: date, settings: NotifierConfig) -> list[PlannedMessage]:
        # ... after this one had planned: its first try writes keys that are taken.
        tries.append(len(tries) + 1)
        return stale if len(tries) == 1 else plan_sweep(session, day, settings)

    assert plan_and_write(factory, late_planner, TODAY, config) == []
    assert tries == [1, 2]
    assert outbox_size(factory) == written
