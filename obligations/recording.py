"""Recording facts: depositary actions, reports received, reviews, Committee decisions.

Every write is checked against the whole record first and either lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from obligations import models
from obligations import revision as _revision  # noqa: F401  (every write bumps the revision)
from obligations.errors import Conflict, InvalidInput, NotFound
from obligations.inputs import (
    check_plain_text,
    check_record_date,
    check_report_symbol,
    check_symbol,
    parse_articles,
    parse_numbers,
    parse_partial_date,
    parse_state_code,
)
from obligations.record import Record, format_articles, load_record
from obligations.rules.dates import add_years
from obligations.rules.entry_into_force import general_entry_into_force, state_entry_into_force
from obligations.rules.facts import (
    Action,
    ActionKind,
    Decision,
    DecisionKind,
    Procedure,
    ReportReceived,
    Review,
)
from obligations.rules.precision import Precision
from obligations.rules.reporting import report_schedule
from obligations.rules.sequence import SequenceBreak, new_breaks, sequence_breaks
from obligations.rules.standing import replay

DEFAULT_SOURCE = "secretariat"
DENUNCIATION_WAIT_YEARS = 5


Row = TypeVar("Row", bound=models.Base)


def require_state(session: Session, code: str) -> models.State:
    code = parse_state_code(code)
    state = session.get(models.State, code)
    if state is None:
        raise NotFound(f"unknown State code {code!r}")
    return state


def lock_state(session: Session, code: str) -> models.State:
    """The State, locked for the rest of the transaction: one writer per State.

    On PostgreSQL the State's row is locked (SELECT … FOR UPDATE), so a second write to the
    same State waits, then checks the record as the first left it. On SQLite every write
    transaction is already immediate (obligations.db), which serialises all writers.
    """
    code = parse_state_code(code)
    state = session.scalar(
        select(models.State)
        .where(models.State.code == code)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if state is None:
        raise NotFound(f"unknown State code {code!r}")
    return state


def write_row(session: Session, row: Row) -> Row:
    """Insert a checked fact; a constraint the database enforces answers Conflict."""
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise Conflict(constraint_message(error)) from None
    return row


CONSTRAINT_MESSAGES = {
    "uq_report_first": "a report with that number is already on record for the State",
    "uq_report_last": "a report with that number is already on record for the State",
    "uq_review": "that review is already on record",
    "uq_decision": "that decision is already on record",
    "uq_action": "that action is already on record",
    "uq_loiprs": "a list of issues prior to that report is already on record",
    "uq_lists_of_issues": "that list of issues is already on record",
    "uq_concluding_observations": "those concluding observations are already on record",
    "uq_follow_up_received": "that follow-up information is already on record",
    "uq_contact_email": "that address is already a contact of the State",
}


def constraint_message(error: IntegrityError) -> str:
    """What a refused write broke, in the record's words (never the driver's text)."""
    text = str(error.orig)
    for name, message in CONSTRAINT_MESSAGES.items():
        if name in text:
            return message
    if "UNIQUE" in text or "unique" in text or "duplicate" in text:
        return "the same fact was recorded by another write at the same time; nothing written"
    return "the write conflicts with the record; nothing was written"


def parse_action_kind(text: str | None) -> ActionKind:
    if text is None:
        raise InvalidInput("action: an action needs its kind")
    try:
        return ActionKind(text.strip().lower().replace(" ", "_"))
    except ValueError:
        known = ", ".join(k.value for k in ActionKind)
        raise InvalidInput(f"action: {text!r} is not one of {known}") from None


def build_action(
    code: str,
    action: str | ActionKind,
    day: date,
    articles: str | Iterable[int] | None = (),
    source: str | None = None,
    effective: date | None = None,
    notification: str | None = None,
    note: str | None = None,
    precision: Precision = Precision.DAY,
) -> Action:
    """Check one action's own fields (not yet against the record)."""
    kind = action if isinstance(action, ActionKind) else parse_action_kind(action)
    check_record_date(day)
    # None (a correction's explicit null) means no articles.
    parsed = parse_articles(articles if isinstance(articles, str) else tuple(articles or ()))
    if kind in (ActionKind.DECLARATION, ActionKind.WITHDRAWAL):
        if not parsed:
            raise InvalidInput(f"articles: a {kind.value} must name article 76 and/or 77")
    elif parsed:
        raise InvalidInput(f"articles: a {kind.value} takes no articles")
    if effective is not None and kind is not ActionKind.SUCCESSION:
        raise InvalidInput("effective: only a succession carries a date from which it binds")
    return Action(
        state=code,
        action=kind,
        date=day,
        articles=parsed,
        source=check_plain_text(source, "source") or DEFAULT_SOURCE,
        effective=effective,
        notification=check_plain_text(notification, "notification", 64),
        note=check_plain_text(note, "note", 2000),
        date_precision=precision,
    )


