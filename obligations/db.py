"""The one session factory, and the Alembic upgrade that `obligations init` runs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from obligations.errors import DatabaseUnavailable, InvalidInput
from obligations.sqlite_url import check_folder

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


SUPPORTED = ("sqlite", "postgresql")
URL_FORMS = "sqlite:///PATH or postgresql://USER@HOST/DB"
# Seconds a PostgreSQL server that does not answer may take before the request gives up.
CONNECT_TIMEOUT_SECONDS = 5


def parse_database_url(url: str) -> URL:
    """A URL naming a supported database (SQLite or PostgreSQL), else InvalidInput."""
    try:
        parsed = make_url(normalise_url(url.strip()))
    except ArgumentError:
        raise InvalidInput(
            f"database URL: {url!r} is not a database URL; give {URL_FORMS}"
        ) from None
    if parsed.get_backend_name() not in SUPPORTED:
        raise InvalidInput(
            f"database URL: {parsed.get_backend_name()} is not supported; give {URL_FORMS}"
        )
    if parsed.get_backend_name() == "sqlite" and not parsed.database:
        raise InvalidInput(f"database URL: {masked(url)} names no file; give {URL_FORMS}")
    return parsed


def masked(url: str | URL) -> str:
    """The URL as it may be printed or logged: any password replaced by ***."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return "(not a database URL)"
    return parsed.render_as_string(hide_password=True)


def sqlite_folder(url: str) -> Path | None:
    """The folder of a SQLite database file; None for other databases and in-memory ones."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database)).expanduser().absolute().parent


def check_database_url(url: str) -> str:
    """The URL, once it names a supported database whose SQLite folder exists and is writable.

    Nothing is created here: `obligations init` creates only the default data folder.
    """
    parse_database_url(url)
    folder = sqlite_folder(url)
    if folder is not None:
        check_folder(folder)
    return url


IMMEDIATE = "obligations_immediate"


def make_engine(url: str) -> Engine:
    """An engine on the database; it connects on first use, never creating folders."""
    parsed = parse_database_url(url)
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        # No server-side prepared statements: PostgreSQL would reuse a generic plan made while
        # a table (the outbox) was empty, and a later sweep's key lookups crawl (issue 13).
        connect_args["prepare_threshold"] = None
    # pool_pre_ping: after a database restart, a pooled connection is replaced, not failed.
    engine = create_engine(parsed, connect_args=connect_args, pool_pre_ping=True)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def unavailable(error: DBAPIError, url: URL | str) -> DatabaseUnavailable:
    """What to say when the database cannot be used: which one (password hidden), and why."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
    return DatabaseUnavailable(f"cannot use the database {masked(url)}: {reason}")


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
    # SQLAlchemy, not the driver, starts transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]


def _sqlite_begin(connection: Connection) -> None:
    """A write transaction takes SQLite's write lock at BEGIN: one writer at a time, and a
    writer never finds the record changed between its check and its insert."""
    immediate = connection.get_execution_options().get(IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed together, or not at all (a write transaction)."""
    with factory() as session, session.begin():
        session.connection(execution_options={IMMEDIATE: True})
        yield session


def alembic_config(url: str) -> object:
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision on the given engine."""
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection  # type: ignore[attr-defined]
        command.upgrade(config, "head")  # type: ignore[arg-type]


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("states")


ALLOW_DATA_LOSS = "allow-data-loss"


def guard_data_loss(tables: Sequence[str], what: str, where: str = "") -> None:
    """In a migration's downgrade: refuse to drop tables holding rows that nothing can rebuild
    (or, with `where`, a column: the rows matching it).

    Goes ahead when no row is held, or when told `alembic -x allow-data-loss=yes …`.
    """
    from alembic import context, op
    from alembic.util import CommandError

    if context.get_x_argument(as_dictionary=True).get(ALLOW_DATA_LOSS, "").lower() == "yes":
        return
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    held = {
        name: bind.execute(
            text(f'SELECT count(*) FROM "{name}"' + (f" WHERE {where}" if where else ""))
        ).scalar_one()
        for name in tables
        if name in present
    }
    rows = ", ".join(f"{name} ({count} rows)" for name, count in held.items() if count)
    if rows:
        raise CommandError(
            f"refusing to downgrade: it would drop {what}, which nothing can rebuild: {rows}. "
            f"Back the database up, then run `alembic -x {ALLOW_DATA_LOSS}=yes downgrade …` "
            "to drop them anyway."
        )
