"""The schedule: APScheduler 3 with its jobs stored in the tracker's database.

Each job has a fixed id and is written with replace_existing, so a restart updates it and
never adds a second one. One process per database runs the schedule: the holder of the
scheduler lock (notifier.elected). Were two ever to sweep at once, planning is idempotent and
delivery claims each message once, so no mail would be doubled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from notifier.config import NoSecretariat, NotifierConfig, config_from
from notifier.service import run_digest, run_sweep
from notifier.transports import transport_from
from obligations.db import make_engine, normalise_url, session_factory
from obligations.errors import InvalidInput
from obligations.inputs import today

log = logging.getLogger(__name__)

SWEEP_JOB = "notifier-sweep"
DIGEST_JOB = "notifier-digest"
DELIVER_JOB = "notifier-deliver"
# A scheduler that was down at the planned time still runs the job once when it starts.
MISFIRE_GRACE_SECONDS = 23 * 3600


# A job's work: given sessions and the configuration, do it and say what was done.
JobWork = Callable[[sessionmaker[Session], NotifierConfig], str]


def _on_database(database_url: str, work: JobWork) -> None:
    """Run one job on its own engine (jobs run in the scheduler's threads), and log its summary."""
    config = config_from()
    engine = make_engine(database_url)
    try:
        summary = work(session_factory(engine), config)
        if summary:
            log.info(summary)
    finally:
        engine.dispose()


def sweep_job(database_url: str) -> None:
    """The daily sweep: plan today's reminders and overdue notices, deliver what is due."""

    def sweep(sessions: sessionmaker[Session], config: NotifierConfig) -> str:
        try:
            result = run_sweep(sessions, config, today(), transport_from(config))
        except NoSecretariat as refusal:
            # A misconfiguration, not a fault: one line each day, no traceback, nothing sent.
            log.warning("sweep: nothing planned or sent: %s", refusal)
            return ""
        return f"sweep: {len(result.planned)} planned, {result.delivery.sent} sent"

    _on_database(database_url, sweep)


def digest_job(database_url: str) -> None:
    def digest(sessions: sessionmaker[Session], config: NotifierConfig) -> str:
        result = run_digest(sessions, config, today(), transport_from(config))
        if result.nothing_to_plan:
            sent = result.delivery.sent
            return f"digest: nothing planned ({result.nothing_to_plan}), {sent} sent"
        return f"digest: {len(result.planned)} planned, {result.delivery.sent} sent"

    _on_database(database_url, digest)


def deliver_job(database_url: str) -> None:
    """Between sweeps: the retries whose backoff has passed."""
    from notifier.delivery import deliver

    def retries(sessions: sessionmaker[Session], config: NotifierConfig) -> str:
        deliver(sessions, transport_from(config), config)
        return ""

    _on_database(database_url, retries)


def cron(expression: str, setting: str) -> CronTrigger:
    try:
        return CronTrigger.from_crontab(expression, timezone=UTC)
    except ValueError as error:
        raise InvalidInput(
            f"{setting}: {expression!r} is not a cron expression ({error})"
        ) from None


def configure(scheduler: BaseScheduler, database_url: str, config: NotifierConfig) -> None:
    """Store the three jobs (fixed ids) in the database's job store."""
    url = normalise_url(database_url)
    scheduler.configure(
        jobstores={"default": SQLAlchemyJobStore(url=url)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=UTC,
    )
    jobs: list[tuple[str, Callable[[str], None], object, str]] = [
        (SWEEP_JOB, sweep_job, cron(config.sweep_cron, "OBLIGATIONS_SWEEP_CRON"), "daily sweep"),
        (DIGEST_JOB, digest_job, cron(config.digest_cron, "OBLIGATIONS_DIGEST_CRON"), "digest"),
        (
            DELIVER_JOB,
            deliver_job,
            IntervalTrigger(minutes=config.deliver_every_minutes, timezone=UTC),
            "retries",
        ),
    ]
    for job_id, func, trigger, name in jobs:
        scheduler.add_job(
            func,
            trigger=trigger,
            id=job_id,
            name=name,
            kwargs={"database_url": database_url},
            replace_existing=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )


def describe(scheduler: BaseScheduler) -> list[str]:
    """Each job and when it next runs, for the start-up lines of serve and worker."""
    now = datetime.now(UTC)
    lines = []
    for job in scheduler.get_jobs():
        following = job.trigger.get_next_fire_time(None, now)
        when = f"{following:%Y-%m-%d %H:%M} UTC" if following else "never"
        lines.append(f"{job.id} ({job.name}): next run {when}")
    return lines
