"""Mail a focal point can answer: a real sender, Reply-To and a visible secretariat address;
without a secretariat address no reminder is planned or sent, and the user is told why."""

from __future__ import annotations

import logging
import mailbox
from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from notifier.cli import start_in_process
from notifier.config import MAILDIR_SENDER, NoSecretariat, config_from
from notifier.delivery import deliver
from notifier.models import OutboxMessage
from notifier.planning import plan_sweep
from notifier.scheduling import digest_job, sweep_job
from notifier.service import plan_and_write, run_sweep
from notifier.transports import transport_from
from obligations.errors import InvalidInput
from obligations.settings import Settings, get_settings
from tests.notifier.conftest import SmtpServer, add_contact, config_for
from tests.obligations.cli_runner import run_cli

TODAY = date(2026, 11, 25)
DESK = ("cmw@ohchr.example.org", "desk@ohchr.example.org")
NO_SECRETARIAT = "error: OBLIGATIONS_SECRETARIAT_EMAILS is not set: reminders and overdue notices"


@pytest.fixture(autouse=True)
def notifier_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("OBLIGATIONS_MAILDIR", str(tmp_path / "maildir"))
    monkeypatch.setenv("OBLIGATIONS_SECRETARIAT_EMAILS", ",".join(DESK))
    for name in ("OBLIGATIONS_SMTP_URL", "OBLIGATIONS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def outbox_size(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())


def test_every_notice_has_reply_to_and_shows_the_secretariat_address(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "ALB", "ardit@example.al", "en")
    add_contact(factory, "SEN", "awa@example.sn", "fr")
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    config = config_for(smtp.url, secretariat=DESK, mail_from="CMW <cmw-notifier@ohchr.org>")
    result = run_sweep(factory, config, TODAY, transport_from(config))
    assert len(result.planned) == 3
    assert {r.message["Subject"].split(" ")[0] for r in smtp.handler.received} == {
        "ICRMW:",  # Albania: overdue, English
        "Rappel",  # Senegal: a reminder, French
        "ICRMW",  # Guatemala: overdue, Spanish ("ICRMW – Guatemala…")
    }
    for received in smtp.handler.received:
        message = received.message
        assert message["From"] == "CMW <cmw-notifier@ohchr.org>"
        assert message["Reply-To"] == "cmw@ohchr.example.org, desk@ohchr.example.org"
        text = body(message, "plain")
        # Where to send the report, and the signature, both name the addresses.
        assert text.count("cmw@ohchr.example.org, desk@ohchr.example.org") == 2, text
        assert "Geneva" not in text and "Genève" not in text and "Ginebra" not in text
        html = body(message, "html")
        assert html.count('<a href="mailto:desk@ohchr.example.org">') == 2


def test_without_a_secretariat_address_no_reminder_is_planned_or_sent(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    config = config_for(smtp.url, secretariat=())
    with pytest.raises(NoSecretariat, match="OBLIGATIONS_SECRETARIAT_EMAILS is not set"):
        run_sweep(factory, config, TODAY, transport_from(config))
    with factory() as session, pytest.raises(NoSecretariat):
        plan_sweep(session, TODAY, config)
    assert outbox_size(factory) == 0
    assert smtp.handler.received == []


def test_planned_reminders_wait_until_a_secretariat_address_is_set(
    factory: sessionmaker[Session], smtp: SmtpServer
) -> None:
    """Planned while an address was set, then the setting was removed: nothing leaves."""
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    with_desk = config_for(smtp.url)
    assert len(plan_and_write(factory, plan_sweep, TODAY, with_desk)) == 1
    without = config_for(smtp.url, secretariat=())
    held = deliver(factory, transport_from(without), without)
    assert held.sent == 0 and held.held is not None
    assert held.held.startswith("OBLIGATIONS_SECRETARIAT_EMAILS is not set")
    assert smtp.handler.received == []
    with factory() as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert (row.status, row.attempts) == ("pending", 0)
    assert deliver(factory, transport_from(with_desk), with_desk).sent == 1
    assert smtp.handler.received[0].message["Reply-To"] == "cmw@ohchr.example.org"


@pytest.mark.parametrize(
    "args", [["remind"], ["remind", "--dry-run"], ["remind", "--as-of", "2026-11-25"]]
)
def test_remind_without_a_secretariat_address_is_one_error_line(
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: list[str],
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    monkeypatch.setenv("OBLIGATIONS_SECRETARIAT_EMAILS", "")
    get_settings.cache_clear()
    result = run_cli(capsys, database_url, *args)
    assert result.code == 2
    assert result.err.startswith(NO_SECRETARIAT)
    assert len(result.err.strip().splitlines()) == 1 and result.out == ""
    assert outbox_size(factory) == 0
    assert not (tmp_path / "maildir").exists()


def test_outbox_retry_without_a_secretariat_address_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    plan_and_write(factory, plan_sweep, TODAY, config_for())
    monkeypatch.setenv("OBLIGATIONS_SECRETARIAT_EMAILS", "")
    get_settings.cache_clear()
    result = run_cli(capsys, database_url, "outbox", "retry", "1")
    assert result.code == 2 and result.err.startswith(NO_SECRETARIAT)
    audit = run_cli(capsys, database_url, "audit", "--json").json()["items"]
    assert audit == []


def test_the_scheduled_sweep_logs_one_line_and_sends_nothing(
    database_url: str,
    factory: sessionmaker[Session],
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    monkeypatch.setenv("OBLIGATIONS_SMTP_URL", smtp.url)
    monkeypatch.setenv("OBLIGATIONS_MAIL_FROM", "cmw-notifier@ohchr.example.org")
    monkeypatch.setenv("OBLIGATIONS_SECRETARIAT_EMAILS", "")
    get_settings.cache_clear()
    with caplog.at_level(logging.INFO, logger="notifier"):
        sweep_job(database_url)
    (line,) = [r for r in caplog.records if r.name == "notifier.scheduling"]
    assert line.levelno == logging.WARNING and line.exc_info is None
    assert line.getMessage().startswith(
        "sweep: nothing planned or sent: OBLIGATIONS_SECRETARIAT_EMAILS is not set"
    )
    assert smtp.handler.received == []
    assert outbox_size(factory) == 0


def test_the_scheduled_digest_logs_why_nothing_was_planned(
    database_url: str,
    factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("OBLIGATIONS_SECRETARIAT_EMAILS", "")
    get_settings.cache_clear()
    with caplog.at_level(logging.INFO, logger="notifier"):
        digest_job(database_url)
    (line,) = [r for r in caplog.records if r.name == "notifier.scheduling"]
    assert line.getMessage() == (
        "digest: nothing planned (no OBLIGATIONS_SECRETARIAT_EMAILS set: "
        "the digest has nobody to go to), 0 sent"
    )
    assert outbox_size(factory) == 0


def test_the_sender_must_be_set_for_smtp_and_defaults_for_the_maildir() -> None:
    local = config_from(Settings(secretariat_emails="cmw@ohchr.example.org"))
    assert local.mail_from == MAILDIR_SENDER
    with pytest.raises(InvalidInput, match="^OBLIGATIONS_MAIL_FROM: not set; mail sent over SMTP"):
        config_from(Settings(smtp_url="smtp://mail.example.org"))
    # Over SMTP the sender's domain must be one a receiving server can check.
    with pytest.raises(InvalidInput, match="^OBLIGATIONS_MAIL_FROM: 'cmw@localhost'"):
        config_from(Settings(smtp_url="smtp://mail.example.org", mail_from="cmw@localhost"))
    real = config_from(
        Settings(smtp_url="smtp://mail.example.org", mail_from="CMW <cmw-notifier@ohchr.org>")
    )
    assert real.mail_from == "CMW <cmw-notifier@ohchr.org>"


def test_remind_reports_the_sender_and_where_replies_go(
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    add_contact(factory, "ALB", "ardit@example.al")
    result = run_cli(capsys, database_url, "remind", "--as-of", "2026-11-25")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[:3] == [
        f"mail: Maildir {tmp_path / 'maildir'} (no OBLIGATIONS_SMTP_URL set)",
        f"mail from: {MAILDIR_SENDER} (the Maildir's local default; set OBLIGATIONS_MAIL_FROM)",
        "replies to: cmw@ohchr.example.org, desk@ohchr.example.org "
        "(OBLIGATIONS_SECRETARIAT_EMAILS)",
    ]
    (message,) = list(mailbox.Maildir(tmp_path / "maildir", create=False))
    assert message["From"] == MAILDIR_SENDER
    assert message["Reply-To"] == "cmw@ohchr.example.org, desk@ohchr.example.org"


def test_remind_over_smtp_without_a_sender_is_one_error_line(
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    factory: sessionmaker[Session],
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    monkeypatch.setenv("OBLIGATIONS_SMTP_URL", smtp.url)
    get_settings.cache_clear()
    result = run_cli(capsys, database_url, "remind")
    assert result.code == 2
    assert result.err.startswith("error: OBLIGATIONS_MAIL_FROM: not set; mail sent over SMTP")
    assert len(result.err.strip().splitlines()) == 1
    assert smtp.handler.received == [] and outbox_size(factory) == 0


def test_serve_reports_the_sender_and_a_missing_secretariat_at_start_up(
    capsys: pytest.CaptureFixture[str], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OBLIGATIONS_SMTP_URL", "smtp://127.0.0.1:1")
    monkeypatch.setenv("OBLIGATIONS_MAIL_FROM", "CMW <cmw-notifier@ohchr.org>")
    monkeypatch.setenv("OBLIGATIONS_SECRETARIAT_EMAILS", "")
    get_settings.cache_clear()
    scheduler = start_in_process(database_url)
    scheduler.stop(wait=False)
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "mail: SMTP 127.0.0.1:1 (no TLS)",
        "mail from: CMW <cmw-notifier@ohchr.org>",
        "replies to: nobody; OBLIGATIONS_SECRETARIAT_EMAILS is not set: reminders and overdue "
        "notices ask focal points to reply to the secretariat, so none is planned or sent "
        "until it names at least one address (e.g. OBLIGATIONS_SECRETARIAT_EMAILS=cmw@ohchr.org)",
    ]


def test_digest_dry_run_says_why_there_is_nothing_to_send(
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def dry_run(as_of: str) -> list[str]:
        result = run_cli(capsys, database_url, "digest", "--as-of", as_of, "--dry-run")
        assert result.code == 0, result.err
        return result.out.splitlines()[1:]

    # Before the first report fell due (1 July 2004): nothing overdue or due within 90 days.
    assert dry_run("2003-06-01")[:2] == [
        "dry run as at 2003-06-01: 0 digest would be planned",
        "nothing to send: nothing to report as at 2003-06-01: no report overdue, "
        "none due within 90 days",
    ]
    assert dry_run("2026-11-23")[0] == "dry run as at 2026-11-23: 1 digest would be planned"
    sent = run_cli(capsys, database_url, "digest", "--as-of", "2026-11-23")
    assert "planned 1 digest as at 2026-11-23 for 2 recipients" in sent.out
    assert dry_run("2026-11-23") == [
        "dry run as at 2026-11-23: 0 digest would be planned",
        "nothing to send: the digest as at 2026-11-23 was already sent for every address in "
        "OBLIGATIONS_SECRETARIAT_EMAILS (see `obligations outbox`)",
        "nothing written, nothing sent",
    ]
    monkeypatch.setenv("OBLIGATIONS_SECRETARIAT_EMAILS", "")
    get_settings.cache_clear()
    assert dry_run("2026-11-24")[1] == (
        "nothing to send: no OBLIGATIONS_SECRETARIAT_EMAILS set: the digest has nobody to go to"
    )
    # The real command says the same, and sends nothing.
    real = run_cli(capsys, database_url, "digest", "--as-of", "2026-11-24")
    assert real.code == 0
    assert "nothing to send: no OBLIGATIONS_SECRETARIAT_EMAILS set" in real.out
