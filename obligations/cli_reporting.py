"""Commands for the Committee's reporting record: recording LOIPRs, lists of issues,
concluding observations, follow-up and research coverage; `coverage`, `check`, `export`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from obligations.cli import MAX_ID, AsOf, Json, as_of_date, cli_actor, emit, read_record, writing
from obligations.errors import Conflict, InvalidInput

# Imported by the commands that use them (start-up time; see obligations.cli).
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from obligations.record import Record

Code = Annotated[str, typer.Argument(help="ISO 3166-1 alpha-3 code.")]
Source = Annotated[str | None, typer.Option(help="The UN document the fact was read in.")]
DateText = "YYYY-MM-DD, or YYYY-MM / YYYY when the document gives only that"


def register(app: typer.Typer, record_app: typer.Typer) -> None:
    record_app.command("loipr")(record_loipr)
    record_app.command("list-of-issues")(record_list_of_issues)
    record_app.command("observations")(record_observations)
    record_app.command("follow-up")(record_follow_up)
    record_app.command("history")(record_history)
    app.command("coverage")(coverage)
    app.command("check")(check)
    app.command("export")(export)
    app.command("correct")(correct)
    app.command("delete")(delete)


def record_loipr(
    code: Code,
    report: Annotated[int, typer.Option(help="The report its replies will be.")],
    symbol: Annotated[str, typer.Option(help="CMW/C/<CODE>/QPR/<n>")],
    transmitted: Annotated[str, typer.Option(help=f"Date transmitted ({DateText}).")],
    deadline: Annotated[str | None, typer.Option(help="Reply deadline.")] = None,
    source: Source = None,
) -> None:
    """Record a list of issues prior to reporting: report N becomes due on its deadline."""
    from obligations import practice
    from obligations.audit import log_creation

    with writing() as session:
        row = practice.record_loipr(session, code, report, symbol, transmitted, deadline, source)
        log_creation(session, cli_actor(), "loipr", row)
        due = f"replies due {deadline}" if deadline else "no reply deadline on record"
        typer.echo(f"recorded {row.symbol}: {row.state_code} report {row.report_number}, {due}")


def record_list_of_issues(
    code: Code,
    report: Annotated[str, typer.Option(help="The report it is on, N or N-M.")],
    symbol: Annotated[str, typer.Option(help="CMW/C/<CODE>/Q/<n>")],
    issued: Annotated[str, typer.Option(help=f"Date issued ({DateText}).")],
    replies_received: Annotated[str | None, typer.Option(help="Date replies came.")] = None,
    replies_symbol: Annotated[str | None, typer.Option(help="CMW/C/<CODE>/Q/<n>/Add.1")] = None,
    source: Source = None,
) -> None:
    """Record a list of issues (standard procedure) and when its replies came."""
    from obligations import practice
    from obligations.audit import log_creation

    with writing() as session:
        row = practice.record_list_of_issues(
            session, code, report, symbol, issued, replies_received, replies_symbol, source
        )
        log_creation(session, cli_actor(), "list-of-issues", row)
        typer.echo(f"recorded {row.symbol}: {row.state_code} list of issues on report {report}")


def record_observations(
    code: Code,
    number: Annotated[int, typer.Option(help="n in CMW/C/<CODE>/CO/<n>.")],
    symbol: Annotated[str, typer.Option(help="CMW/C/<CODE>/CO/<n>")],
    adopted: Annotated[str, typer.Option(help=f"Date adopted ({DateText}).")],
    session_number: Annotated[int | None, typer.Option("--session")] = None,
    next_report: Annotated[
        str | None, typer.Option("--next", help="The next report asked for, N or N-M.")
    ] = None,
    next_due: Annotated[str | None, typer.Option(help="Its due date, if they give one.")] = None,
    review_calendar: Annotated[
        bool, typer.Option(help="The date will come under the predictable review calendar.")
    ] = False,
    follow_up_due: Annotated[
        str | None, typer.Option(help="Follow-up due date; default two years after adoption.")
    ] = None,
    no_follow_up: Annotated[bool, typer.Option(help="They ask for no follow-up.")] = False,
    follow_up_paragraphs: Annotated[str | None, typer.Option(help="e.g. 17, 23, 29")] = None,
    source: Source = None,
) -> None:
    """Record concluding observations: the next report's date (or date to be set) and follow-up."""
    from obligations import practice
    from obligations.audit import log_creation

    mode = "review_calendar" if review_calendar else None
    with writing() as session:
        row = practice.record_observations(
            session, code, number, symbol, adopted, session_number, next_report, next_due, mode,
            follow_up_due, not no_follow_up, follow_up_paragraphs, source,
        )  # fmt: skip
        log_creation(session, cli_actor(), "observations", row)
        typer.echo(
            f"recorded {row.symbol}: next report "
            + (f"{next_report} due {row.next_due}" if row.next_due else f"({row.next_due_mode})")
            + (f"; follow-up due {row.follow_up_due}" if row.follow_up_due else "; no follow-up")
        )


