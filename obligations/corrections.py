"""Corrections: changing or deleting a recorded fact, then checking the State's whole record.

A correction is applied inside the caller's transaction; if the State's record no longer
holds together, Conflict is raised and the caller's rollback undoes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from obligations import models, practice
from obligations.errors import Conflict, InvalidInput, NotFound
from obligations.inputs import (
    check_record_date,
    check_report_symbol,
    check_symbol,
    parse_date,
    parse_numbers,
)
from obligations.record import Record, format_articles, load_record
from obligations.record_files import document_date
from obligations.recording import (
    bound_from,
    build_action,
    check_due_dates_increase,
    lock_state,
    refuse_new_breaks,
    sequence_reason,
    state_breaks,
)
from obligations.rules.facts import DecisionKind, NextReportMode, Procedure
from obligations.rules.sequence import SequenceBreak
from obligations.rules.standing import replay

ENTITIES: dict[str, type[Any]] = {
    "action": models.DepositaryAction,
    "report": models.ReportReceived,
    "review": models.Review,
    "decision": models.CommitteeDecision,
    "loipr": models.ListOfIssuesPriorToReporting,
    "list-of-issues": models.ListOfIssues,
    "observations": models.ConcludingObservations,
    "follow-up": models.FollowUpReceived,
}


def get_fact(session: Session, entity: str, fact_id: int, state: str | None = None) -> Any:
    """A recorded fact, its State locked for the rest of the transaction (one writer per State)."""
    row = session.get(ENTITIES[entity], fact_id)
    if row is None or (state is not None and row.state_code != state.upper()):
        where = f" for {state.upper()}" if state else ""
        raise NotFound(f"no {entity} with id {fact_id}{where}")
    lock_state(session, row.state_code)
    session.refresh(row)
    return row


def check_state_record(
    session: Session, code: str, sequence_before: list[SequenceBreak] | None = None
) -> None:
    """Everything recorded for one State must still hold together; with the sequence breaks
    found before the change, the change must bring no new one."""
    session.flush()
    record = load_record(session, code)
    check_state_facts(record, code)
    if sequence_before is not None:
        refuse_new_breaks(code, sequence_before, state_breaks(record, code))


def breaks_now(session: Session, code: str) -> list[SequenceBreak]:
    """The State's reports and reviews out of sequence, before a change is applied."""
    return state_breaks(load_record(session, code), code)


def check_state_facts(record: Record, code: str) -> None:
    """Raise Conflict naming the first fact of the State that cannot be true with the others."""
    replay(record.actions.get(code, []))
    reports = sorted(record.reports.get(code, []), key=lambda r: r.first)
    for earlier, later in zip(reports, reports[1:], strict=False):
        if later.first <= earlier.last:
            raise Conflict(f"{code}: report {later.first} would be received twice")
    for report in reports:
        if bound_from(record, code, report.received) is None:
            raise Conflict(
                f"{code}: the report received on {report.received.isoformat()} would come "
                "before the Convention bound the State"
            )
    for review in record.reviews.get(code, []):
        if bound_from(record, code, review.date) is None:
            raise Conflict(
                f"{code}: the review of {review.date.isoformat()} would come before the "
                "Convention bound the State"
            )
    decisions = record.decisions.get(code, [])
    for decision in decisions:
        bound = bound_from(record, code, decision.decided)
        if bound is None:
            raise Conflict(
                f"{code}: the decision of {decision.decided.isoformat()} would come before "
                "the Convention bound the State"
            )
    if decisions:
        first_decided = min(d.decided for d in decisions)
        bound = bound_from(record, code, first_decided)
        if bound is not None:
            check_due_dates_increase(bound, decisions)
    dated: list[tuple[str, date]] = [
        *(
            (f"the list of issues {x.symbol}", x.issued)
            for x in record.lists_of_issues.get(code, [])
        ),
        *((f"the list of issues {x.symbol}", x.transmitted) for x in record.loiprs.get(code, [])),
        *((f"the observations {x.symbol}", x.adopted) for x in record.observations.get(code, [])),
    ]
    for what, day in dated:
        if bound_from(record, code, day) is None:
            raise Conflict(
                f"{code}: {what} of {day.isoformat()} would come before the Convention bound "
                "the State"
            )
    adopted = {x.number: x for x in record.observations.get(code, [])}
    for follow in record.follow_ups.get(code, []):
        co = adopted.get(follow.number)
        if co is None or follow.received < co.adopted:
            raise Conflict(
                f"{code}: follow-up received on {follow.received.isoformat()} follows up no "
                f"concluding observations number {follow.number} adopted before it"
            )


def _date(changes: dict[str, Any], key: str, current: date | None) -> date | None:
    if key not in changes:
        return current
    value = changes[key]
    return None if value is None else parse_date(value, key)


