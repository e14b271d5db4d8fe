"""The one session factory, and the Alembic upgrade that `obligations init` runs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if parsed.drivername.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed together, or not at all."""
    with factory() as session, session.begin():
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


def guard_data_loss(tables: Sequence[str], what: str) -> None:
    """In a migration's downgrade: refuse to drop tables holding rows that nothing can rebuild.

    Goes ahead when the tables are empty, or when told `alembic -x allow-data-loss=yes …`.
    """
    from alembic import context, op
    from alembic.util import CommandError

    if context.get_x_argument(as_dictionary=True).get(ALLOW_DATA_LOSS, "").lower() == "yes":
        return
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    held = {
        name: bind.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
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
