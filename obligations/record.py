"""Loading the stored facts into the plain values the rules take."""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict, defaultdict, namedtuple
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from obligations.rules.facts import (
    Action,
    ActionKind,
    Decision,
    DecisionKind,
    FollowUp,
    ListOfIssues,
    Loipr,
    NextReportMode,
    Observations,
    Procedure,
    ReportReceived,
    Review,
)
from obligations.rules.names import FormerName, name_on
from obligations.rules.precision import Precision

# SQLAlchemy is not imported here: the CLI reads a SQLite file with the standard library alone.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# A State whose record the secretariat keeps current as documents arrive: always vouched for.
KEPT_CURRENT = date(9999, 12, 31)


@dataclass(frozen=True)
class StateEntry:
    code: str
    name: str
    regional_group: str | None
    former_names: tuple[FormerName, ...] = ()
    # The date up to which the State's reporting history was researched (None: never).
    history_researched_until: date | None = None
    history_note: str | None = None

    def name_on(self, day: date) -> str:
        return name_on(self.name, self.former_names, day)


@dataclass
class Record:
    """Every fact the tracker holds, keyed by State code."""

    states: dict[str, StateEntry]
    actions: dict[str, list[Action]] = field(default_factory=lambda: defaultdict(list))
    reports: dict[str, list[ReportReceived]] = field(default_factory=lambda: defaultdict(list))
    reviews: dict[str, list[Review]] = field(default_factory=lambda: defaultdict(list))
    decisions: dict[str, list[Decision]] = field(default_factory=lambda: defaultdict(list))
    loiprs: dict[str, list[Loipr]] = field(default_factory=lambda: defaultdict(list))
    lists_of_issues: dict[str, list[ListOfIssues]] = field(
        default_factory=lambda: defaultdict(list)
    )
    observations: dict[str, list[Observations]] = field(default_factory=lambda: defaultdict(list))
    follow_ups: dict[str, list[FollowUp]] = field(default_factory=lambda: defaultdict(list))
    # What the queries derive from the facts and keep (see queries.standing_on): valid while
    # the facts above are not changed, as a loaded record never is.
    derived: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)
    # Kept in memory to answer many questions (the API's record): then the overdue and
    # upcoming lists are kept too, for which setting up costs a second pass over the States.
    answers_many: bool = field(default=False, repr=False, compare=False)

    def all_actions(self) -> list[Action]:
        return [a for actions in self.actions.values() for a in actions]


