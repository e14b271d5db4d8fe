"""The notifier's commands: `remind`, `digest`, `outbox` (and `outbox retry`), `worker`.

Registered on the `obligations` command by obligations.cli; the database and its checks are
that command's, imported when a command runs.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from sqlalchemy.orm import Session, sessionmaker

    from notifier.planning import PlannedMessage
    from notifier.service import RunReport

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
    d = result.delivery
    typer.echo(f"delivered: {d.sent} sent, {d.retrying} to retry later, {d.failed} failed")
    for message_id, error in d.errors:
        typer.echo(f"  message {message_id}: {error}")


def run(as_of: str | None, dry_run: bool, digest: bool) -> None:
    from notifier.config import config_from
    from notifier.digest import plan_digest
    from notifier.planning import plan_sweep
    from notifier.service import run_digest, run_sweep
    from notifier.transports import transport_from

    config = config_from()
    day = plan_day(as_of, dry_run)
    what = "digest" if digest else "messages"
    with database() as factory:
        if dry_run:
            with factory() as session:
                planner = plan_digest if digest else plan_sweep
                planned = planner(session, day, config)
            typer.echo(f"dry run as at {day}: {len(planned)} {what} would be planned")
            if planned:
                typer.echo(plan_table(planned))
            typer.echo("nothing written, nothing sent")
            return
        transport = transport_from(config)
        typer.echo(f"mail: {transport.describe()}")
        if digest and not config.secretariat:
            typer.echo("no OBLIGATIONS_SECRETARIAT_EMAILS set: no digest to plan")
        runner = run_digest if digest else run_sweep
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
    from notifier.config import config_from
    from notifier.delivery import deliver
    from notifier.outbox import retry_message
    from notifier.transports import transport_from
    from obligations.cli import cli_actor
    from obligations.db import transaction

    config = config_from()
    with database() as factory:
        with transaction(factory) as session:
            retry_message(session, message_id, cli_actor())
        transport = transport_from(config)
        typer.echo(f"mail: {transport.describe()}")
        result = deliver(factory, transport, config, message_id=message_id)
    if result.sent:
        typer.echo(f"message {message_id}: sent")
        return
    error = result.errors[0][1] if result.errors else "another worker took it"
    state = "failed" if result.failed else "to retry later"
    typer.echo(f"message {message_id}: not sent ({state}): {error}")
    raise typer.Exit(1)


def worker() -> None:
    """Run the scheduler alone (daily sweep, weekly digest, retries) until interrupted."""
    import logging

    from notifier.config import config_from
    from notifier.scheduling import blocking_scheduler, describe
    from notifier.transports import transport_from
    from obligations import cli as base
    from obligations.db import masked

    config = config_from()
    with database():
        pass  # the database is set up; the scheduler opens its own connections
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    scheduler = blocking_scheduler(base.cli_state.database_url, config)
    typer.echo(f"database: {masked(base.cli_state.database_url)}")
    typer.echo(f"mail: {transport_from(config).describe()}")
    for line in describe(scheduler):
        typer.echo(line)
    typer.echo("worker running; Ctrl-C or SIGTERM stops it")
    # A service manager stops with SIGTERM: treat it as Ctrl-C, so a running job finishes.
    signal.signal(signal.SIGTERM, _interrupt)
    with suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
    if scheduler.running:
        scheduler.shutdown(wait=True)
    typer.echo("worker stopped")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def start_in_process(database_url: str) -> BackgroundScheduler:
    """For `obligations serve`: the scheduler in a background thread; call .shutdown() on exit."""
    from notifier.config import config_from
    from notifier.scheduling import background_scheduler, describe
    from notifier.transports import transport_from

    config = config_from()
    typer.echo(f"mail: {transport_from(config).describe()}")
    scheduler = background_scheduler(database_url, config)
    for line in describe(scheduler):
        typer.echo(line)
    return scheduler


def register(app: typer.Typer) -> None:
    app.command()(remind)
    app.command()(digest)
    app.add_typer(outbox_app, name="outbox")
    app.command()(worker)