def correct_action(session: Session, row: models.DepositaryAction, changes: dict[str, Any]) -> None:
    day = _date(changes, "date", row.date)
    if day is None:
        raise InvalidInput("date: an action needs a date")
    action = build_action(
        row.state_code,
        changes.get("action", row.action),
        day,
        changes.get("articles", row.articles),
        changes.get("source", row.source),
        _date(changes, "effective", row.effective),
        changes.get("notification", row.notification),
        changes.get("note", row.note),
    )
    row.action = action.action.value
    row.date = action.date
    row.articles = format_articles(action.articles)
    row.source = action.source
    row.effective = action.effective
    row.notification = action.notification
    row.note = action.note
    check_state_record(session, row.state_code)


def correct_report(session: Session, row: models.ReportReceived, changes: dict[str, Any]) -> None:
    before = breaks_now(session, row.state_code)
    first, last = parse_numbers(changes.get("numbers", [row.first_number, row.last_number]))
    received = _date(changes, "received", row.received)
    if received is None:
        raise InvalidInput("received: a report needs the date it was received")
    check_record_date(received, "received")
    symbol = check_report_symbol(changes.get("symbol", row.symbol), row.state_code, (first, last))
    try:
        procedure = Procedure(changes.get("procedure", row.procedure)).value
    except ValueError:
        raise InvalidInput("procedure: must be 'standard' or 'simplified'") from None
    row.first_number, row.last_number = first, last
    row.received, row.symbol, row.procedure = received, symbol, procedure
    row.out_of_sequence = sequence_reason(changes.get("out_of_sequence", row.out_of_sequence))
    check_state_record(session, row.state_code, before)


def correct_review(session: Session, row: models.Review, changes: dict[str, Any]) -> None:
    before = breaks_now(session, row.state_code)
    first, last = parse_numbers(changes.get("numbers", [row.first_number, row.last_number]))
    day = _date(changes, "date", row.date)
    if day is None:
        raise InvalidInput("date: a review needs a date")
    check_record_date(day)
    end = _date(changes, "end_date", row.end_date)
    if end is not None and end < day:
        raise InvalidInput("end_date: the review cannot end before it starts")
    session_number = changes.get("session", row.session)
    if not isinstance(session_number, int) or not 1 <= session_number <= 999:
        raise InvalidInput(f"session: {session_number!r} is not a Committee session number")
    row.first_number, row.last_number = first, last
    row.date, row.end_date, row.session = day, end, session_number
    row.symbol = check_symbol(changes.get("symbol", row.symbol), row.state_code)
    row.out_of_sequence = sequence_reason(changes.get("out_of_sequence", row.out_of_sequence))
    check_state_record(session, row.state_code, before)


def correct_decision(
    session: Session, row: models.CommitteeDecision, changes: dict[str, Any]
) -> None:
    number, _ = parse_numbers(changes.get("report", row.report_number), "report")
    due = _date(changes, "due", row.due)
    decided = _date(changes, "decided", row.decided)
    if due is None or decided is None:
        raise InvalidInput("a decision needs its due date and the date it was decided")
    check_record_date(decided, "decided")
    try:
        kind = DecisionKind(changes.get("kind", row.kind)).value
    except ValueError:
        raise InvalidInput("kind: must be 'fix_due_date' or 'request_report'") from None
    row.report_number, row.due, row.decided, row.kind = number, due, decided, kind
    row.symbol = check_symbol(changes.get("symbol", row.symbol), row.state_code)
    check_state_record(session, row.state_code)


def document_values(entity: str, row: Any) -> dict[str, Any]:
    """A Committee document's stored values as its recording function takes them (dates as
    the document gave them: a year-only date stays a year)."""
    if entity == "loipr":
        return {
            "report": row.report_number,
            "symbol": row.symbol,
            "transmitted": document_date(row, "transmitted"),
            "deadline": document_date(row, "deadline"),
            "source": row.source,
        }
    if entity == "list-of-issues":
        return {
            "report": row.report_number,
            "symbol": row.symbol,
            "issued": document_date(row, "issued"),
            "replies_received": document_date(row, "replies_received"),
            "replies_symbol": row.replies_symbol,
            "source": row.source,
        }
    if entity == "observations":
        next_numbers = None
        if row.next_first is not None:
            next_numbers = f"{row.next_first}-{row.next_last or row.next_first}"
        mode = None if row.next_due_mode == NextReportMode.UNKNOWN.value else row.next_due_mode
        return {
            "number": row.number,
            "symbol": row.symbol,
            "adopted": document_date(row, "adopted"),
            "session_number": row.session,
            "next_numbers": next_numbers,
            "next_due": document_date(row, "next_due"),
            "next_due_mode": mode,
            "follow_up_due": document_date(row, "follow_up_due"),
            "follow_up": row.follow_up_due is not None,
            "follow_up_paragraphs": row.follow_up_paragraphs,
            "source": row.source,
        }
    return {
        "number": row.number,
        "symbol": row.symbol,
        "received": document_date(row, "received"),
        "source": row.source,
    }


