"""Bad contact details are refused when entered; HTML mail escapes what it shows."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from notifier.config import NotifierConfig
from notifier.rendering import render
from notifier.transports import parse_smtp_url
from obligations.errors import InvalidInput
from tests.notifier.conftest import add_contact


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Ana\nPérez", "ana@minex.gob.gt"),
        ("Ana\rBcc: victim@example.org", "ana@minex.gob.gt"),
        ("Ana\u2028Pérez", "ana@minex.gob.gt"),
        ("Ana\x85Pérez", "ana@minex.gob.gt"),
        ("Ana Pérez", "ana@minex.gob.gt\nBcc: victim@example.org"),
        ("Ana Pérez", "ana@minex.gob.gt\r\n"),
        ("Ana Pérez", "not an address"),
        ("Ana Pérez", "ana@"),
    ],
)
def test_contacts_with_line_breaks_or_bad_addresses_are_refused(
    factory: sessionmaker[Session], name: str, email: str
) -> None:
    with pytest.raises(InvalidInput):
        add_contact(factory, "GTM", email, name=name)


def test_html_autoescapes_and_text_does_not() -> None:
    context = {
        "state": {"code": "XXX", "name": "<script>alert(1)</script> & Co"},
        "as_of": __import__("datetime").date(2026, 11, 25),
        "subject_reports": [],
        "overdue": [],
        "upcoming": [
            {
                "number": 2,
                "due": __import__("datetime").date(2027, 1, 1),
                "basis": "art. 73(1)(b)",
                "days_left": 37,
                "expected_symbol": "CMW/C/XXX/2",
            }
        ],
        "combined_symbol": None,
        "qpr_symbol": "CMW/C/XXX/QPR/2",
        "last_procedure": None,
        "secretariat": ['"><img src=x>@example.org'],
    }
    rendered = render("reminder", "en", context)
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in rendered.html
    assert "&#34;&gt;&lt;img src=x&gt;" in rendered.html
    assert "<script>alert(1)</script> & Co" in rendered.text
    assert "\n" not in rendered.subject


@pytest.mark.parametrize(
    ("url", "described"),
    [
        ("smtp://mail.example.org", "SMTP mail.example.org:25 (no TLS)"),
        (
            "smtp://u:p%40ss@mail.example.org:587?starttls=yes",
            "SMTP mail.example.org:587 (STARTTLS) as u",
        ),
        ("smtps://u:p@mail.example.org", "SMTP mail.example.org:465 (TLS) as u"),
    ],
)
def test_smtp_urls(url: str, described: str) -> None:
    server = parse_smtp_url(url)
    assert server.describe() == described
    if server.username:
        assert server.password in ("p@ss", "p")


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.org",
        "smtp://",
        "smtp://h?starttls=maybe",
        "smtp://h?tls=1",
        "smtp://u:p@h",
    ],
)
def test_bad_smtp_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidInput, match="OBLIGATIONS_SMTP_URL"):
        parse_smtp_url(url)


def test_default_config_is_valid() -> None:
    assert NotifierConfig().policy.reminder_days == (180, 90, 30)