def check_timeline(record: Record, code: str, new: Iterable[Action]) -> None:
    """Replay the State's actions with the new ones; raise Conflict on the first impossible one."""
    existing = record.actions.get(code, [])
    additions = list(new)
    for action in additions:
        if any(
            a.action is action.action and a.date == action.date and a.articles == action.articles
            for a in existing
        ):
            raise Conflict(
                f"{code}: a {action.action.value} of {action.date.isoformat()} is already recorded"
            )
    timeline = [*existing, *additions]
    replay(timeline)
    for action in additions:
        if action.action is ActionKind.DENUNCIATION:
            _check_denunciation_wait(record, code, timeline, action)


def _check_denunciation_wait(
    record: Record, code: str, timeline: list[Action], denunciation: Action
) -> None:
    standing = replay(timeline, denunciation.date - timedelta(days=1))
    instrument = standing.instrument
    everyone = [a for c, acts in record.actions.items() if c != code for a in acts] + timeline
    general = general_entry_into_force(everyone, denunciation.date)
    bound = state_entry_into_force(instrument, general) if instrument else None
    earliest = add_years(bound.date, DENUNCIATION_WAIT_YEARS) if bound else None
    if earliest is None or denunciation.date < earliest:
        raise Conflict(
            f"{code}: art. 89(1) allows a denunciation only five years after entry into force"
            + (f", not before {earliest.isoformat()}" if earliest else "; it is not yet bound")
        )


def add_action_row(session: Session, action: Action) -> models.DepositaryAction:
    return write_row(
        session,
        models.DepositaryAction(
            state_code=action.state,
            action=action.action.value,
            date=action.date,
            articles=format_articles(action.articles),
            effective=action.effective,
            source=action.source,
            notification=action.notification,
            note=action.note,
            date_precision=action.date_precision.value,
        ),
    )


def record_action(
    session: Session,
    code: str,
    action: str,
    day: date,
    articles: str | Iterable[int] = (),
    source: str | None = None,
    effective: date | None = None,
    notification: str | None = None,
    note: str | None = None,
    precision: Precision = Precision.DAY,
) -> models.DepositaryAction:
    state = lock_state(session, code)
    new = build_action(
        state.code, action, day, articles, source, effective, notification, note, precision
    )
    check_timeline(load_record(session, state.code), state.code, [new])
    return add_action_row(session, new)


def bound_from(record: Record, code: str, day: date) -> date | None:
    """The date the Convention bound the State, as the record stood on `day` (None if not)."""
    standing = replay(record.actions.get(code, []), day)
    instrument = standing.bound_by
    if instrument is None:
        return None
    bound = state_entry_into_force(instrument, general_entry_into_force(record.all_actions(), day))
    return bound.date if bound is not None and bound.date <= day else None


def require_bound(record: Record, code: str, day: date, what: str) -> date:
    bound = bound_from(record, code, day)
    if bound is None:
        raise Conflict(
            f"{code}: {what} dated {day.isoformat()} comes before the Convention bound the State"
        )
    return bound


def sequence_reason(text: str | None) -> str | None:
    """The reason given for a fact out of sequence (blank: none)."""
    reason = check_plain_text(text, "out_of_sequence", 500)
    return reason or None


