"""The secretariat's weekly digest: reports overdue (by State), due soon, newly overdue."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notifier.config import NotifierConfig
from notifier.models import OutboxMessage
from notifier.planning import PlannedMessage, active_recipients, existing_keys
from notifier.rendering import render
from obligations.csvcells import neutralise_value
from obligations.queries import OverdueItem, UpcomingItem, overdue_reports, upcoming_reports
from obligations.record import Record, load_record
from obligations.symbols import expected_symbol

CSV_COLUMNS = [
    "section",
    "state",
    "name",
    "regional_group",
    "report",
    "kind",
    "due",
    "basis",
    "days_overdue",
    "days_until_due",
    "expected_symbol",
    "focal_point_on_file",
    "verified",
]


@dataclass(frozen=True)
class DigestLine:
    code: str
    name: str
    regional_group: str | None
    number: int
    kind: str
    due: date | str  # a string when the document gives only the year or month
    basis: str
    days: int  # overdue (overdue lines) or until due (upcoming lines)
    expected_symbol: str
    has_contact: bool
    verified: bool = True  # False: the record may lack a Committee date set since


def digest_key(as_of: date, address: str) -> str:
    return f"-|-|{as_of.isoformat()}|digest|{address}"


def previous_digest(session: Session, as_of: date) -> date | None:
    return session.scalar(
        select(func.max(OutboxMessage.as_of)).where(
            OutboxMessage.kind == "digest", OutboxMessage.as_of < as_of
        )
    )


def digest_lines(
    record: Record, as_of: date, upcoming_days: int, with_contact: set[str]
) -> tuple[list[DigestLine], list[DigestLine]]:
    groups = {code: entry.regional_group for code, entry in record.states.items()}

    def line(item: OverdueItem | UpcomingItem, days: int) -> DigestLine:
        return DigestLine(
            item.code,
            item.name,
            groups.get(item.code),
            item.number,
            item.kind,
            item.due,
            item.basis,
            days,
            expected_symbol(item.code, item.kind, item.number),
            item.code in with_contact,
            item.verified,
        )

    overdue = [line(i, i.days_overdue) for i in overdue_reports(record, as_of).items]
    upcoming = [line(i, i.days_until) for i in upcoming_reports(record, as_of, upcoming_days).items]
    return overdue, upcoming


def digest_csv(overdue: list[DigestLine], upcoming: list[DigestLine], newly: set[int]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for index, line in enumerate(overdue):
        section = "newly overdue" if index in newly else "overdue"
        writer.writerow(map(neutralise_value, _csv_row(section, line, line.days, "")))
    for line in upcoming:
        writer.writerow(map(neutralise_value, _csv_row("due soon", line, "", line.days)))
    return out.getvalue()


def _csv_row(section: str, line: DigestLine, overdue: object, until: object) -> list[object]:
    return [
        section,
        line.code,
        line.name,
        line.regional_group or "",
        line.number,
        line.kind,
        str(line.due),
        line.basis,
        overdue,
        until,
        line.expected_symbol,
        "yes" if line.has_contact else "no",
        "yes" if line.verified else "no (the record may lack a later Committee date)",
    ]


@dataclass(frozen=True)
class OverdueByState:
    code: str
    name: str
    has_contact: bool
    items: list[DigestLine]

    @property
    def count(self) -> int:
        return len(self.items)


def group_by_state(lines: list[DigestLine]) -> list[OverdueByState]:
    """Overdue reports by State, in the order of their first line (oldest overdue first)."""
    states: dict[str, OverdueByState] = {}
    for line in lines:
        group = OverdueByState(line.code, line.name, line.has_contact, [])
        states.setdefault(line.code, group).items.append(line)
    return list(states.values())


@dataclass(frozen=True)
class DigestPlan:
    messages: list[PlannedMessage]
    nothing_to_send: str | None = None  # why, when there is no message


def already_planned(session: Session, as_of: date) -> str:
    """Why a digest planned for `as_of` to every address is not planned again."""
    statuses = set(
        session.scalars(
            select(OutboxMessage.status).where(
                OutboxMessage.kind == "digest", OutboxMessage.as_of == as_of
            )
        )
    )
    done = "already sent" if statuses == {"sent"} else "already in the outbox"
    return (
        f"the digest as at {as_of.isoformat()} was {done} for every address in "
        "OBLIGATIONS_SECRETARIAT_EMAILS (see `obligations outbox`)"
    )


def digest_plan(
    session: Session, as_of: date, config: NotifierConfig, record: Record | None = None
) -> DigestPlan:
    """The week's digest to the secretariat addresses that have not had it for `as_of`, or
    why there is none to send."""
    if not config.secretariat:
        return DigestPlan(
            [], "no OBLIGATIONS_SECRETARIAT_EMAILS set: the digest has nobody to go to"
        )
    already = existing_keys(session, [digest_key(as_of, a) for a in config.secretariat])
    to = tuple(a for a in config.secretariat if digest_key(as_of, a) not in already)
    if not to:
        return DigestPlan([], already_planned(session, as_of))
    record = record or load_record(session)
    since = previous_digest(session, as_of) or as_of - timedelta(days=7)
    with_contact = set(active_recipients(session))
    overdue, upcoming = digest_lines(record, as_of, config.digest_upcoming_days, with_contact)
    if not overdue and not upcoming:
        return DigestPlan(
            [],
            f"nothing to report as at {as_of.isoformat()}: no report overdue, "
            f"none due within {config.digest_upcoming_days} days",
        )
    # Due on or after `since`: fell overdue since the last digest.
    window = (as_of - since).days
    newly_indexes = {i for i, line in enumerate(overdue) if line.days <= window}
    context: dict[str, object] = {
        "as_of": as_of,
        "since": since,
        "upcoming_days": config.digest_upcoming_days,
        "overdue_groups": group_by_state(overdue),
        "overdue_count": len(overdue),
        "by_region": sorted(
            Counter(line.regional_group or "-" for line in overdue).items(),
            key=lambda item: (-item[1], item[0]),
        ),
        "newly_overdue": [overdue[i] for i in sorted(newly_indexes)],
        "upcoming": upcoming,
        "without_contact": [
            {"code": code, "name": name}
            for name, code in sorted(
                {(line.name, line.code) for line in overdue + upcoming if not line.has_contact}
            )
        ],
    }
    language = config.digest_language
    message = PlannedMessage(
        kind="digest",
        state_code=None,
        report_number=None,
        due=None,
        stage="digest",
        as_of=as_of,
        language=language,
        to=to,
        cc=(),
        keys=tuple((digest_key(as_of, a), a, "to") for a in to),
        rendered=render("digest", language, context),
        attachment_name=f"icrmw-reports-{as_of.isoformat()}.csv",
        attachment_text=digest_csv(overdue, upcoming, newly_indexes),
    )
    return DigestPlan([message])


def plan_digest(
    session: Session, as_of: date, config: NotifierConfig, record: Record | None = None
) -> list[PlannedMessage]:
    """The digest messages `digest_plan` plans (none: see its `nothing_to_send`)."""
    return digest_plan(session, as_of, config, record).messages
