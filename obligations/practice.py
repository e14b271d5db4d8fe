"""Recording the Committee's reporting practice: lists of issues (prior to reporting),
concluding observations and follow-up information, each checked against the State's record.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from obligations import models
from obligations.errors import Conflict, InvalidInput
from obligations.inputs import (
    check_plain_text,
    check_record_date,
    check_symbol,
    parse_numbers,
    parse_partial_date,
    today,
)
from obligations.record import KEPT_CURRENT, load_record
from obligations.recording import DEFAULT_SOURCE, lock_state, require_bound, write_row
from obligations.rules.facts import NextReportMode
from obligations.rules.precision import Precision, shown
from obligations.rules.reporting import default_follow_up_due

DateText = str | date


def check_numbered_symbol(symbol: str, code: str, kind: str, number: int, field: str) -> str:
    """A symbol CMW/C/<CODE>/<kind>/<n> whose number is the one given."""
    value = check_symbol(symbol, code, field)
    if value is None:
        raise InvalidInput(f"{field}: the document symbol is required (CMW/C/{code}/{kind}/n)")
    rest = value.split("/", 3)[3]
    match = re.fullmatch(rf"{kind}/(\d{{1,2}})(?:-(\d{{1,2}}))?", rest)
    if match is None:
        raise InvalidInput(f"{field}: {value!r} is not of the form CMW/C/{code}/{kind}/<n>")
    first = int(match.group(1))
    # A combined document (CO/2-4) is numbered by the last report it covers.
    if number not in (first, int(match.group(2) or first)):
        raise InvalidInput(f"{field}: {value!r} does not name number {number}")
    return value


def _fact_date(text: DateText, field: str) -> tuple[date, Precision]:
    day, precision = parse_partial_date(text, field)
    if day > today() and precision is not Precision.DAY:
        raise InvalidInput(f"{field}: {shown(day, precision)} has not ended yet; give the day")
    return check_record_date(day, field), precision


def _optional(text: DateText | None, field: str) -> tuple[date | None, Precision]:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None, Precision.DAY
    return parse_partial_date(text, field)


def _source(source: str | None) -> str:
    return check_plain_text(source, "source", 500) or DEFAULT_SOURCE


def record_loipr(
    session: Session,
    code: str,
    report: int | str,
    symbol: str,
    transmitted: DateText,
    deadline: DateText | None = None,
    source: str | None = None,
) -> models.ListOfIssuesPriorToReporting:
    """A list of issues prior to reporting: from its date, report n is due on its deadline."""
    state = lock_state(session, code)
    number, _ = parse_numbers(report, "report")
    symbol = check_numbered_symbol(symbol, state.code, "QPR", number, "symbol")
    sent, sent_precision = _fact_date(transmitted, "transmitted")
    due, due_precision = _optional(deadline, "deadline")
    if due is not None and due < sent:
        raise InvalidInput("deadline: the replies cannot be due before the list was transmitted")
    record = load_record(session, state.code)
    require_bound(record, state.code, sent, "a list of issues prior to reporting")
    for received in record.reports.get(state.code, []):
        if received.covers(number) and received.received <= sent:
            raise Conflict(
                f"{state.code}: report {number} was already received on "
                f"{received.received.isoformat()}, before this list of issues"
            )
    if any(x.report == number for x in record.loiprs.get(state.code, [])):
        raise Conflict(f"{state.code}: a list of issues prior to report {number} is on record")
    return write_row(
        session,
        models.ListOfIssuesPriorToReporting(
            state_code=state.code,
            report_number=number,
            symbol=symbol,
            transmitted=sent,
            transmitted_precision=sent_precision.value,
            deadline=due,
            deadline_precision=due_precision.value,
            source=_source(source),
        ),
    )


def record_list_of_issues(
    session: Session,
    code: str,
    report: int | str,
    symbol: str,
    issued: DateText,
    replies_received: DateText | None = None,
    replies_symbol: str | None = None,
    source: str | None = None,
) -> models.ListOfIssues:
    """A list of issues (standard procedure) on report n, and when its replies came."""
    state = lock_state(session, code)
    number, _ = parse_numbers(report, "report")
    symbol = check_numbered_symbol(symbol, state.code, "Q", number, "symbol")
    day, precision = _fact_date(issued, "issued")
    replies: date | None = None
    replies_precision = Precision.DAY
    if replies_received is not None and str(replies_received).strip():
        replies, replies_precision = _fact_date(replies_received, "replies_received")
        if replies < day:
            raise InvalidInput("replies_received: the replies cannot come before the list")
    record = load_record(session, state.code)
    require_bound(record, state.code, day, "a list of issues")
    if any(x.symbol == symbol for x in record.lists_of_issues.get(state.code, [])):
        raise Conflict(f"{state.code}: {symbol} is already on record")
    return write_row(
        session,
        models.ListOfIssues(
            state_code=state.code,
            report_number=number,
            symbol=symbol,
            issued=day,
            issued_precision=precision.value,
            replies_received=replies,
            replies_precision=replies_precision.value,
            replies_symbol=check_symbol(replies_symbol, state.code, "replies_symbol"),
            source=_source(source),
        ),
    )


def record_observations(
    session: Session,
    code: str,
    number: int | str,
    symbol: str,
    adopted: DateText,
    session_number: int | None = None,
    next_numbers: str | tuple[int, int] | list[int] | None = None,
    next_due: DateText | None = None,
    next_due_mode: str | None = None,
    follow_up_due: DateText | None = None,
    follow_up: bool = True,
    follow_up_paragraphs: str | None = None,
    source: str | None = None,
) -> models.ConcludingObservations:
    """Concluding observations: they fix the next report's date (or leave it to be set)
    and, unless told otherwise, ask for follow-up information within two years."""
    state = lock_state(session, code)
    co_number, _ = parse_numbers(number, "number")
    symbol = check_numbered_symbol(symbol, state.code, "CO", co_number, "symbol")
    day, precision = _fact_date(adopted, "adopted")
    if session_number is not None and not 1 <= session_number <= 999:
        raise InvalidInput(f"session: {session_number} is not a Committee session number")
    first = last = None
    if next_numbers is not None and str(next_numbers).strip():
        first, last = parse_numbers(next_numbers, "next_numbers")
    due, due_precision = _optional(next_due, "next_due")
    mode = _mode(next_due_mode, due, first)
    if due is not None and due <= day:
        raise InvalidInput("next_due: the next report must fall due after the adoption")
    follow, follow_precision = _optional(follow_up_due, "follow_up_due")
    if follow_up and follow is None:
        follow = default_follow_up_due(day)
        follow_precision = precision
    if not follow_up:
        follow = None
    if follow is not None and follow <= day:
        raise InvalidInput("follow_up_due: follow-up must fall due after the adoption")
    record = load_record(session, state.code)
    require_bound(record, state.code, day, "concluding observations")
    if any(x.number == co_number for x in record.observations.get(state.code, [])):
        raise Conflict(f"{state.code}: concluding observations {symbol} are already on record")
    return write_row(
        session,
        models.ConcludingObservations(
            state_code=state.code,
            number=co_number,
            symbol=symbol,
            adopted=day,
            adopted_precision=precision.value,
            session=session_number,
            next_first=first,
            next_last=last,
            next_due=due,
            next_due_precision=due_precision.value,
            next_due_mode=mode.value,
            follow_up_due=follow,
            follow_up_precision=follow_precision.value,
            follow_up_paragraphs=check_plain_text(follow_up_paragraphs, "follow_up_paragraphs", 64),
            source=_source(source),
        ),
    )


def _mode(text: str | None, due: date | None, first: int | None) -> NextReportMode:
    if text is None or not text.strip():
        mode = NextReportMode.FIXED if due is not None else NextReportMode.UNKNOWN
    else:
        try:
            mode = NextReportMode(text.strip().lower())
        except ValueError:
            known = ", ".join(m.value for m in NextReportMode)
            raise InvalidInput(f"next_due_mode: {text!r} is not one of {known}") from None
    if mode is NextReportMode.FIXED and due is None:
        raise InvalidInput("next_due: a fixed next report needs its due date")
    if mode is NextReportMode.REVIEW_CALENDAR and due is not None:
        raise InvalidInput("next_due: a date to be set under the review calendar has no date yet")
    if (due is not None or mode is not NextReportMode.UNKNOWN) and first is None:
        raise InvalidInput("next_numbers: say which report the observations ask for next")
    return mode


def record_follow_up(
    session: Session,
    code: str,
    number: int | str,
    received: DateText,
    symbol: str | None = None,
    source: str | None = None,
) -> models.FollowUpReceived:
    """Follow-up information received on concluding observations number n."""
    state = lock_state(session, code)
    co_number, _ = parse_numbers(number, "number")
    day, precision = _fact_date(received, "received")
    record = load_record(session, state.code)
    observations = [x for x in record.observations.get(state.code, []) if x.number == co_number]
    if not observations:
        raise Conflict(f"{state.code}: no concluding observations number {co_number} on record")
    if day < observations[0].adopted:
        raise Conflict(
            f"{state.code}: follow-up received on {shown(day, precision)} comes before the "
            f"concluding observations {observations[0].symbol} it follows up"
        )
    if any(x.number == co_number for x in record.follow_ups.get(state.code, [])):
        raise Conflict(f"{state.code}: follow-up on {observations[0].symbol} is already on record")
    return write_row(
        session,
        models.FollowUpReceived(
            state_code=state.code,
            number=co_number,
            symbol=check_symbol(symbol, state.code),
            received=day,
            received_precision=precision.value,
            source=_source(source),
        ),
    )


def record_history(
    session: Session,
    code: str,
    researched_until: DateText | None,
    note: str | None = None,
    kept_current: bool = False,
) -> models.State:
    """Say how far a State's reporting history is known to be complete: researched up to a
    date, kept current from now on, or (neither) not researched."""
    state = lock_state(session, code)
    if kept_current and researched_until is not None:
        raise InvalidInput("researched_until: give a date or --kept-current, not both")
    until: date | None = KEPT_CURRENT if kept_current else None
    if researched_until is not None and not kept_current:
        until, precision = parse_partial_date(researched_until, "researched_until")
        if precision is not Precision.DAY:
            raise InvalidInput("researched_until: give the day (YYYY-MM-DD)")
        check_record_date(until, "researched_until")
    state.history_researched_until = until
    state.history_note = check_plain_text(note, "note", 500)
    session.flush()
    return state