def record_follow_up(
    code: Code,
    number: Annotated[int, typer.Option(help="n of the concluding observations followed up.")],
    received: Annotated[str, typer.Option(help=f"Date received ({DateText}).")],
    symbol: Annotated[str | None, typer.Option(help="CMW/C/<CODE>/FCO/<n>")] = None,
    source: Source = None,
) -> None:
    """Record follow-up information received on concluding observations number N."""
    from obligations import practice
    from obligations.audit import log_creation

    with writing() as session:
        row = practice.record_follow_up(session, code, number, received, symbol, source)
        log_creation(session, cli_actor(), "follow-up", row)
        typer.echo(f"recorded follow-up of {row.state_code} on CO {row.number}, {row.received}")


def record_history(
    code: Code,
    researched_until: Annotated[
        str | None, typer.Option(help="The record is complete up to this date.")
    ] = None,
    kept_current: Annotated[
        bool, typer.Option(help="The secretariat records every document as it comes.")
    ] = False,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Say how far a State's reporting history is known to be complete (neither: unknown)."""
    from obligations import practice
    from obligations.audit import log_change, snapshot

    with writing() as session:
        state = practice.record_history(session, code, researched_until, note, kept_current)
        log_change(
            session, cli_actor(), "update", "history", None, state.code, None, snapshot(state)
        )
        typer.echo(f"{state.code}: {history_words(state.history_researched_until)}")


def history_words(until: date | None) -> str:
    from obligations.record import KEPT_CURRENT

    if until is None:
        return "reporting history not researched"
    if until == KEPT_CURRENT:
        return "reporting history kept current by the secretariat"
    return f"reporting history researched up to {until.isoformat()}"


@dataclass(frozen=True)
class CoverageRow:
    code: str
    name: str
    researched_until: date | None
    kept_current: bool
    note: str | None
    reports: int
    reviews: int
    observations: int
    loiprs: int
    lists_of_issues: int
    decisions: int
    follow_up: int
    sources: list[str]


def fact_sources(session: Session) -> dict[str, list[str]]:
    """Every fact's source, by State: the documents the record was read from."""
    from sqlalchemy import select

    from obligations.record_files import FILES

    sources: dict[str, list[str]] = defaultdict(list)
    for spec in FILES:
        model = spec.model
        for code, source in session.execute(select(model.state_code, model.source)):  # type: ignore[attr-defined]
            if source:
                sources[code].append(source)
    return sources


def source_document(source: str) -> str:
    """The document a source names: its UN symbol, or its text up to the address."""
    return source.split(" <", 1)[0].split(" (copy", 1)[0].strip()


def coverage_rows(record: Record, day: date, sources: dict[str, list[str]]) -> list[CoverageRow]:
    from obligations.queries import assess_acting
    from obligations.record import KEPT_CURRENT

    rows = []
    for a in assess_acting(record, day):
        if not a.standing.party:
            continue
        entry = record.states[a.code]
        until = entry.history_researched_until
        documents = Counter(source_document(s) for s in sources.get(a.code, []))
        rows.append(
            CoverageRow(
                a.code, a.name,
                None if until == KEPT_CURRENT else until,
                until == KEPT_CURRENT, entry.history_note,
                len(record.reports.get(a.code, [])), len(record.reviews.get(a.code, [])),
                len(record.observations.get(a.code, [])), len(record.loiprs.get(a.code, [])),
                len(record.lists_of_issues.get(a.code, [])), len(record.decisions.get(a.code, [])),
                len(record.follow_ups.get(a.code, [])), sorted(documents),
            )
        )  # fmt: skip
    return rows


def coverage(as_of: AsOf = None, json_: Json = False) -> None:
    """Per State party: how far its reporting history is known, what is on record, from where."""
    from obligations.record import load_record
    from obligations.tables import table

    day = as_of_date(as_of)
    with writing() as session:
        record = load_record(session)
        rows = coverage_rows(record, day, fact_sources(session))
    researched = sum(1 for r in rows if r.researched_until or r.kept_current)
    emit(
        {"as_of": day, "states": rows},
        json_,
        lambda: (
            f"Reporting history of the {len(rows)} States parties as at {day}: "
            f"{researched} researched, {len(rows) - researched} not researched\n"
            + table(
                [
                    "code",
                    "researched until",
                    "reports",
                    "reviews",
                    "CO",
                    "LOIPR",
                    "LOI",
                    "dates set",
                    "follow-up",
                    "sources",
                ],
                [
                    (
                        r.code,
                        "kept current"
                        if r.kept_current
                        else r.researched_until or "NOT RESEARCHED",
                        r.reports,
                        r.reviews,
                        r.observations,
                        r.loiprs,
                        r.lists_of_issues,
                        r.decisions,
                        r.follow_up,
                        len(r.sources),
                    )
                    for r in rows
                ],
            )  # fmt: skip
        ),
    )


@dataclass(frozen=True)
class Problem:
    code: str
    name: str
    problem: str


def check(json_: Json = False) -> None:
    """List every State whose stored facts cannot all be true (exit 1 if any), so a
    correction (DELETE of the conflicting row) can mend it."""
    from obligations.corrections import check_state_facts

    record = read_record()
    problems = []
    for code in sorted(set(record.actions) | set(record.reports) | set(record.reviews)):
        try:
            check_state_facts(record, code)
        except Conflict as error:
            problems.append(Problem(code, record.states[code].name, str(error)))
    emit(
        {"problems": problems},
        json_,
        lambda: (
            "\n".join(f"{p.code} ({p.name}): {p.problem}" for p in problems)
            or "no problems: every State's stored facts hold together"
        ),
    )
    if problems:
        raise typer.Exit(1)


def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the record's CSV files to.")],
) -> None:
    """Write the whole record as CSV files, one per fact type (`import` reads them back)."""
    from obligations.record_files import export_record

    with writing() as session:
        counts = export_record(session, folder)
    for name, count in counts.items():
        typer.echo(f"{folder / name}: {count} rows")


