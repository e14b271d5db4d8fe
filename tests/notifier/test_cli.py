"""The commands as a user types them: remind, digest, outbox, outbox retry."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from notifier.models import OutboxMessage
from obligations.settings import get_settings
from tests.notifier.conftest import SmtpServer, add_contact
from tests.obligations.cli_runner import run_cli


@pytest.fixture(autouse=True)
def notifier_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("OBLIGATIONS_MAILDIR", str(tmp_path / "maildir"))
    monkeypatch.setenv("OBLIGATIONS_SECRETARIAT_EMAILS", "cmw@ohchr.example.org")
    monkeypatch.delenv("OBLIGATIONS_SMTP_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_dry_run_prints_the_plan_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], database_url: str, factory: sessionmaker[Session]
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    result = run_cli(capsys, database_url, "remind", "--as-of", "2026-11-25", "--dry-run")
    assert result.code == 0, result.err
    assert "dry run as at 2026-11-25: 1 messages would be planned" in result.out
    assert "ICRMW – Guatemala: 3 informes atrasados" in result.out
    assert "nothing written, nothing sent" in result.out
    assert count(factory) == 0


def test_remind_writes_to_the_maildir_without_smtp(
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    add_contact(factory, "ALB", "ardit@example.al")
    result = run_cli(capsys, database_url, "remind", "--as-of", "2026-11-25")
    assert result.code == 0, result.err
    assert f"mail: Maildir {tmp_path / 'maildir'} (no OBLIGATIONS_SMTP_URL set)" in result.out
    assert "planned 1 messages as at 2026-11-25 for 1 recipients" in result.out
    assert "delivered: 1 sent, 0 to retry later, 0 failed" in result.out
    (message,) = list(mailbox.Maildir(tmp_path / "maildir", create=False))
    assert message["To"] == "ardit@example.al"

    listing = run_cli(capsys, database_url, "outbox", "--json").json()
    assert listing == [
        {
            "id": 1,
            "status": "sent",
            "recipients": ["ardit@example.al"],
            "subject": "ICRMW: 2 reports of Albania overdue",
            "attempts": 1,
            "last_error": None,
        }
    ]
    assert run_cli(capsys, database_url, "outbox", "--status", "pending", "--json").json() == []
    again = run_cli(capsys, database_url, "remind", "--as-of", "2026-11-25")
    assert "planned 0 messages" in again.out


def test_remind_over_smtp_and_retry_by_id(
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    factory: sessionmaker[Session],
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OBLIGATIONS_SMTP_URL", smtp.url)
    monkeypatch.setenv("OBLIGATIONS_MAIL_FROM", "CMW <cmw-notifier@ohchr.example.org>")
    get_settings.cache_clear()
    add_contact(factory, "SEN", "awa@example.sn", "fr")
    smtp.handler.refuse_with = "451 4.3.0 try again later"
    result = run_cli(capsys, database_url, "remind")
    assert f"mail: SMTP 127.0.0.1:{smtp.port} (no TLS)" in result.out
    assert "delivered: 0 sent, 1 to retry later, 0 failed" in result.out
    assert "451 4.3.0 try again later" in result.out
    table = run_cli(capsys, database_url, "outbox", "--status", "pending").out
    assert "0 pending" not in table and "451 4.3.0" in table

    smtp.handler.refuse_with = None
    retried = run_cli(capsys, database_url, "outbox", "retry", "1")
    assert retried.code == 0 and "message 1: sent" in retried.out
    assert len(smtp.handler.received) == 1
    twice = run_cli(capsys, database_url, "outbox", "retry", "1")
    assert twice.code == 2
    assert twice.err.startswith("error: message 1 was sent on ")
    assert "it is not sent twice" in twice.err
    audit = run_cli(capsys, database_url, "audit", "--json").json()["items"]
    assert [(e["operation"], e["entity"], e["entity_id"]) for e in audit] == [
        ("retry", "message", 1)
    ]
    assert audit[0]["actor"].startswith("cli")
    assert audit[0]["before"] == {"status": "pending", "attempts": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["remind", "--as-of", "2031-01-01"], "error: --as-of: 2031-01-01 is in the future"),
        (["remind", "--as-of", "2026-02-30"], "error: --as-of: '2026-02-30' is not a date"),
        (["outbox", "--status", "lost"], "error: status: must be pending, sent or failed"),
        (["outbox", "retry", "999"], "error: no outbox message with id 999"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    factory: sessionmaker[Session],
    args: list[str],
    message: str,
) -> None:
    add_contact(factory, "GTM", "ana@minex.gob.gt", "es")
    result = run_cli(capsys, database_url, *args)
    assert result.code == 2
    assert result.err.startswith(message)
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err
    assert count(factory) == 0


def test_a_bad_setting_is_one_line(
    capsys: pytest.CaptureFixture[str], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OBLIGATIONS_SMTP_URL", "smtp://user:secret@mail.example.org")
    monkeypatch.setenv("OBLIGATIONS_MAIL_FROM", "cmw-notifier@ohchr.example.org")
    get_settings.cache_clear()
    result = run_cli(capsys, database_url, "remind")
    assert result.code == 2
    assert result.err == (
        "error: OBLIGATIONS_SMTP_URL: credentials are only sent over TLS; "
        "use smtps:// or ?starttls=yes\n"
    )


def test_digest_command(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    result = run_cli(capsys, database_url, "digest", "--as-of", "2026-11-23")
    assert result.code == 0, result.err
    assert "planned 1 digest as at 2026-11-23 for 1 recipients" in result.out
    (message,) = list(mailbox.Maildir(tmp_path / "maildir", create=False))
    assert message["To"] == "cmw@ohchr.example.org"
