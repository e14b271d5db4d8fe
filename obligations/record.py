"""Loading the stored facts into the plain values the rules take."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from obligations import models
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


def load_states(session: Session) -> dict[str, StateEntry]:
    former: dict[str, list[FormerName]] = defaultdict(list)
    for name_row in plain_rows(session, models.StateName):
        former[name_row.state_code].append(FormerName(name_row.name, name_row.used_until))
    return {
        s.code: StateEntry(
            s.code,
            s.name,
            s.regional_group,
            tuple(former[s.code]),
            s.history_researched_until,
            s.history_note,
        )
        for s in plain_rows(session, models.State)
    }


def plain_rows(
    session: Session, model: type[models.Base], state: str | None = None
) -> Iterator[Any]:
    """A table's rows (one State's, if given) as plain Core rows, read by column name like
    the ORM's, without building ORM objects or filling the session's identity map."""
    table = model.__table__
    query = select(*table.columns)
    if state is not None:
        query = query.where(table.c.state_code == state)
    return iter(session.execute(query))


def load_record(session: Session, state: str | None = None) -> Record:
    """Read every fact, one query per kind; the rules then work in memory.

    With `state`, the reporting facts are that State's only (a write checks one State);
    depositary actions are always all, since the Convention's entry into force needs them.
    """
    record = Record(load_states(session))
    for action_row in plain_rows(session, models.DepositaryAction):
        record.actions[action_row.state_code].append(to_action(action_row))
    for report_row in plain_rows(session, models.ReportReceived, state):
        record.reports[report_row.state_code].append(to_report(report_row))
    for review_row in plain_rows(session, models.Review, state):
        record.reviews[review_row.state_code].append(to_review(review_row))
    for decision_row in plain_rows(session, models.CommitteeDecision, state):
        record.decisions[decision_row.state_code].append(to_decision(decision_row))
    for loipr_row in plain_rows(session, models.ListOfIssuesPriorToReporting, state):
        record.loiprs[loipr_row.state_code].append(to_loipr(loipr_row))
    for list_row in plain_rows(session, models.ListOfIssues, state):
        record.lists_of_issues[list_row.state_code].append(to_list_of_issues(list_row))
    for co_row in plain_rows(session, models.ConcludingObservations, state):
        record.observations[co_row.state_code].append(to_observations(co_row))
    for follow_row in plain_rows(session, models.FollowUpReceived, state):
        record.follow_ups[follow_row.state_code].append(to_follow_up(follow_row))
    return record