def committee_requests(record: Record, code: str) -> list[tuple[int, date]]:
    """(report number, date) of each act of the Committee's asking the State for that report."""
    observations = record.observations.get(code, [])
    return [
        *((x.report, x.transmitted) for x in record.loiprs.get(code, [])),
        *((x.report, x.issued) for x in record.lists_of_issues.get(code, [])),
        *((x.report, x.decided) for x in record.decisions.get(code, [])),
        *(
            (number, x.adopted)
            for x in observations
            if x.next_first is not None
            for number in range(x.next_first, (x.next_last or x.next_first) + 1)
        ),
    ]


def state_breaks(record: Record, code: str) -> list[SequenceBreak]:
    return sequence_breaks(
        record.reports.get(code, []),
        record.reviews.get(code, []),
        committee_requests(record, code),
    )


def refuse_new_breaks(code: str, before: list[SequenceBreak], after: list[SequenceBreak]) -> None:
    """Refuse a change that puts a report or review out of sequence without a reason."""
    found = new_breaks(before, after)
    if found:
        raise Conflict(
            f"{code}: {found[0]}; if the record is right, record it with the reason "
            "(--out-of-sequence REASON; out_of_sequence in the API)"
        )


def check_sequence(
    session: Session, record: Record, code: str, new: ReportReceived | Review
) -> None:
    """A new report or review must keep the State's reports in sequence (or give a reason)."""
    if session.info.get(SEQUENCE_DEFERRED):
        return
    reports = record.reports.get(code, [])
    reviews = record.reviews.get(code, [])
    requested = committee_requests(record, code)
    after = (
        sequence_breaks([*reports, new], reviews, requested)
        if isinstance(new, ReportReceived)
        else sequence_breaks(reports, [*reviews, new], requested)
    )
    refuse_new_breaks(code, sequence_breaks(reports, reviews, requested), after)


SEQUENCE_DEFERRED = "obligations.sequence_deferred"


@contextmanager
def sequence_checked_at_end(session: Session) -> Iterator[None]:
    """Facts imported together are checked for sequence once, as a whole: a folder brings
    reports before the reviews that account for them."""
    before = load_record(session)
    session.info[SEQUENCE_DEFERRED] = True
    try:
        yield
    finally:
        session.info.pop(SEQUENCE_DEFERRED, None)
    session.flush()
    after = load_record(session)
    for code in sorted(set(after.reports) | set(after.reviews)):
        refuse_new_breaks(code, state_breaks(before, code), state_breaks(after, code))


def record_report(
    session: Session,
    code: str,
    numbers: str | tuple[int, int] | list[int],
    received: date | str,
    symbol: str | None = None,
    procedure: str = Procedure.STANDARD.value,
    source: str | None = None,
    out_of_sequence: str | None = None,
) -> models.ReportReceived:
    state = lock_state(session, code)
    first, last = parse_numbers(numbers)
    received, precision = parse_partial_date(received, "received")
    check_record_date(received, "received")
    symbol = check_report_symbol(symbol, state.code, (first, last))
    try:
        kind = Procedure(procedure)
    except ValueError:
        raise InvalidInput("procedure: must be 'standard' or 'simplified'") from None
    record = load_record(session, state.code)
    require_bound(record, state.code, received, "a report received")
    for earlier in record.reports.get(state.code, []):
        if earlier.first <= last and first <= earlier.last:
            raise Conflict(
                f"{state.code}: report {max(first, earlier.first)} was already received"
                f" on {earlier.received.isoformat()}"
                + (f" ({earlier.symbol})" if earlier.symbol else "")
            )
    reason = sequence_reason(out_of_sequence)
    report = ReportReceived(first, last, received, symbol, kind, precision, out_of_sequence=reason)
    check_sequence(session, record, state.code, report)
    return write_row(
        session,
        models.ReportReceived(
            state_code=state.code,
            first_number=first,
            last_number=last,
            received=received,
            received_precision=precision.value,
            symbol=symbol,
            procedure=kind.value,
            source=check_plain_text(source, "source", 500),
            out_of_sequence=reason,
        ),
    )