# The kinds `correct` and `delete` take (obligations.corrections.ENTITIES, not imported here
# for start-up time).
FactKind = Annotated[
    str,
    typer.Argument(
        help="action, report, review, decision, loipr, list-of-issues, observations or follow-up."
    ),
]


def parse_changes(entity: str, pairs: list[str]) -> dict[str, object]:
    """FIELD=VALUE pairs for a correction; an empty VALUE clears an optional field."""
    from obligations.corrections import ENTITIES, changes_from_text, fields_of

    fields = fields_of(entity)
    if fields is None:
        raise InvalidInput(f"{entity!r} is not one of {', '.join(ENTITIES)}")
    texts: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in fields:
            raise InvalidInput(
                f"{pair!r}: give FIELD=VALUE, FIELD one of {', '.join(fields)} for a {entity}"
            )
        texts[name] = value
    if not texts:
        raise InvalidInput(f"say what to change: FIELD=VALUE, FIELD one of {', '.join(fields)}")
    return changes_from_text(entity, texts)


def correct(
    entity: FactKind,
    fact_id: Annotated[int, typer.Argument(help="The fact's id.", min=1, max=MAX_ID)],
    changes: Annotated[list[str], typer.Argument(help="FIELD=VALUE, e.g. received=2010-03-02")],
) -> None:
    """Correct a recorded fact; refused with the reason if the record would be impossible."""
    from obligations.audit import log_change, snapshot
    from obligations.corrections import correct_fact, get_fact

    parsed = parse_changes(entity, changes)  # refuses a kind that is not one
    with writing() as session:
        row = get_fact(session, entity, fact_id)
        before = snapshot(row)
        # A Committee document comes back as a new object under the same id.
        row = correct_fact(session, entity, row, parsed)
        after = snapshot(row)
        log_change(session, cli_actor(), "update", entity, fact_id, row.state_code, before, after)
        typer.echo(
            f"corrected {entity} {fact_id} of {row.state_code}: "
            + ", ".join(
                f"{name} {before.get(name)} -> {value}"
                for name, value in after.items()
                if before.get(name) != value
            )
            or "nothing changed"
        )


def delete(
    entity: FactKind,
    fact_id: Annotated[int, typer.Argument(help="The fact's id.", min=1, max=MAX_ID)],
) -> None:
    """Delete a fact recorded in error; refused if the record would then be impossible."""
    from obligations.audit import log_change, snapshot
    from obligations.corrections import ENTITIES, delete_fact, get_fact

    if entity not in ENTITIES:
        raise InvalidInput(f"{entity!r} is not one of {', '.join(ENTITIES)}")
    with writing() as session:
        row = get_fact(session, entity, fact_id)
        before = snapshot(row)
        code = row.state_code
        delete_fact(session, row)
        log_change(session, cli_actor(), "delete", entity, fact_id, code, before, None)
    typer.echo(f"deleted {entity} {fact_id} of {code}")
