"""Writing a plan on PostgreSQL with COPY: two streams instead of 15,000 inserts.

Binary COPY, each column in its type's binary form (from the models), so the server parses no
text: the bodies are most of the 13 MB a 10,000-State sweep writes.

The messages' ids are taken from their sequence first (one statement), in the plan's order as
an insert would have taken them, so each recipient row carries its message's id and needs no
lookup. The unique constraints still decide: a natural key another sweep wrote first fails the
COPY, reported as the IntegrityError an insert raises, and nothing of the plan is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

import psycopg
from sqlalchemy import Table, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notifier.models import OutboxMessage, OutboxRecipient

MESSAGE_COLUMNS = (
    "id",
    "kind",
    "state_code",
    "report_number",
    "due",
    "stage",
    "as_of",
    "language",
    "to_addresses",
    "cc_addresses",
    "subject",
    "body_text",
    "body_html",
    "attachment_name",
    "attachment_text",
    "message_id",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
)
RECIPIENT_COLUMNS = ("message_id", "natural_key", "address", "field")
MESSAGES = cast(Table, OutboxMessage.__table__)
RECIPIENTS = cast(Table, OutboxRecipient.__table__)
NEW_IDS = text(
    "SELECT nextval(pg_get_serial_sequence('outbox_messages', 'id')) "
    "FROM generate_series(1, :count)"
)


def binary_types(table: Table, columns: Sequence[str], dialect: Dialect) -> list[str]:
    """The columns' PostgreSQL type names as psycopg knows them: varchar, int4, date, ..."""
    names = [table.c[c].type.compile(dialect=dialect).split("(")[0].lower() for c in columns]
    return [psycopg.postgres.types[name].name for name in names]


def copy_statement(table: Table, columns: Sequence[str]) -> str:
    return f"COPY {table.name} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"


def new_message_ids(session: Session, count: int) -> list[int]:
    """`count` ids from the messages' sequence, ascending (as inserts in turn would get)."""
    return sorted(session.execute(NEW_IDS, {"count": count}).scalars())


def copy_rows(
    session: Session,
    messages: Iterable[Sequence[Any]],
    recipients: Iterable[Sequence[Any]],
) -> None:
    """COPY message rows (MESSAGE_COLUMNS) and recipient rows (RECIPIENT_COLUMNS) in the
    session's transaction."""
    raw = session.connection().connection.driver_connection
    connection = cast(psycopg.Connection[Any], raw)
    dialect = session.get_bind().dialect
    statement = ""
    try:
        with connection.cursor() as cursor:
            for table, columns, rows in (
                (MESSAGES, MESSAGE_COLUMNS, messages),
                (RECIPIENTS, RECIPIENT_COLUMNS, recipients),
            ):
                statement = copy_statement(table, columns)
                with cursor.copy(statement) as copy:
                    copy.set_types(binary_types(table, columns, dialect))
                    for row in rows:
                        copy.write_row(row)
    except psycopg.IntegrityError as error:
        # What plan_and_write waits for: another sweep wrote some of these keys first.
        raise IntegrityError(statement, None, error) from error