def record_review(
    session: Session,
    code: str,
    numbers: str | tuple[int, int] | list[int],
    session_number: int | None,
    day: date,
    symbol: str | None = None,
    end_date: date | None = None,
    without_report: bool = False,
    source: str | None = None,
    out_of_sequence: str | None = None,
) -> models.Review:
    state = lock_state(session, code)
    first, last = parse_numbers(numbers)
    if session_number is not None and not 1 <= session_number <= 999:
        raise InvalidInput(f"session: {session_number} is not a Committee session number")
    check_record_date(day)
    if end_date is not None and end_date < day:
        raise InvalidInput("end_date: the review cannot end before it starts")
    symbol = check_symbol(symbol, state.code)
    record = load_record(session, state.code)
    require_bound(record, state.code, day, "a review")
    for earlier in record.reviews.get(state.code, []):
        if (earlier.first, earlier.last, earlier.date) == (first, last, day):
            raise Conflict(f"{state.code}: the review of {day.isoformat()} is already on record")
    if without_report:
        for report in record.reports.get(state.code, []):
            if report.received <= day and report.first <= last and first <= report.last:
                raise Conflict(
                    f"{state.code}: report {max(first, report.first)} was received on "
                    f"{report.received.isoformat()}; the review is not in its absence"
                )
    reason = sequence_reason(out_of_sequence)
    review = Review(
        first, last, session_number, day, end_date, symbol, without_report, None, reason
    )
    check_sequence(session, record, state.code, review)
    return write_row(
        session,
        models.Review(
            state_code=state.code,
            first_number=first,
            last_number=last,
            session=session_number,
            date=day,
            end_date=end_date,
            symbol=symbol,
            without_report=without_report,
            source=check_plain_text(source, "source", 500),
            out_of_sequence=reason,
        ),
    )


def record_decision(
    session: Session,
    code: str,
    report: int,
    due: date | str,
    decided: date | str,
    symbol: str | None = None,
    kind: str = DecisionKind.FIX_DUE_DATE.value,
    source: str | None = None,
) -> models.CommitteeDecision:
    state = lock_state(session, code)
    number, _ = parse_numbers(report, "report")
    due, due_precision = parse_partial_date(due, "due")
    decided, decided_precision = parse_partial_date(decided, "decided")
    check_record_date(decided, "decided")
    symbol = check_symbol(symbol, state.code)
    try:
        decision_kind = DecisionKind(kind)
    except ValueError:
        raise InvalidInput("kind: must be 'fix_due_date' or 'request_report'") from None
    record = load_record(session, state.code)
    bound = require_bound(record, state.code, decided, "a Committee decision")
    new = Decision(number, due, decided, decision_kind, symbol, due_precision)
    existing = record.decisions.get(state.code, [])
    if any((d.report, d.decided, d.kind) == (number, decided, decision_kind) for d in existing):
        raise Conflict(
            f"{state.code}: a decision of {decided.isoformat()} on report {number} is on record"
        )
    check_due_dates_increase(bound, [*existing, new])
    return write_row(
        session,
        models.CommitteeDecision(
            state_code=state.code,
            kind=decision_kind.value,
            report_number=number,
            due=due,
            due_precision=due_precision.value,
            decided=decided,
            decided_precision=decided_precision.value,
            symbol=symbol,
            source=check_plain_text(source, "source", 500),
        ),
    )


def check_due_dates_increase(bound: date, decisions: list[Decision]) -> None:
    """A fixed date must fall after the previous report's due date and before the next one's."""
    horizon = max(max(d.due for d in decisions), max(d.decided for d in decisions))
    schedule = report_schedule(bound, [], decisions, horizon)
    for earlier, later in zip(schedule, schedule[1:], strict=False):
        if earlier.due is None or later.due is None:
            continue
        # The same date is allowed: the Committee may ask for reports combined in one.
        if later.due < earlier.due:
            raise Conflict(
                f"due: report {later.number} would fall due on {later.due.isoformat()}, "
                f"before report {earlier.number} ({earlier.due.isoformat()})"
            )


def existing_states(session: Session) -> set[str]:
    return set(session.scalars(select(models.State.code)))