RECORDERS: dict[str, Callable[..., Any]] = {
    "loipr": practice.record_loipr,
    "list-of-issues": practice.record_list_of_issues,
    "observations": practice.record_observations,
    "follow-up": practice.record_follow_up,
}


def correct_document(session: Session, entity: str, row: Any, changes: dict[str, Any]) -> Any:
    """A Committee document corrected: taken out and recorded again with the changes, through
    the checks a new one meets, under the same id; then the whole State record is checked."""
    values = document_values(entity, row)
    unknown = sorted(set(changes) - set(values))
    if unknown:
        raise InvalidInput(
            f"{unknown[0]}: not a field of a {entity}; give one of {', '.join(values)}"
        )
    code, fact_id = row.state_code, row.id
    before = breaks_now(session, code)
    session.delete(row)
    session.flush()
    corrected = RECORDERS[entity](session, code, **{**values, **changes})
    corrected.id = fact_id  # the audit log and links keep naming the fact by its id
    session.flush()
    check_state_record(session, code, before)
    return corrected


CORRECTIONS: dict[str, Callable[[Session, Any, dict[str, Any]], None]] = {
    "action": correct_action,
    "report": correct_report,
    "review": correct_review,
    "decision": correct_decision,
}

# The fields a correction may change in place, per kind of fact (the API's PATCH bodies).
CORRECTABLE = {
    "action": ("action", "date", "articles", "source", "effective", "notification", "note"),
    "report": ("numbers", "received", "symbol", "procedure", "out_of_sequence"),
    "review": ("numbers", "session", "date", "end_date", "symbol", "out_of_sequence"),
    "decision": ("report", "due", "decided", "symbol", "kind"),
}
# The Committee's documents are corrected by recording them again (correct_document); these
# are the fields the command line takes for them, as `obligations record …` names them.
DOCUMENT_FIELDS = {
    "loipr": ("report", "symbol", "transmitted", "deadline", "source"),
    "list-of-issues": (
        "report", "symbol", "issued", "replies_received", "replies_symbol", "source",
    ),
    "observations": (
        "number", "symbol", "adopted", "session_number", "next_numbers", "next_due",
        "next_due_mode", "follow_up_due", "follow_up_paragraphs", "source",
    ),
    "follow-up": ("number", "symbol", "received", "source"),
}  # fmt: skip
WHOLE_NUMBERS = ("session", "report", "session_number")


def fields_of(entity: str) -> tuple[str, ...] | None:
    """The fields a correction of this kind of fact may change (None: not a kind)."""
    return CORRECTABLE.get(entity) or DOCUMENT_FIELDS.get(entity)


def changes_from_text(entity: str, texts: Mapping[str, str]) -> dict[str, object]:
    """Typed-in values for a correction in place; an empty one clears an optional field."""
    fields = fields_of(entity) or ()
    changes: dict[str, object] = {}
    for name, value in texts.items():
        if name not in fields:
            raise InvalidInput(
                f"{name!r}: give FIELD=VALUE, FIELD one of {', '.join(fields)} for a {entity}"
            )
        text = value.strip()
        if name in WHOLE_NUMBERS and text:
            if not text.isascii() or not text.isdigit():
                raise InvalidInput(f"{name}: {text!r} is not a whole number")
            changes[name] = int(text)
        else:
            changes[name] = text or None
    return changes


def correct_fact(session: Session, entity: str, row: Any, changes: dict[str, Any]) -> Any:
    """The fact corrected (a Committee document comes back as a new object, same id)."""
    if entity in RECORDERS:
        return correct_document(session, entity, row, changes)
    correction = CORRECTIONS.get(entity)
    if correction is None:
        raise InvalidInput(f"{entity!r} is not one of {', '.join(ENTITIES)}")
    correction(session, row, changes)
    return row


def delete_fact(session: Session, row: Any) -> None:
    """Delete a fact; refused if it would make a sound record impossible. A State whose
    stored record is already impossible (hand SQL, an older version) can always shed a fact,
    so a corrections call can remove the row that conflicts."""
    code = row.state_code
    record = load_record(session, code)
    try:
        check_state_facts(record, code)
    except Conflict:
        session.delete(row)
        session.flush()
        return
    session.delete(row)
    check_state_record(session, code, state_breaks(record, code))