class LeastRecentlyUsed:
    """At most `size` values by key, the least recently used dropped first; thread-safe."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._size:
                self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)


def stored_articles(text: str) -> tuple[int, ...]:
    return tuple(sorted(int(part) for part in text.split(";") if part.strip()))


def format_articles(articles: tuple[int, ...] | list[int]) -> str:
    return ";".join(str(a) for a in sorted(articles))


# The to_* functions take an ORM object or a Core row: both read columns by name.
def to_action(row: Any) -> Action:
    return Action(
        state=row.state_code,
        action=ActionKind(row.action),
        date=row.date,
        articles=stored_articles(row.articles),
        source=row.source,
        effective=row.effective,
        notification=row.notification,
        note=row.note,
        date_precision=Precision(row.date_precision),
    )


def to_report(row: Any) -> ReportReceived:
    return ReportReceived(
        row.first_number,
        row.last_number,
        row.received,
        row.symbol,
        Procedure(row.procedure),
        Precision(row.received_precision),
        row.source,
        row.out_of_sequence,
    )


def to_review(row: Any) -> Review:
    return Review(
        row.first_number,
        row.last_number,
        row.session,
        row.date,
        row.end_date,
        row.symbol,
        row.without_report,
        row.source,
        row.out_of_sequence,
    )


def to_decision(row: Any) -> Decision:
    return Decision(
        row.report_number,
        row.due,
        row.decided,
        DecisionKind(row.kind),
        row.symbol,
        Precision(row.due_precision),
        row.source,
    )


def to_loipr(row: Any) -> Loipr:
    return Loipr(
        row.report_number,
        row.symbol,
        row.transmitted,
        row.deadline,
        Precision(row.deadline_precision),
        Precision(row.transmitted_precision),
        row.source,
    )


def to_list_of_issues(row: Any) -> ListOfIssues:
    return ListOfIssues(
        row.report_number,
        row.symbol,
        row.issued,
        row.replies_received,
        row.replies_symbol,
        Precision(row.issued_precision),
        Precision(row.replies_precision),
        row.source,
    )


def to_observations(row: Any) -> Observations:
    return Observations(
        row.number,
        row.symbol,
        row.adopted,
        row.next_first,
        row.next_last,
        row.next_due,
        NextReportMode(row.next_due_mode),
        row.follow_up_due,
        row.session,
        row.follow_up_paragraphs,
        Precision(row.adopted_precision),
        Precision(row.next_due_precision),
        Precision(row.follow_up_precision),
        row.source,
    )


def to_follow_up(row: Any) -> FollowUp:
    return FollowUp(
        row.number, row.received, row.symbol, Precision(row.received_precision), row.source
    )


@dataclass(frozen=True)
class SqlReader:
    """How the loader runs its SQL on a connection: the driver's own placeholder, and whether
    dates come as ISO text and booleans as 0/1 (SQLite) or as dates and booleans (psycopg)."""

    rows: Callable[[str, tuple[Any, ...] | None], Sequence[Sequence[Any]]]
    placeholder: str
    text_dates: bool


def sqlite_reader(connection: sqlite3.Connection) -> SqlReader:
    return SqlReader(
        lambda sql, params: connection.execute(sql, params or ()).fetchall(), "?", True
    )


@dataclass(frozen=True)
class FactQuery:
    """A table and the columns read from it: literal SQL, so that reading needs no SQLAlchemy.
    Columns are named as a full select names them, in the table's order, so that a schema not
    yet upgraded fails with the same message as before. `dates` and `flags` name the columns
    holding dates and booleans."""

    table: str
    columns: tuple[str, ...]
    dates: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    def sql(self, placeholder: str | None = None) -> str:
        """The query; with a placeholder, of one State's rows."""
        table = self.table
        sql = f"SELECT {', '.join(f'{table}.{c}' for c in self.columns)} FROM {table}"
        if placeholder is not None:
            sql += f" WHERE {table}.state_code = {placeholder}"
        if table == "state_names":
            # In the order the names were added: SQLite would otherwise read these three
            # columns from the table's unique index, in name order.
            sql += f" ORDER BY {table}.id"
        return sql

    @cached_property
    def row_type(self) -> Any:
        """A named tuple of the columns, so that the to_* functions read them by name."""
        return namedtuple(self.table, self.columns)  # noqa: PYI024


