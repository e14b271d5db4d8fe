"""The record's one loader (literal SQL on a DB-API connection) against the SQLAlchemy reading
it replaced: the same facts, of the same types, in the same order, on SQLite and PostgreSQL;
and the CLI's answers from it equal to the answers computed in process through SQLAlchemy."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from obligations import models, queries
from obligations.db import make_engine, masked, session_factory, sqlite_folder, transaction
from obligations.record import (
    FACT_QUERIES,
    FORMER_NAMES,
    KEPT_CURRENT,
    STATES,
    Record,
    StateEntry,
    load_record,
    to_action,
    to_decision,
    to_follow_up,
    to_list_of_issues,
    to_loipr,
    to_observations,
    to_report,
    to_review,
)
from obligations.rules.names import FormerName
from obligations.schema_head import HEAD_REVISION
from obligations.serialize import jsonable
from obligations.sqlite_record import read_sqlite_record
from obligations.sqlite_url import plain_sqlite_file
from tests.obligations.cli_runner import run_cli

# Record's field, the model, the to_* function: as the SQLAlchemy reading mapped them.
READ_BEFORE: list[tuple[str, type[models.Base], Callable[[Any], Any], bool]] = [
    ("actions", models.DepositaryAction, to_action, False),  # always every State's
    ("reports", models.ReportReceived, to_report, True),
    ("reviews", models.Review, to_review, True),
    ("decisions", models.CommitteeDecision, to_decision, True),
    ("loiprs", models.ListOfIssuesPriorToReporting, to_loipr, True),
    ("lists_of_issues", models.ListOfIssues, to_list_of_issues, True),
    ("observations", models.ConcludingObservations, to_observations, True),
    ("follow_ups", models.FollowUpReceived, to_follow_up, True),
]
MODELS = {
    m.__tablename__: m for m in (models.State, models.StateName, *(r[1] for r in READ_BEFORE))
}


def read_through_sqlalchemy(session: Session, state: str | None = None) -> Record:
    """The record as the loader read it before: Core selects of every column, typed by the
    models (SQLAlchemy's Date and Boolean turning SQLite's text and 0/1 into values)."""

    def rows(model: type[models.Base], by_state: str | None = None) -> Iterator[Any]:
        table = model.__table__
        query = select(*table.columns)
        if by_state is not None:
            query = query.where(table.c.state_code == by_state)
        return iter(session.execute(query))

    former: dict[str, list[FormerName]] = defaultdict(list)
    for row in rows(models.StateName):
        former[row.state_code].append(FormerName(row.name, row.used_until))
    record = Record(
        {
            s.code: StateEntry(
                s.code,
                s.name,
                s.regional_group,
                tuple(former[s.code]),
                s.history_researched_until,
                s.history_note,
            )
            for s in rows(models.State)
        }
    )
    for name, model, to_fact, filtered in READ_BEFORE:
        for row in rows(model, state if filtered else None):
            getattr(record, name)[row.state_code].append(to_fact(row))
    return record


def typed(value: Any) -> Any:
    """Every value with its type, in order: True and 1, a date and its text, tell apart."""
    if isinstance(value, Record):
        fields = ["states", *(name for name, *_ in READ_BEFORE)]
        return {name: typed(list(getattr(value, name).items())) for name in fields}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [(f.name, typed(getattr(value, f.name))) for f in dataclasses.fields(value)]
    if isinstance(value, list | tuple):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def add_awkward_rows(engine: Engine) -> None:
    """Rows with NULLs, month and year precision, both booleans, out-of-sequence reasons, and
    former names added out of name order."""
    with transaction(session_factory(engine)) as session:
        session.add_all(
            [
                models.State(code="ZZA", name="Testland", regional_group=None),
                models.State(
                    code="ZZB",
                    name="Otherland",
                    regional_group="AFR",
                    history_researched_until=KEPT_CURRENT,
                    history_note="kept current",
                ),
            ]
        )
        session.flush()
        session.add_all(
            [
                models.StateName(state_code="ZZA", name="Zeta", used_until=date(2001, 1, 1)),
                models.StateName(state_code="ZZA", name="Alpha", used_until=date(1999, 1, 1)),
                models.DepositaryAction(
                    state_code="ZZA", action="signature", date=date(2005, 5, 31),
                    date_precision="month", articles="", source="UNTC",
                ),
                models.DepositaryAction(
                    state_code="ZZA", action="ratification", date=date(2006, 1, 2),
                    articles="", effective=date(2006, 5, 1), source="UNTC",
                    notification="C.N.1.2006", note="a note",
                ),
                models.ReportReceived(
                    state_code="ZZA", first_number=1, last_number=2, received=date(2010, 12, 31),
                    received_precision="year", procedure="simplified",
                    out_of_sequence="the Committee asked for both",
                ),
                models.Review(
                    state_code="ZZA", first_number=1, last_number=2, date=date(2011, 4, 1),
                    without_report=True, out_of_sequence="reviewed in the absence",
                ),
                models.Review(
                    state_code="ZZA", first_number=3, last_number=3, session=30,
                    date=date(2019, 4, 2), end_date=date(2019, 4, 3), symbol="CMW/C/SR.1",
                    without_report=False, source="a page",
                ),
                models.CommitteeDecision(
                    state_code="ZZA", kind="request_report", report_number=3,
                    due=date(2012, 6, 30), due_precision="month", decided=date(2011, 4, 2),
                ),
                models.ListOfIssuesPriorToReporting(
                    state_code="ZZA", report_number=3, symbol="CMW/C/ZZA/QPR/3",
                    transmitted=date(2012, 12, 31), transmitted_precision="year", source="s",
                ),
                models.ListOfIssues(
                    state_code="ZZA", report_number=1, symbol="CMW/C/ZZA/Q/1",
                    issued=date(2010, 6, 30), issued_precision="month", source="s",
                ),
                models.ConcludingObservations(
                    state_code="ZZA", number=1, symbol="CMW/C/ZZA/CO/1", adopted=date(2011, 4, 5),
                    next_due_mode="unknown", source="s",
                ),
                models.FollowUpReceived(
                    state_code="ZZA", number=1, received=date(2012, 3, 31),
                    received_precision="month", source="s",
                ),
            ]
        )  # fmt: skip


@pytest.mark.parametrize("state", [None, "ZZA", "GTM"])
def test_the_loader_gives_the_record_sqlalchemy_read(engine: Engine, state: str | None) -> None:
    add_awkward_rows(engine)
    with session_factory(engine)() as session:
        before = read_through_sqlalchemy(session, state)
        after = load_record(session, state)
        whole = load_record(session)
    assert typed(after) == typed(before)
    assert after == before
    # The awkward rows are in it, as they were stored.
    zza = typed(whole.reviews["ZZA"])
    assert [dict(r)["without_report"] for r in zza] == [("bool", True), ("bool", False)]
    assert [f.name for f in whole.states["ZZA"].former_names] == ["Zeta", "Alpha"]
    assert whole.reports["ZZA"][0].out_of_sequence == "the Committee asked for both"
    assert whole.observations["ZZA"][0].next_due is None


def test_the_cli_reads_a_sqlite_file_as_sqlalchemy_read_it(
    database_url: str, engine: Engine
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the standard library's reading is of SQLite files")
    add_awkward_rows(engine)
    with session_factory(engine)() as session:
        before = read_through_sqlalchemy(session)
    after = read_sqlite_record(database_url)
    assert after is not None
    assert typed(after) == typed(before)


def test_pending_changes_are_read_as_a_query_through_the_session_read_them(
    engine: Engine,
) -> None:
    with transaction(session_factory(engine)) as session:
        session.add(models.StateName(state_code="GTM", name="Old", used_until=date(1990, 1, 1)))
        assert load_record(session).states["GTM"].former_names[-1].name == "Old"
        session.rollback()


class Reading:
    """A row that notes which columns are read of it."""

    def __init__(self, row: Any) -> None:
        self._row = row
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        self.read.add(name)
        return getattr(self._row, name)


def test_each_query_names_exactly_the_columns_its_facts_are_made_of(engine: Engine) -> None:
    queries_by_table = {
        q.table: q for q in (STATES, FORMER_NAMES, *(q for _, q, _ in FACT_QUERIES))
    }
    assert sorted(queries_by_table) == sorted(MODELS)
    # The States and their former names are read by record_from itself.
    assert STATES.columns == (
        "code", "name", "regional_group", "history_researched_until", "history_note",
    )  # fmt: skip
    assert FORMER_NAMES.columns == ("state_code", "name", "used_until")
    with session_factory(engine)() as session:
        for name, query, to_fact in FACT_QUERIES:
            model = MODELS[query.table]
            row = Reading(session.scalars(select(model).limit(1)).one())
            to_fact(row)
            assert set(query.columns) == row.read | {"state_code"}, query.table
            assert next(r for r in READ_BEFORE if r[0] == name)[1] is model
        for query in queries_by_table.values():
            table = MODELS[query.table].__table__
            # In the table's order, as a full select names them (the same error when missing).
            assert list(query.columns) == [c.name for c in table.columns if c.name in query.columns]
            dates = {c.name for c in table.columns if c.type.python_type is date}
            flags = {c.name for c in table.columns if c.type.python_type is bool}
            assert set(query.dates) == dates & set(query.columns), query.table
            assert set(query.flags) == flags & set(query.columns), query.table
            # The migrated schema has each column under that name.
            connection = session.connection()
            assert list(connection.exec_driver_sql(query.sql()).keys()) == list(query.columns)


def test_the_head_revision_kept_for_the_cli_is_alembic_head() -> None:
    from alembic.script import ScriptDirectory

    from obligations.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))  # type: ignore[arg-type]
    assert script.get_current_head() == HEAD_REVISION


def test_a_schema_not_at_head_is_read_through_sqlalchemy_as_before(
    database_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the standard library's reading is of SQLite files")
    url = database_url
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0005'")
    assert read_sqlite_record(url) is None  # SQLAlchemy's path answers
    assert run_cli(capsys, url, "overdue", "--json", "--as-of", "2020-01-01").code == 0


def test_a_missing_sqlite_file_is_said_not_set_up_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "none.sqlite3"
    result = run_cli(capsys, f"sqlite:///{path}", "overdue", "--json")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"error: the database sqlite:///{path} is not set up; run `obligations init`\n"
    )
    assert not path.exists()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///relative/o.sqlite3",
        "sqlite:////srv/cmw/o.sqlite3",
        " sqlite:////srv/a b+c@d:e#f/o.sqlite3 ",
        "sqlite+pysqlite:///~/o.sqlite3",
        "sqlite:///a/../b/./o.sqlite3",
    ],
)
def test_a_plain_sqlite_url_is_read_as_sqlalchemy_reads_it(url: str) -> None:
    file = plain_sqlite_file(url)
    assert file is not None
    assert file.url == masked(url.strip())
    assert file.folder == sqlite_folder(url)
    engine = make_engine(url)
    (opened, *_), _options = engine.dialect.create_connect_args(engine.url)
    assert file.path == opened


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///o.sqlite3?timeout=30",
        "sqlite:///caf%C3%A9.sqlite3",
        "sqlite+aiosqlite:///o.sqlite3",
        "postgresql://cmw@db/obligations",
    ],
)
def test_other_urls_are_left_to_sqlalchemy(url: str) -> None:
    assert plain_sqlite_file(url) is None


AS_OF = ["2005-06-30", "2009-12-31", "2013-02-28", "2021-07-01", "2025-11-25"]


def test_overdue_json_from_the_cli_is_the_answer_computed_through_sqlalchemy(
    database_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    add_awkward_rows(engine)
    with session_factory(engine)() as session:
        record = read_through_sqlalchemy(session)
    for day in AS_OF:
        view = queries.overdue_reports(record, date.fromisoformat(day), None)
        # As the CLI printed it before: json.dumps of the JSON-ready values.
        expected = json.dumps(jsonable(view), ensure_ascii=False, indent=2) + "\n"
        result = run_cli(capsys, database_url, "overdue", "--json", "--as-of", day)
        assert (result.code, result.err) == (0, "")
        assert result.out == expected, day
        assert json.loads(result.out)["items"], day  # an answer with something in it
