"""The `obligations` command: set up the record, ask about it as at any date, record facts."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeGuard, TypeVar

import typer

from notifier.cli import register as register_notifier
from obligations import TREATY
from obligations.errors import ObligationsError

# Start-up time: SQLAlchemy, pydantic-settings, the rules and the notifier are imported by the
# commands that use them, so that `--help` or a typo costs no more than typer.
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import Session

    from obligations import queries
    from obligations.record import Record

app = typer.Typer(
    help="Reporting obligations under the Migrant Workers Convention (ICRMW).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
record_app = typer.Typer(
    help="Record a fact: a depositary action, a report, a review, a decision.", no_args_is_help=True
)
app.add_typer(record_app, name="record")
contact_app = typer.Typer(
    help="Focal points' contact details (personal data).", no_args_is_help=True
)
app.add_typer(contact_app, name="contact")
token_app = typer.Typer(help="Bearer tokens for the API.", no_args_is_help=True)
app.add_typer(token_app, name="token")

T = TypeVar("T")

# `serve --workers`: a bound against a typo (each worker keeps its own database connections).
MAX_WORKERS = 32


class CliState:
    database_url: str = ""


cli_state = CliState()


def fail(message: str) -> NoReturn:
    """One line on stderr (a driver's multi-line message joined), exit status 2."""
    line = " ".join(part.strip() for part in message.strip().splitlines() if part.strip())
    typer.echo(f"error: {line}", err=True)
    raise SystemExit(2)


@app.callback()
def main_options(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(help="Database URL; overrides OBLIGATIONS_DATABASE_URL."),
    ] = None,
) -> None:
    from obligations.paths import default_data_dir, default_database_url, environment_database_url
    from obligations.sqlite_url import check_folder, plain_sqlite_file

    url = database_url or environment_database_url()
    if ctx.invoked_subcommand == "init" and url == default_database_url():
        # The one folder init creates: the default data folder, never a given path's parents.
        default_data_dir().mkdir(parents=True, exist_ok=True)
    file = plain_sqlite_file(url)
    if file is not None:  # checked as check_database_url would, without SQLAlchemy
        check_folder(file.folder)
        cli_state.database_url = url
    else:
        from obligations.db import check_database_url

        cli_state.database_url = check_database_url(url)


def engine() -> Engine:
    from obligations.db import make_engine

    return make_engine(cli_state.database_url)


@contextmanager
def writing() -> Iterator[Session]:
    """A transaction on an initialised database; any ObligationsError rolls it back."""
    from obligations.db import session_factory, transaction

    eng = engine()
    try:
        _require_schema(eng)
        with transaction(session_factory(eng)) as session:
            yield session
    finally:
        eng.dispose()


def _require_schema(eng: Engine) -> None:
    from sqlalchemy.exc import DBAPIError

    from obligations.db import has_schema, masked, unavailable

    try:
        ready = has_schema(eng)
    except DBAPIError as error:
        raise unavailable(error, eng.url) from None
    if not ready:
        raise ObligationsError(
            f"the database {masked(eng.url)} is not set up; run `obligations init`"
        )


def read_record() -> Record:
    """The whole record, read on a DB-API connection: a SQLite file's with the standard
    library alone, any other database's through SQLAlchemy's engine."""
    from obligations.sqlite_record import read_sqlite_record

    record = read_sqlite_record(cli_state.database_url)
    if record is not None:
        return record
    from obligations.db import session_factory
    from obligations.record import load_record

    eng = engine()
    try:
        _require_schema(eng)
        with session_factory(eng)() as session:
            return load_record(session)
    finally:
        eng.dispose()


def as_of_date(text: str | None) -> date:
    from obligations.inputs import parse_date, today

    return parse_date(text, "--as-of") if text else today()


