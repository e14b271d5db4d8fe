"""Planning a sweep: which reminders and overdue notices are due today, and to whom.

For each report and recipient only the most recent stage that has come is planned, and only
if that recipient has not had it (its natural key is not in the outbox). What one State's
focal points in one language are owed on a sweep goes out as one message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from notifier.collector import sparing_collector
from notifier.config import NotifierConfig, require_secretariat
from notifier.models import OutboxRecipient
from notifier.policy import Stage, latest_stage
from notifier.rendering import Rendered, render
from obligations import models
from obligations.queries import StateAssessment, as_given, assess_acting
from obligations.record import Record, load_record
from obligations.rules.reporting import FollowUpObligation, ReportObligation, ReportStatus
from obligations.symbols import expected_symbol, list_of_issues_symbol, report_symbol

OPEN = (ReportStatus.OVERDUE, ReportStatus.DUE, ReportStatus.UPCOMING)


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str
    language: str
    role: str  # primary or copy


@dataclass(frozen=True)
class StagedReport:
    """A report whose latest stage has come, for one State."""

    code: str
    report: ReportObligation | FollowUpObligation
    stage: Stage
    due: date

    @cached_property
    def key_prefix(self) -> str:
        """The natural key without its address (made once: a sweep asks for 37,000 keys)."""
        r = self.report
        # Follow-up information on CO n is its own item, apart from report n.
        item = f"FCO{r.number}" if r.kind == "follow_up" else str(r.number)
        return f"{self.code}|{item}|{self.due.isoformat()}|{self.stage.name}|"

    def natural_key(self, address: str) -> str:
        return self.key_prefix + address


@dataclass(frozen=True)
class PlannedMessage:
    kind: str  # reminder, overdue or digest
    state_code: str | None
    report_number: int | None
    due: date | None
    stage: str
    as_of: date
    language: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    # (natural key, address, "to" or "cc") for every recipient and every report it covers
    keys: tuple[tuple[str, str, str], ...]
    rendered: Rendered
    attachment_name: str | None = None
    attachment_text: str | None = None


def active_recipients(session: Session) -> dict[str, list[Recipient]]:
    """Every State's active contacts, primaries first (one query)."""
    by_state: dict[str, list[Recipient]] = defaultdict(list)
    c = models.Contact
    # Plain rows, not ORM objects: 20,000 contacts for 10,000 States cost a third of a second.
    rows = session.execute(
        select(c.state_code, c.email, c.name, c.language, c.role)
        .where(c.active.is_(True))
        .order_by(c.state_code, c.role.desc(), c.id)
    )
    for code, email, name, language, role in rows:
        by_state[code].append(Recipient(email, name, language, role))
    return by_state


def staged_reports(
    assessment: StateAssessment, as_of: date, config: NotifierConfig
) -> list[StagedReport]:
    staged = []
    for report in assessment.obligations():
        # Never a reminder the record cannot vouch for: a gap in research is not lateness.
        if report.status in OPEN and report.due is not None and assessment.verified_for(report):
            stage = latest_stage(report.due, as_of, config.policy)
            if stage is not None:
                staged.append(StagedReport(assessment.code, report, stage, report.due))
    return staged


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """The keys already in the outbox, looked up in batches."""
    wanted = list(keys)
    column = OutboxRecipient.natural_key
    postgres = session.get_bind().dialect.name == "postgresql"
    # PostgreSQL: one array parameter per batch, so a short statement the driver parses once,
    # and an index lookup whatever the outbox held when it was first planned. SQLite takes at
    # most a few hundred bound values in a statement.
    chunk = 10_000 if postgres else 500
    found: set[str] = set()
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        match = (
            column == any_(bindparam("keys", part, type_=ARRAY(String)))
            if postgres
            else column.in_(part)
        )
        found.update(session.scalars(select(column).where(match)))
    return found


