"""The notifier's commands: `remind`, `digest`, `outbox` (and `outbox retry`), `worker`.

Registered on the `obligations` command by obligations.cli; the database and its checks are
that command's, imported when a command runs.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from notifier.config import NotifierConfig
    from notifier.elected import ElectedScheduler
    from notifier.planning import PlannedMessage
    from notifier.service import RunReport
    from notifier.transports import Transport

outbox_app = typer.Typer(help="The notifier's outbox: what was planned, sent, or failed.")

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Plan as at this date (YYYY-MM-DD); default today (UTC)."),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the plan; write and send nothing.")]


@contextmanager
def database() -> Iterator[sessionmaker[Session]]:
    """The session factory of the command's database, which must hold the outbox."""
    from sqlalchemy import inspect

    from obligations import cli as base
    from obligations.db import masked, session_factory
    from obligations.errors import ObligationsError

    eng = base.engine()
    try:
        base._require_schema(eng)
        if not inspect(eng).has_table("outbox_messages"):
            raise ObligationsError(
                f"the database {masked(eng.url)} has no outbox yet; "
                "run `obligations init` to upgrade it"
            )
        yield session_factory(eng)
    finally:
        eng.dispose()


def plan_day(as_of: str | None, dry_run: bool) -> date:
    from obligations.errors import InvalidInput
    from obligations.inputs import parse_date, today

    day = parse_date(as_of, "--as-of") if as_of else today()
    if day > today() and not dry_run:
        raise InvalidInput(
            f"--as-of: {day.isoformat()} is in the future; only --dry-run may look ahead "
            "(a real sweep would mark those reminders as sent)"
        )
    return day


def plan_table(planned: Sequence[PlannedMessage]) -> str:
    from obligations.tables import table

    return table(
        ["State", "kind", "report", "due", "stage", "lang", "to", "cc", "subject"],
        [
            (
                p.state_code,
                p.kind,
                p.report_number,
                p.due,
                p.stage,
                p.language,
                list(p.to),
                list(p.cc),
                p.rendered.subject,
            )
            for p in planned
        ],
    )


def print_run(result: RunReport, what: str) -> None:
    planned = result.planned
    recipients = {address for p in planned for _key, address, _field in p.keys}
    typer.echo(f"planned {len(planned)} {what} for {len(recipients)} recipients")
    if result.nothing_to_plan:
        typer.echo(f"nothing to send: {result.nothing_to_plan}")
    d = result.delivery
    if d.held:
        typer.echo(f"delivered: nothing; {d.held}")
        return
    typer.echo(f"delivered: {d.sent} sent, {d.retrying} to retry later, {d.failed} failed")
    for message_id, error in d.errors:
        typer.echo(f"  message {message_id}: {error}")


def mail_lines(config: NotifierConfig, transport: Transport) -> list[str]:
    """Where mail goes, who sends it, where replies go: said at start-up, never guessed."""
    from notifier.config import describe_replies, describe_sender

    return [f"mail: {transport.describe()}", describe_sender(config), describe_replies(config)]


def dry_run(session: Session, day: date, config: NotifierConfig, digest: bool) -> None:
    from notifier.digest import digest_plan
    from notifier.planning import plan_sweep

    if digest:
        plan = digest_plan(session, day, config)
        planned, why = plan.messages, plan.nothing_to_send
    else:
        planned, why = plan_sweep(session, day, config), None
    what = "digest" if digest else "messages"
    typer.echo(f"dry run as at {day}: {len(planned)} {what} would be planned")
    if why:
        typer.echo(f"nothing to send: {why}")
    if planned:
        typer.echo(plan_table(planned))
    typer.echo("nothing written, nothing sent")


def run(as_of: str | None, dry_run_only: bool, digest: bool) -> None:
    from notifier.config import config_from, describe_sender, require_secretariat
    from notifier.service import run_digest, run_sweep
    from notifier.transports import transport_from

    config = config_from()
    day = plan_day(as_of, dry_run_only)
    if not digest:
        # Before any output or database work: one line saying what is missing.
        require_secretariat(config)
    with database() as factory:
        if dry_run_only:
            typer.echo(describe_sender(config))
            with factory() as session:
                dry_run(session, day, config, digest)
            return
        transport = transport_from(config)
        for line in mail_lines(config, transport):
            typer.echo(line)
        runner = run_digest if digest else run_sweep
        what = "digest" if digest else "messages"
        print_run(runner(factory, config, day, transport), f"{what} as at {day}")