STATES = FactQuery(
    "states",
    ("code", "name", "regional_group", "history_researched_until", "history_note"),
    dates=("history_researched_until",),
)
FORMER_NAMES = FactQuery("state_names", ("state_code", "name", "used_until"), ("used_until",))
# Record's field, the query, and what makes a fact of a row; in the order Record is filled.
FACT_QUERIES: tuple[tuple[str, FactQuery, Callable[[Any], Any]], ...] = (
    ("actions", FactQuery(
        "depositary_actions",
        ("state_code", "action", "date", "date_precision", "articles", "effective", "source",
         "notification", "note"),
        dates=("date", "effective"),
    ), to_action),
    ("reports", FactQuery(
        "reports",
        ("state_code", "first_number", "last_number", "received", "received_precision", "symbol",
         "procedure", "source", "out_of_sequence"),
        dates=("received",),
    ), to_report),
    ("reviews", FactQuery(
        "reviews",
        ("state_code", "first_number", "last_number", "session", "date", "end_date", "symbol",
         "without_report", "source", "out_of_sequence"),
        dates=("date", "end_date"), flags=("without_report",),
    ), to_review),
    ("decisions", FactQuery(
        "committee_decisions",
        ("state_code", "kind", "report_number", "due", "due_precision", "decided", "symbol",
         "source"),
        dates=("due", "decided"),
    ), to_decision),
    ("loiprs", FactQuery(
        "loiprs",
        ("state_code", "report_number", "symbol", "transmitted", "transmitted_precision",
         "deadline", "deadline_precision", "source"),
        dates=("transmitted", "deadline"),
    ), to_loipr),
    ("lists_of_issues", FactQuery(
        "lists_of_issues",
        ("state_code", "report_number", "symbol", "issued", "issued_precision",
         "replies_received", "replies_precision", "replies_symbol", "source"),
        dates=("issued", "replies_received"),
    ), to_list_of_issues),
    ("observations", FactQuery(
        "concluding_observations",
        ("state_code", "number", "symbol", "adopted", "adopted_precision", "session",
         "next_first", "next_last", "next_due", "next_due_precision", "next_due_mode",
         "follow_up_due", "follow_up_precision", "follow_up_paragraphs", "source"),
        dates=("adopted", "next_due", "follow_up_due"),
    ), to_observations),
    ("follow_ups", FactQuery(
        "follow_up_received",
        ("state_code", "number", "symbol", "received", "received_precision", "source"),
        dates=("received",),
    ), to_follow_up),
)  # fmt: skip


def fact_rows(reader: SqlReader, query: FactQuery, state: str | None = None) -> list[Any]:
    """A table's rows (one State's, if given), dates as dates and booleans as booleans
    whichever driver read them, as SQLAlchemy's Date and Boolean give them."""
    if state is None:
        raw = reader.rows(query.sql(), None)
    else:
        raw = reader.rows(query.sql(reader.placeholder), (state,))
    make = query.row_type._make
    if not reader.text_dates:
        return [make(values) for values in raw]
    dates = [query.columns.index(name) for name in query.dates]
    flags = [query.columns.index(name) for name in query.flags]
    rows = []
    for values in raw:
        converted = list(values)
        for i in dates:
            if converted[i] is not None:
                converted[i] = date.fromisoformat(converted[i])
        for i in flags:
            if converted[i] is not None:
                converted[i] = bool(converted[i])
        rows.append(make(converted))
    return rows


def record_from(reader: SqlReader, state: str | None = None) -> Record:
    """Every fact, one query per kind; the rules then work in memory. The one loader: the CLI
    reads a SQLite file through sqlite3 (sqlite_reader), the API and the notifier through
    their session's connection (load_record).

    With `state`, the reporting facts are that State's only (a write checks one State);
    depositary actions are always all, since the Convention's entry into force needs them.
    """
    former: dict[str, list[FormerName]] = defaultdict(list)
    for name_row in fact_rows(reader, FORMER_NAMES):
        former[name_row.state_code].append(FormerName(name_row.name, name_row.used_until))
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
            for s in fact_rows(reader, STATES)
        }
    )
    for name, query, to_fact in FACT_QUERIES:
        facts: dict[str, list[Any]] = getattr(record, name)
        for row in fact_rows(reader, query, None if name == "actions" else state):
            facts[row.state_code].append(to_fact(row))
    return record


def load_record(session: Session, state: str | None = None) -> Record:
    """The record as `session` sees it, its pending changes flushed first (as a query through
    the session would). The SQL goes to the driver as it stands, through SQLAlchemy's
    connection, which still turns a driver's error into its own (and a lost connection into
    an invalidated one)."""
    if session.autoflush:
        session.flush()
    connection = session.connection()
    dialect = connection.dialect
    placeholder = "?" if dialect.paramstyle == "qmark" else "%s"

    def rows(sql: str, params: tuple[Any, ...] | None) -> Sequence[Sequence[Any]]:
        return connection.exec_driver_sql(sql, params).fetchall()

    return record_from(SqlReader(rows, placeholder, dialect.name == "sqlite"), state)