def emit(value: Any, as_json: bool, readable: Callable[[], str]) -> None:
    if as_json:
        from obligations.serialize import json_text

        typer.echo(json_text(value))
    else:
        typer.echo(readable())


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="The date to answer as at (YYYY-MM-DD); default today (UTC)."),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command()
def init() -> None:
    """Create or upgrade the schema, and load the bundled ICRMW record into an empty database."""
    from sqlalchemy.exc import OperationalError

    from obligations.db import session_factory, transaction, upgrade_schema
    from obligations.importing import (
        has_reporting_facts,
        is_empty,
        load_bundled_record,
        load_bundled_reporting,
    )
    from obligations.record import load_record

    eng = engine()
    try:
        typer.echo(f"database: {eng.url.render_as_string()}")
        upgrade_schema(eng)
        typer.echo("schema: up to date")
        with transaction(session_factory(eng)) as session:
            if is_empty(session):
                result = load_bundled_record(session)
                record = load_record(session)
                typer.echo(
                    f"loaded the bundled ICRMW record: {len(record.states)} States, "
                    f"{result.added} depositary actions"
                )
                typer.echo("and the Committee's reporting record: " + reporting_summary(record))
            elif not has_reporting_facts(session):
                # A database from before the reporting record was bundled: bring it in.
                try:
                    with session.begin_nested():
                        load_bundled_reporting(session)
                except ObligationsError as error:
                    typer.echo(f"the bundled reporting record was not loaded: {error}")
                else:
                    summary = reporting_summary(load_record(session))
                    typer.echo(f"loaded the bundled reporting record: {summary}")
            else:
                typer.echo("the database already holds a record; nothing loaded")
    except OperationalError as error:
        raise ObligationsError(f"cannot open the database: {error.orig}") from None
    finally:
        eng.dispose()


def render_by_state(view: queries.OverdueByStateView) -> str:
    from obligations.tables import table

    unverified = sum(not s.verified for s in view.states)
    return (
        f"States with something overdue as at {view.as_of}: {len(view.states)}"
        + (f" ({unverified} not verified, marked *)" if unverified else "")
        + "\n"
        + table(
            ["code", "State", "region", "overdue", "since", "days", "what"],
            [
                (
                    s.code + ("" if s.verified else "*"),
                    s.name,
                    s.region,
                    s.items,
                    s.overdue_since,
                    s.days_overdue,
                    "; ".join(s.what),
                )
                for s in view.states
            ],
        )  # fmt: skip
    )


def reporting_summary(record: Record) -> str:
    return ", ".join(
        f"{sum(len(v) for v in facts.values())} {name}"
        for name, facts in (
            ("reports received", record.reports),
            ("reviews", record.reviews),
            ("concluding observations", record.observations),
            ("lists of issues prior to reporting", record.loiprs),
            ("lists of issues", record.lists_of_issues),
            ("Committee-set dates", record.decisions),
            ("follow-up received", record.follow_ups),
        )
    )


@app.command()
def status(as_of: AsOf = None, json_: Json = False) -> None:
    """The status of the Convention as at a date: parties, signatories, declarations."""
    from obligations import queries

    day = as_of_date(as_of)
    view = queries.convention_status(read_record(), day)
    emit(view, json_, lambda: render_status(view))


def render_status(view: queries.StatusView) -> str:
    from obligations.tables import table

    if view.in_force:
        headline = f"in force since {view.entry_into_force}"
    elif view.entry_into_force:
        headline = f"enters into force on {view.entry_into_force}"
    else:
        headline = f"not in force: {view.instruments_needed} more instruments needed"
    parts = [
        f"Status of the {TREATY} as at {view.as_of}: {headline}",
        "",
        f"Parties ({len(view.parties)})",
        table(
            ["code", "name", "instrument", "deposited", "in force for it"],
            [(p.code, p.name, p.instrument, p.deposited, p.entry_into_force) for p in view.parties],
        ),
        "",
        f"Signatories ({len(view.signatories)})",
        table(["code", "name", "signed"], [(s.code, s.name, s.signed) for s in view.signatories]),
        "",
        "Communications procedures",
        table(
            ["article", "declarations", "in force", "needed", "States"],
            [(k, p.count, p.in_force, p.needed, p.states) for k, p in view.declarations.items()],
        ),
    ]
    return "\n".join(parts)