def addressees(group: Sequence[Recipient]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Primaries in To, copies in Cc; a group with no primary has its copies in To."""
    primaries = tuple(r.address for r in group if r.role == "primary")
    copies = tuple(r.address for r in group if r.role != "primary")
    return (primaries, copies) if primaries else (copies, ())


def last_procedure(record: Record, code: str, as_of: date) -> str | None:
    received = [r for r in record.reports.get(code, []) if r.received <= as_of]
    if not received:
        return None
    return max(received, key=lambda r: r.received).procedure.value


def notice_context(
    assessment: StateAssessment,
    owed: Sequence[StagedReport],
    staged: Sequence[StagedReport],
    record: Record,
    as_of: date,
    config: NotifierConfig,
) -> dict[str, object]:
    """What a focal point needs to act: every outstanding report, and how to submit."""
    code = assessment.code
    late_items = [
        (r, r.due)
        for r in assessment.obligations()
        if r.status is ReportStatus.OVERDUE and r.due is not None and assessment.verified_for(r)
    ]
    overdue = [
        {
            "kind": r.kind,
            "number": r.number,
            "due": as_given(due, r.due_precision),
            "basis": r.basis,
            "days_overdue": (as_of - due).days,
            "expected_symbol": expected_symbol(code, r.kind, r.number),
        }
        for r, due in late_items
    ]
    upcoming = [
        {
            "kind": s.report.kind,
            "number": s.report.number,
            "due": as_given(s.due, s.report.due_precision),
            "basis": s.report.basis,
            "days_left": (s.due - as_of).days,
            "expected_symbol": expected_symbol(code, s.report.kind, s.report.number),
        }
        for s in staged
        if s.stage.kind == "reminder"
    ]
    late = [r for r, _ in late_items if r.kind != "follow_up"]
    combined = report_symbol(code, late[0].number, late[-1].number) if len(late) > 1 else None
    reports_owed = [u.report.number for u in owed if u.report.kind != "follow_up"]
    first_owed = min([*(r.number for r in late), *reports_owed], default=1)
    # The simplified procedure replaces a periodic report by replies to a list of issues.
    qpr = list_of_issues_symbol(code, first_owed) if first_owed > 1 else None
    return {
        "state": {"code": code, "name": assessment.name},
        "as_of": as_of,
        "subject_reports": [
            {
                "number": s.report.number,
                "due": as_given(s.due, s.report.due_precision),
                "kind": s.report.kind,
                "basis": s.report.basis,
                "stage": s.stage.kind,
            }
            for s in owed
        ],
        "overdue": overdue,
        "upcoming": upcoming,
        "combined_symbol": combined,
        "qpr_symbol": qpr,
        "last_procedure": last_procedure(record, code, as_of),
        "secretariat": list(config.secretariat),
    }


def plan_state(
    assessment: StateAssessment,
    recipients: Sequence[Recipient],
    staged: Sequence[StagedReport],
    already: set[str],
    record: Record,
    as_of: date,
    config: NotifierConfig,
) -> list[PlannedMessage]:
    """One message per language and per set of reports still owed to its recipients."""
    groups: dict[tuple[str, tuple[StagedReport, ...]], list[Recipient]] = defaultdict(list)
    for recipient in recipients:
        owed = tuple(s for s in staged if s.natural_key(recipient.address) not in already)
        if owed:
            groups[(recipient.language, owed)].append(recipient)
    planned = []
    for (language, owed), group in groups.items():
        to, cc = addressees(group)
        overdue = [s for s in owed if s.stage.kind == "overdue"]
        lead = overdue[0] if overdue else owed[0]
        kind = "overdue" if overdue else "reminder"
        context = notice_context(assessment, owed, staged, record, as_of, config)
        keys = tuple(
            (s.natural_key(address), address, field)
            for field, addresses in (("to", to), ("cc", cc))
            for address in addresses
            for s in owed
        )
        planned.append(
            PlannedMessage(
                kind=kind,
                state_code=assessment.code,
                report_number=lead.report.number,
                due=lead.due,
                stage=lead.stage.name,
                as_of=as_of,
                language=language,
                to=to,
                cc=cc,
                keys=keys,
                rendered=render(kind, language, context),
            )
        )
    return planned


def plan_sweep(
    session: Session, as_of: date, config: NotifierConfig, record: Record | None = None
) -> list[PlannedMessage]:
    """The reminders and overdue notices a sweep on `as_of` sends; nothing is written.

    Refused (NoSecretariat) without a secretariat address: every notice asks for a reply.
    """
    require_secretariat(config)
    with sparing_collector() as freeze:
        record = record or load_record(session)
        recipients = active_recipients(session)
        freeze()  # the record and the contacts stay alive until the sweep ends
        candidates = [
            (a, staged)
            for a in assess_acting(record, as_of)
            if a.code in recipients
            for staged in [staged_reports(a, as_of, config)]
            if staged
        ]
        keys = [
            s.natural_key(r.address)
            for a, staged in candidates
            for s in staged
            for r in recipients[a.code]
        ]
        already = existing_keys(session, keys)
        return [
            message
            for a, staged in candidates
            for message in plan_state(a, recipients[a.code], staged, already, record, as_of, config)
        ]