def remind(as_of: AsOf = None, dry_run: DryRun = False) -> None:
    """Plan today's reminders and overdue notices, and deliver what is due, once."""
    run(as_of, dry_run, digest=False)


def digest(as_of: AsOf = None, dry_run: DryRun = False) -> None:
    """Plan the secretariat's digest (overdue and upcoming reports) now, and deliver it."""
    run(as_of, dry_run, digest=True)


@outbox_app.callback(invoke_without_command=True)
def outbox(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="Only messages with this status: pending, sent, failed.")
    ] = None,
    state_code: Annotated[str | None, typer.Option("--state", help="Only this State.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 100,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the outbox, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from notifier.outbox import check_status, count_messages, list_messages
    from obligations.tables import table

    check_status(status)
    with database() as factory, factory() as session:
        items = list_messages(session, status=status, state_code=state_code, limit=limit)
        counts = count_messages(session)
    if json_:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": m.id,
                        "status": m.status,
                        "recipients": m.recipients,
                        "subject": m.subject,
                        "attempts": m.attempts,
                        "last_error": m.last_error,
                    }
                    for m in items
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    typer.echo(", ".join(f"{n} {s}" for s, n in counts.items()) + f"; showing {len(items)}")
    typer.echo(
        table(
            ["id", "status", "State", "attempts", "created", "recipients", "subject", "last error"],
            [
                (
                    m.id,
                    m.status,
                    m.state_code,
                    m.attempts,
                    f"{m.created_at:%Y-%m-%d %H:%M}",
                    m.recipients,
                    m.subject,
                    m.last_error,
                )
                for m in items
            ],
        )
    )


@outbox_app.command("retry")
def outbox_retry(
    message_id: Annotated[int, typer.Argument(help="The message's id.", min=1, max=2**31 - 1)],
) -> None:
    """Try a pending or failed message now, whatever its backoff."""
    from notifier.config import config_from, require_secretariat
    from notifier.delivery import deliver
    from notifier.outbox import retry_message
    from notifier.transports import transport_from
    from obligations.cli import cli_actor
    from obligations.db import transaction

    config = config_from()
    # Checked before the retry is recorded, so a refusal changes nothing.
    require_secretariat(config)
    with database() as factory:
        with transaction(factory) as session:
            retry_message(session, message_id, cli_actor())
        transport = transport_from(config)
        for line in mail_lines(config, transport):
            typer.echo(line)
        result = deliver(factory, transport, config, message_id=message_id)
    if result.sent:
        typer.echo(f"message {message_id}: sent")
        return
    error = result.errors[0][1] if result.errors else "another worker took it"
    state = "failed" if result.failed else "to retry later"
    typer.echo(f"message {message_id}: not sent ({state}): {error}")
    raise typer.Exit(1)


def worker() -> None:
    """Run the scheduler alone (daily sweep, weekly digest, retries) until interrupted.

    It takes the scheduler lock first: while `obligations serve` (or another worker) holds it,
    this one stands by and takes over when that one stops.
    """
    import logging
    import threading

    from notifier.config import config_from
    from notifier.elected import ElectedScheduler
    from notifier.transports import transport_from
    from obligations import cli as base
    from obligations.db import masked

    config = config_from()
    with database():
        pass  # the database is set up; the scheduler opens its own connections
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    typer.echo(f"database: {masked(base.cli_state.database_url)}")
    for line in mail_lines(config, transport_from(config)):
        typer.echo(line)
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()

    # A service manager stops with SIGTERM: like Ctrl-C, a running job finishes first.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    elected = ElectedScheduler(
        base.cli_state.database_url, config, "obligations worker", typer.echo
    )
    elected.start()
    typer.echo("worker running; Ctrl-C or SIGTERM stops it")
    while not stopping.wait(1):
        pass
    elected.stop(wait=True)
    typer.echo("worker stopped")


def start_in_process(database_url: str, role: str = "obligations serve") -> ElectedScheduler:
    """For `obligations serve`: the schedule in background threads of this process, or
    standing by while another process holds the scheduler lock; call .stop() on exit."""
    from notifier.config import config_from
    from notifier.elected import ElectedScheduler
    from notifier.transports import transport_from

    config = config_from()
    for line in mail_lines(config, transport_from(config)):
        typer.echo(line)
    elected = ElectedScheduler(database_url, config, role, typer.echo)
    elected.start()
    return elected


def register(app: typer.Typer) -> None:
    app.command()(remind)
    app.command()(digest)
    app.add_typer(outbox_app, name="outbox")
    app.command()(worker)