@app.command()
def state(
    code: Annotated[str, typer.Argument(help="ISO 3166-1 alpha-3 code, e.g. GTM.")],
    as_of: AsOf = None,
    json_: Json = False,
) -> None:
    """One State's dossier: actions with their source, reports owed, declarations."""
    from obligations import queries
    from obligations.inputs import parse_state_code

    day = as_of_date(as_of)
    record = read_record()
    view = queries.state_dossier(record, parse_state_code(code), day)
    emit(view, json_, lambda: render_dossier(view, record, day))


NEXT_DUE_WORDS = {
    "review_calendar": "to be set (review calendar)",
    "loipr": "to be set (LOIPR to come)",
    "unknown": "not on record",
}


def received_cell(r: queries.ReportView) -> str:
    from obligations.tables import cell

    if r.status == "received" and r.received is None:
        return "before review"  # reviewed, so received; the day it came is not on record
    return cell(r.received)


def render_dossier(view: queries.DossierView, record: Record, day: date) -> str:
    from obligations.queries import as_given
    from obligations.tables import cell, table

    if view.entry_into_force:
        bound = f"bound from {view.entry_into_force} ({view.entry_into_force_basis})"
    else:
        bound = "not bound by the Convention"
    history = view.history
    if history.kept_current:
        known = "Reporting history kept current by the secretariat"
    elif history.researched_until:
        known = f"Reporting history researched up to {history.researched_until}"
    else:
        known = "Reporting history not researched: a report not on record may have been received"
    parts = [
        f"{view.name} ({view.code}) as at {day}: "
        f"{'party' if view.party else 'not a party'}, {bound}",
        known + (f" ({history.note})" if history.note else ""),
        *(
            [f"PROBLEM in the stored record: {view.problem} (see `obligations check`)"]
            if view.problem
            else []
        ),
        "",
        "Depositary actions",
        table(
            ["date", "action", "articles", "source"],
            [(a.date, a.action, a.articles, a.source) for a in view.actions],
        ),
        "",
        "Reports (* unverified: the researched history does not reach this date)",
        table(
            ["no.", "kind", "due", "basis", "status", "received", "symbol"],
            [
                (
                    r.number,
                    r.kind,
                    f"{cell(r.due)}{'' if r.verified else '*'}",
                    r.basis,
                    r.status,
                    received_cell(r),
                    r.symbol,
                )
                for r in view.reports
            ],
        ),
        "",
        "Declarations",
        table(
            ["article", "in effect", "declared", "withdrawn", "source"],
            [
                (k, d.in_effect, d.declared, d.withdrawn, d.source)
                for k, d in view.declarations.items()
            ],
        ),
    ]
    if view.follow_up:
        parts += [
            "",
            "Follow-up information on concluding observations",
            table(
                ["observations", "due", "status", "received", "symbol"],
                [(f.basis, f.due, f.status, f.received, f.symbol) for f in view.follow_up],
            ),
        ]
    if view.lists_of_issues_prior_to_reporting:
        parts += [
            "",
            "Lists of issues prior to reporting (simplified procedure)",
            table(
                ["report", "symbol", "transmitted", "replies due"],
                [
                    (x.report, x.symbol, x.transmitted, x.deadline)
                    for x in view.lists_of_issues_prior_to_reporting
                ],
            ),
        ]
    if view.lists_of_issues:
        parts += [
            "",
            "Lists of issues (standard procedure)",
            table(
                ["report", "symbol", "issued", "replies received", "replies"],
                [
                    (x.report, x.symbol, x.issued, x.replies_received, x.replies_symbol)
                    for x in view.lists_of_issues
                ],
            ),
        ]
    if view.concluding_observations:
        parts += [
            "",
            "Concluding observations",
            table(
                ["symbol", "adopted", "session", "next report", "due", "follow-up due"],
                [
                    (
                        x.symbol,
                        x.adopted,
                        x.session,
                        x.next_reports,
                        x.next_due or NEXT_DUE_WORDS.get(x.next_due_mode),
                        x.follow_up_due,
                    )
                    for x in view.concluding_observations
                ],
            ),
        ]
    reviews = [r for r in record.reviews.get(view.code, []) if r.date <= day]
    if reviews:
        parts += [
            "",
            "Reviews by the Committee",
            table(
                ["session", "date", "until", "reports", "concluding observations"],
                [
                    (
                        r.session,
                        r.date,
                        r.end_date,
                        (f"{r.first}-{r.last}" if r.last != r.first else str(r.first))
                        + (" (in the absence of a report)" if r.without_report else ""),
                        r.symbol,
                    )
                    for r in sorted(reviews, key=lambda r: r.date)
                ],
            ),
        ]
    decisions = [d for d in record.decisions.get(view.code, []) if d.decided <= day]
    if decisions:
        parts += [
            "",
            "Committee decisions",
            table(
                ["decided", "kind", "report", "due", "symbol"],
                [
                    (d.decided, d.kind.value, d.report, as_given(d.due, d.due_precision), d.symbol)
                    for d in sorted(decisions, key=lambda d: d.decided)
                ],
            ),
        ]
    return "\n".join(parts)


