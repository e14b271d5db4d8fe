"""The schedule lives in the tracker's database; restarts never duplicate a job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from pytest import MonkeyPatch
from sqlalchemy.orm import Session, sessionmaker

from notifier.scheduling import (
    DELIVER_JOB,
    DIGEST_JOB,
    SWEEP_JOB,
    configure,
    deliver_job,
    describe,
    digest_job,
    sweep_job,
)
from obligations.settings import get_settings
from tests.notifier.conftest import SmtpServer, add_contact, config_for


def test_jobs_have_fixed_ids_and_survive_restarts(database_url: str) -> None:
    config = config_for(sweep_cron="30 5 * * *", digest_cron="0 7 * * mon")
    for _restart in range(2):
        scheduler = BackgroundScheduler()
        configure(scheduler, database_url, config)
        scheduler.start(paused=True)
        try:
            jobs = {job.id: job for job in scheduler.get_jobs()}
            assert set(jobs) == {SWEEP_JOB, DIGEST_JOB, DELIVER_JOB}
            assert (
                str(jobs[SWEEP_JOB].trigger)
                == "cron[month='*', day='*', day_of_week='*', hour='5', minute='30']"
            )
            assert "day_of_week='mon', hour='7', minute='0'" in str(jobs[DIGEST_JOB].trigger)
            assert any(
                line.startswith("notifier-sweep (daily sweep): next run ")
                for line in describe(scheduler)
            )
        finally:
            scheduler.shutdown(wait=False)


def test_the_scheduled_jobs_send_once_from_the_settings(
    database_url: str, factory: sessionmaker[Session], smtp: SmtpServer, monkeypatch: MonkeyPatch
) -> None:
    """What the scheduler calls at 06:00 and on Monday: mail goes out, and only once."""
    monkeypatch.setenv("OBLIGATIONS_SMTP_URL", smtp.url)
    monkeypatch.setenv("OBLIGATIONS_MAIL_FROM", "cmw-notifier@ohchr.example.org")
    monkeypatch.setenv("OBLIGATIONS_SECRETARIAT_EMAILS", "cmw@ohchr.example.org")
    get_settings.cache_clear()
    try:
        # Guatemala's reports have been overdue since 2004 on any date the suite runs.
        add_contact(factory, "GTM", "focal@minrex.example.gt", language="es")
        for _run in range(2):
            sweep_job(database_url)
            digest_job(database_url)
            deliver_job(database_url)
    finally:
        get_settings.cache_clear()
    recipients = sorted(r.envelope_to[0] for r in smtp.handler.received)
    assert recipients == ["cmw@ohchr.example.org", "focal@minrex.example.gt"]
    notice = next(r.message for r in smtp.handler.received if r.envelope_to[0].endswith(".gt"))
    assert str(notice["Subject"]).startswith("ICRMW – Guatemala")


def test_the_worker_stops_cleanly_on_sigterm(database_url: str, tmp_path: Path) -> None:
    """A service manager stops the worker with SIGTERM: it shuts its scheduler down, exit 0."""
    log = tmp_path / "worker.log"
    command = [str(Path(sys.executable).parent / "obligations"), "--database-url", database_url]
    env = {
        **os.environ,
        "OBLIGATIONS_MAILDIR": str(tmp_path / "maildir"),
        "OBLIGATIONS_SECRETARIAT_EMAILS": "",
    }
    with log.open("w") as out:
        worker = subprocess.Popen([*command, "worker"], env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + 30
    while "worker running" not in log.read_text():
        assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    # Start-up says who sends, and that without a secretariat address nothing will be sent.
    started = log.read_text()
    assert "mail from: Committee on Migrant Workers <cmw-notifier@localhost.localdomain>" in started
    assert "replies to: nobody; OBLIGATIONS_SECRETARIAT_EMAILS is not set" in started
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0, log.read_text()
    assert log.read_text().rstrip().endswith("worker stopped")
