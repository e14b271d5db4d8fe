"""Alembic environment: runs on the connection `obligations init` hands over, or on the
database named by OBLIGATIONS_DATABASE_URL when `alembic` is run by hand."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import notifier.models  # noqa: F401  (the outbox tables join Base.metadata)
from obligations.db import make_engine
from obligations.models import Base
from obligations.settings import get_settings

config = context.config
target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        # SQLite cannot roll DDL back: commit step by step, so a downgrade that refuses
        # (obligations.db.guard_data_loss) leaves the database at a revision it really has.
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url()
    engine = make_engine(url)
    # Not engine.begin(): Alembic opens one transaction per step itself.
    with engine.connect() as connection:
        run_on(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; give a database URL")
run_migrations_online()