@app.command()
def overdue(
    as_of: AsOf = None,
    json_: Json = False,
    region: Annotated[
        str | None, typer.Option(help="Only one UN regional group: AFR, APG, EEG, GRULAC, WEOG.")
    ] = None,
    by_state: Annotated[
        bool, typer.Option("--by-state", help="One line per State: what it owes, since when.")
    ] = False,
) -> None:
    """Reports and follow-up overdue as at a date, most overdue first."""
    from obligations import queries
    from obligations.inputs import parse_region
    from obligations.tables import table

    day = as_of_date(as_of)
    group = parse_region(region, "--region")
    record = read_record()
    if by_state:
        grouped = queries.overdue_by_state(record, day, group)
        emit(grouped, json_, lambda: render_by_state(grouped))
        return
    view = queries.overdue_reports(record, day, group)
    received = queries.reports_on_record(record, day)
    emit(
        view,
        json_,
        lambda: (
            f"Reports overdue as at {day}: {len(view.items)}"
            + f" ({sum(not i.verified for i in view.items)} unverified, marked *)\n"
            + table(
                ["code", "State", "region", "no.", "kind", "due", "days overdue", "basis"],
                [
                    (
                        i.code + ("" if i.verified else "*"),
                        i.name,
                        i.region,
                        i.number,
                        i.kind,
                        i.due,
                        i.days_overdue,
                        i.basis,
                    )
                    for i in view.items
                ],
            )
            # Overdue means "no receipt recorded": say how many receipts the record holds.
            + f"\n\nReports received on record as at {day}: {received}"
            + ("" if received else " (none recorded: add them with `obligations record report`)")
        ),
    )


@app.command()
def upcoming(
    as_of: AsOf = None,
    within: Annotated[int, typer.Option(min=0, max=1826, help="Days ahead to look.")] = 90,
    json_: Json = False,
) -> None:
    """Reports falling due within the next DAYS days (a report due today included)."""
    from obligations import queries
    from obligations.tables import table

    day = as_of_date(as_of)
    view = queries.upcoming_reports(read_record(), day, within)
    emit(
        view,
        json_,
        lambda: (
            f"Reports due from {day} within {within} days: {len(view.items)}\n"
            + table(
                ["code", "State", "no.", "kind", "due", "days until", "basis"],
                [
                    (i.code, i.name, i.number, i.kind, i.due, i.days_until, i.basis)
                    for i in view.items
                ],
            )
        ),
    )


@app.command()
def committee(as_of: AsOf = None, json_: Json = False) -> None:
    """Art. 72: the Committee's size, and when the Convention bound its forty-first party."""
    from obligations import queries
    from obligations.rules.committee import committee_members, enlargement_date

    day = as_of_date(as_of)
    record = read_record()
    dates = [
        a.entry_into_force.date
        for a in queries.assess_all(record, day)
        if a.entry_into_force is not None and a.standing.party
    ]
    enlarged = enlargement_date(dates)
    members = committee_members(enlarged, day)
    value = {"as_of": day, "members": members, "forty_first_party_entry_into_force": enlarged}
    emit(
        value,
        json_,
        lambda: (
            f"As at {day} the Committee has {members} members; "
            + (
                f"the Convention entered into force for its forty-first State Party on {enlarged} "
                "(art. 72(1)(b))."
                if enlarged
                else "fewer than forty-one States Parties are bound."
            )
        ),
    )


@app.command("import")
def import_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A CSV of one fact type (told by its header, as `export` writes them), or a "
            "folder of them; depositary actions: state,action,date,articles,source"
        ),
    ],
) -> None:
    """Import facts from CSV, all or nothing; rows already on record are passed over."""
    from obligations import record_files
    from obligations.audit import log_creation
    from obligations.importing import import_actions_file

    with writing() as session:
        if not path.is_dir() and is_action_file(path):
            result = import_actions_file(session, path)
            for row in result.rows:
                log_creation(session, cli_actor(), "action", row)
            typer.echo(
                f"imported {result.added} actions; {result.already_recorded} already recorded"
            )
            return
        for done in record_files.import_path(session, path):
            for row in done.rows:
                log_creation(session, cli_actor(), done.spec.entity, row)
            typer.echo(
                f"{done.spec.name}: imported {len(done.rows)}; "
                f"{done.already_recorded} already recorded"
            )


def is_action_file(path: Path) -> bool:
    """The depositary-action CSV (the header import has always taken)."""
    from obligations import record_files

    first = record_files.read_text(path).splitlines()[:1]
    columns = {c.strip() for c in first[0].split(",")} if first else set()
    return "action" in columns


Code = Annotated[str, typer.Argument(help="ISO 3166-1 alpha-3 code.")]
# Ids are the database's INTEGER: a larger number names no row (and would overflow a query).
MAX_ID = 2**31 - 1
Symbol = Annotated[str | None, typer.Option(help="UN document symbol, CMW/C/<CODE>/...")]


@record_app.command("action")
def record_action(
    code: Code,
    action: Annotated[
        str,
        typer.Option(
            help="signature, ratification, accession, succession, "
            "succession_to_signature, declaration, withdrawal, "
            "denunciation"
        ),
    ],
    date_: Annotated[str, typer.Option("--date", help="Date of deposit (YYYY-MM-DD).")],
    articles: Annotated[str, typer.Option(help="For a declaration or withdrawal: 76,77")] = "",
    source: Annotated[str | None, typer.Option(help="Where the fact comes from.")] = None,
    effective: Annotated[
        str | None, typer.Option(help="Succession: bound from (YYYY-MM-DD).")
    ] = None,
    notification: Annotated[str | None, typer.Option(help="Depositary notification, C.N.…")] = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a depositary action."""
    from obligations import recording
    from obligations.audit import log_creation
    from obligations.inputs import parse_date
    from obligations.queries import as_given

    with writing() as session:
        row = recording.record_action(
            session,
            code,
            action,
            parse_date(date_, "--date"),
            articles,
            source,
            parse_date(effective, "--effective") if effective else None,
            notification,
            note,
        )
        log_creation(session, cli_actor(), "action", row)
        typer.echo(
            f"recorded {row.state_code} {row.action} of "
            f"{as_given(row.date, row.date_precision)} (source: {row.source}; id {row.id})"
        )


OutOfSequence = Annotated[
    str | None,
    typer.Option(
        "--out-of-sequence",
        metavar="REASON",
        help="Record it although it breaks the reports' sequence, and why (kept with the fact).",
    ),
]


@record_app.command("report")
def record_report(
    code: Code,
    numbers: Annotated[str, typer.Option(help="Report number N, or N-M for a combined report.")],
    received: Annotated[str, typer.Option(help="Date received (YYYY-MM-DD).")],
    symbol: Symbol = None,
    simplified: Annotated[
        bool, typer.Option(help="Submitted under the simplified procedure.")
    ] = False,
    out_of_sequence: OutOfSequence = None,
) -> None:
    """Record a report received (refused if it skips a report still open, unless the reason is
    given with --out-of-sequence)."""
    from obligations import recording
    from obligations.audit import log_creation
    from obligations.inputs import parse_date
    from obligations.queries import as_given

    with writing() as session:
        row = recording.record_report(
            session,
            code,
            numbers,
            parse_date(received, "--received"),
            symbol,
            "simplified" if simplified else "standard",
            out_of_sequence=out_of_sequence,
        )
        log_creation(session, cli_actor(), "report", row)
        typer.echo(
            f"recorded {row.state_code} {report_numbers(row.first_number, row.last_number)} "
            f"received {as_given(row.received, row.received_precision)} "
            f"({row.symbol or 'no symbol'}, {row.procedure} procedure; id {row.id})"
            + out_of_sequence_words(row.out_of_sequence)
        )


def out_of_sequence_words(reason: str | None) -> str:
    return f"; out of sequence: {reason}" if reason else ""


def report_numbers(first: int, last: int) -> str:
    return f"report {first}" if first == last else f"reports {first}-{last}"


@record_app.command("review")
def record_review(
    code: Code,
    numbers: Annotated[str, typer.Option(help="Report number(s) considered, N or N-M.")],
    session_number: Annotated[int, typer.Option("--session", help="Committee session number.")],
    date_: Annotated[str, typer.Option("--date", help="First day of the review.")],
    until: Annotated[str | None, typer.Option(help="Last day of the review.")] = None,
    symbol: Symbol = None,
    without_report: Annotated[
        bool, typer.Option(help="In the absence of a report (rule 34, CMW/C/2).")
    ] = False,
    source: Annotated[str | None, typer.Option(help="Where the fact comes from.")] = None,
    out_of_sequence: OutOfSequence = None,
) -> None:
    """Record a review by the Committee (with or without a report, rule 34). A review of
    reports not on record as received is refused unless the reason is given."""
    from obligations import recording
    from obligations.audit import log_creation
    from obligations.inputs import parse_date

    with writing() as session:
        row = recording.record_review(
            session,
            code,
            numbers,
            session_number,
            parse_date(date_, "--date"),
            symbol,
            parse_date(until, "--until") if until else None,
            without_report,
            source,
            out_of_sequence,
        )
        log_creation(session, cli_actor(), "review", row)
        typer.echo(
            f"recorded the review of {row.state_code} "
            f"{report_numbers(row.first_number, row.last_number)} on {row.date}"
            + (f" at session {row.session}" if row.session else "")
            + (" in the absence of a report" if row.without_report else "")
            + f" ({row.symbol or 'no symbol'}; id {row.id})"
            + out_of_sequence_words(row.out_of_sequence)
        )


@record_app.command("decision")
def record_decision(
    code: Code,
    report: Annotated[int, typer.Option(help="The report number whose due date is fixed.")],
    due: Annotated[
        str, typer.Option(help="The due date the Committee fixed (YYYY-MM-DD, or YYYY-MM, YYYY).")
    ],
    decided: Annotated[str, typer.Option(help="Date of the decision.")],
    symbol: Symbol = None,
    request: Annotated[
        bool, typer.Option(help="An additional report requested (art. 73(1)(b)).")
    ] = False,
) -> None:
    """Record a Committee decision fixing when a report is due."""
    from obligations import recording
    from obligations.audit import log_creation
    from obligations.inputs import parse_date
    from obligations.queries import as_given

    with writing() as session:
        row = recording.record_decision(
            session,
            code,
            report,
            due,  # a day, or the month or year the document gives
            parse_date(decided, "--decided"),
            symbol,
            "request_report" if request else "fix_due_date",
        )
        log_creation(session, cli_actor(), "decision", row)
        typer.echo(
            f"recorded the Committee decision: {row.state_code} report {row.report_number} "
            f"due {as_given(row.due, row.due_precision)} ({row.symbol or 'no symbol'}; "
            f"id {row.id})"
        )


def cli_actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli ({user})"


@contact_app.command("add")
def contact_add(
    code: Code,
    name: Annotated[str, typer.Option(help="Full name of the focal point.")],
    email: Annotated[str, typer.Option(help="E-mail address.")],
    language: Annotated[str, typer.Option(help="Working language: en, fr or es.")] = "en",
    role: Annotated[str, typer.Option(help="primary (To) or copy (Cc).")] = "primary",
) -> None:
    """Add a focal point to a State."""
    from obligations import contacts
    from obligations.audit import log_creation

    with writing() as session:
        row = contacts.add_contact(session, code, name, email, language, role)
        log_creation(session, cli_actor(), "contact", row)
        typer.echo(
            f"added contact {row.id}: {row.name} <{row.email}> for {row.state_code} "
            f"({row.language}, {row.role})"
        )


@contact_app.command("list")
def contact_list(
    code: Annotated[str | None, typer.Argument(help="Only this State.")] = None,
    json_: Json = False,
) -> None:
    """List contacts, of one State or of all."""
    from obligations import contacts
    from obligations.tables import table

    with writing() as session:
        items = contacts.list_contacts(session, code)
    emit(
        items,
        json_,
        lambda: table(
            ["id", "State", "name", "email", "language", "role", "active"],
            [(c.id, c.state, c.name, c.email, c.language, c.role, c.active) for c in items],
        ),
    )


@contact_app.command("remove")
def contact_remove(
    contact_id: Annotated[int, typer.Argument(help="The contact's id.", min=1, max=MAX_ID)],
) -> None:
    """Remove a contact."""
    from obligations import contacts
    from obligations.audit import log_change, snapshot

    with writing() as session:
        row = contacts.get_contact(session, contact_id)
        before = snapshot(row)
        session.delete(row)
        log_change(
            session, cli_actor(), "delete", "contact", contact_id, row.state_code, before, None
        )
    typer.echo(f"removed contact {contact_id}")


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="secretariat or focal-point")],
    name: Annotated[str, typer.Option(help="Who holds the token.")],
    state_code: Annotated[str | None, typer.Option("--state", help="Focal point's State.")] = None,
    json_: Json = False,
) -> None:
    """Make a token; it is shown this once and only its digest is stored."""
    from obligations import tokens
    from obligations.audit import log_creation

    with writing() as session:
        row, clear = tokens.create_token(session, role, name, state_code)
        log_creation(session, cli_actor(), "token", row)
        token_id = row.id
    if json_:
        typer.echo(json.dumps({"id": token_id, "token": clear}))
    else:
        typer.echo(
            f"token {token_id} ({role}{' for ' + state_code.upper() if state_code else ''}):"
        )
        typer.echo(clear)
        typer.echo("keep it now: it is not shown again")


@token_app.command("list")
def token_list(json_: Json = False) -> None:
    """List tokens (never their text)."""
    from obligations import tokens
    from obligations.tables import table

    with writing() as session:
        items = tokens.list_tokens(session)
    emit(
        items,
        json_,
        lambda: table(
            ["id", "name", "role", "State", "created", "revoked"],
            [(t.id, t.name, t.role, t.state, t.created_at, t.revoked_at) for t in items],
        ),
    )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id.", min=1, max=MAX_ID)],
) -> None:
    """Revoke a token; requests bearing it are refused from now on."""
    from obligations import tokens
    from obligations.audit import log_change, snapshot

    with writing() as session:
        row = tokens.revoke_token(session, token_id)
        log_change(
            session, cli_actor(), "revoke", "token", row.id, row.state_code, None, snapshot(row)
        )
    typer.echo(f"revoked token {token_id}")


@app.command()
def audit(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    offset: Annotated[int, typer.Option(min=0, max=MAX_ID)] = 0,
    state_code: Annotated[str | None, typer.Option("--state", help="Only this State.")] = None,
    json_: Json = False,
) -> None:
    """The audit log of writes, newest first."""
    from obligations.audit import audit_page
    from obligations.tables import table

    with writing() as session:
        page = audit_page(session, limit, offset, state_code)
    emit(
        page,
        json_,
        lambda: (
            f"{page.total} entries; showing {len(page.items)}\n"
            + table(
                ["id", "at", "actor", "operation", "entity", "entity id", "State"],
                [
                    (e.id, e.at, e.actor, e.operation, e.entity, e.entity_id, e.state)
                    for e in page.items
                ],
            )
        ),
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            help="Processes answering on the one address (the scheduler runs in one process).",
        ),
    ] = 1,
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs) and the notifier's scheduler."""
    import os
    import shutil
    import tempfile

    import uvicorn

    from api.app import create_app
    from api.pages.security import session_secret
    from api.workers import run_workers
    from notifier.cli import start_in_process
    from obligations.db import masked
    from obligations.settings import get_settings

    eng = engine()
    try:
        _require_schema(eng)
    finally:
        eng.dispose()
    typer.echo(f"database: {masked(cli_state.database_url)}")
    settings = get_settings()
    metrics_dir = None
    scheduler = None
    try:
        if workers > 1:
            # The workers are fresh processes that read the settings: give them this database,
            # one session secret (the kept one, or this run's if it cannot be kept: a cookie
            # signed by one worker must open the others), and a folder where each leaves its
            # request counts for /metrics to sum.
            os.environ["OBLIGATIONS_DATABASE_URL"] = cli_state.database_url
            os.environ["OBLIGATIONS_SESSION_SECRET"] = session_secret(settings)
            metrics_dir = tempfile.mkdtemp(prefix="obligations-metrics-")
            os.environ["OBLIGATIONS_METRICS_DIR"] = metrics_dir
        if settings.scheduler:
            role = "obligations serve" + (f" supervising {workers} workers" if workers > 1 else "")
            scheduler = start_in_process(cli_state.database_url, role)
        else:
            typer.echo(
                "notifier: not started here (OBLIGATIONS_SCHEDULER=off): run `obligations worker`"
            )
        processes = f" by {workers} worker processes" if workers > 1 else ""
        typer.echo(f"serving on http://{host}:{port}{processes} (docs at /docs)")
        # proxy_headers off: which proxies to believe is OBLIGATIONS_TRUSTED_PROXIES, not uvicorn's.
        if workers == 1:
            uvicorn.run(
                create_app(database_url=cli_state.database_url),
                host=host,
                port=port,
                log_level="info",
                proxy_headers=False,
            )
        else:
            # Each worker builds its own app (its own engine and answer cache) from the factory.
            run_workers(host, port, workers)
    finally:
        if scheduler is not None:
            scheduler.stop(wait=True)
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


# The notifier's commands (remind, digest, outbox, worker); they import the notifier when run.
register_notifier(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script; a user's mistake ends in one line on stderr, exit 2.

    So does a database that cannot be reached: no traceback, the URL's password hidden.
    """
    try:
        app(args=argv, prog_name="obligations")
    except ObligationsError as error:
        fail(str(error))
    except Exception as error:
        setting = bad_setting(error)
        if setting is not None:
            fail(setting)
        if not database_unreachable(error):
            raise
        from obligations.db import unavailable

        fail(str(unavailable(error, cli_state.database_url or "(unknown)")))


def bad_setting(error: Exception) -> str | None:
    """An OBLIGATIONS_* variable that is not a value of its setting, in one line (pydantic is
    looked up, not imported, as for SQLAlchemy below)."""
    pydantic = sys.modules.get("pydantic")
    if pydantic is None or not isinstance(error, pydantic.ValidationError):
        return None
    if error.title != "Settings":  # another model's error is a bug, not a setting
        return None
    problems = [
        f"OBLIGATIONS_{'_'.join(str(part) for part in e['loc']).upper()}="
        f"{e.get('input')!r}: {e['msg'].lower()}"
        for e in error.errors()
    ]
    return "; ".join(problems) if problems else str(error)


def database_unreachable(error: Exception) -> TypeGuard[DBAPIError]:
    """A connection that failed or broke (no traceback for it). SQLAlchemy is looked up, not
    imported: a command that never loaded it cannot have raised its errors."""
    exc = sys.modules.get("sqlalchemy.exc")
    return exc is not None and isinstance(error, exc.OperationalError | exc.InterfaceError)


# The reporting record's commands live in their own module; it registers on these apps.
from obligations import cli_reporting  # noqa: E402

cli_reporting.register(app, record_app)
