"""Contacts, tokens and the audit log from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.obligations.cli_runner import run_cli


def test_contact_add_list_remove_with_audit(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    added = run_cli(
        capsys,
        database_url,
        "contact",
        "add",
        "gtm",
        "--name",
        "Ana López",
        "--email",
        "ana.lopez@minex.gob.gt",
        "--language",
        "es",
        "--role",
        "copy",
    )
    assert added.code == 0, added.err
    assert "Ana López <ana.lopez@minex.gob.gt> for GTM (es, copy)" in added.out
    listed = run_cli(capsys, database_url, "contact", "list", "GTM", "--json").json()
    assert [(c["state"], c["email"], c["language"], c["role"], c["active"]) for c in listed] == [
        ("GTM", "ana.lopez@minex.gob.gt", "es", "copy", True)
    ]
    assert run_cli(capsys, database_url, "contact", "list", "MEX", "--json").json() == []
    removed = run_cli(capsys, database_url, "contact", "remove", str(listed[0]["id"]))
    assert removed.code == 0
    assert run_cli(capsys, database_url, "contact", "list", "--json").json() == []
    log = run_cli(capsys, database_url, "audit", "--json").json()
    assert [(e["operation"], e["entity"]) for e in log["items"]] == [
        ("delete", "contact"),
        ("create", "contact"),
    ]
    assert log["items"][0]["before"]["email"] == "ana.lopez@minex.gob.gt"
    assert log["items"][0]["actor"].startswith("cli")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["contact", "add", "ZZZ", "--name", "A", "--email", "a@b.org"], "unknown State"),
        (["contact", "add", "GTM", "--name", "A", "--email", "not-an-address"], "email"),
        (["contact", "add", "GTM", "--name", "A\nB", "--email", "a@b.org"], "single line"),
        (
            ["contact", "add", "GTM", "--name", "A", "--email", "a@b.org", "--language", "de"],
            "language",
        ),
        (["contact", "remove", "999"], "999"),
        (["token", "create", "--role", "focal-point", "--name", "X"], "--state"),
        (["token", "create", "--role", "king", "--name", "X"], "role"),
        (["token", "revoke", "999"], "999"),
    ],
)
def test_bad_contact_and_token_input_is_refused(
    capsys: pytest.CaptureFixture[str], database_url: str, args: list[str], words: str
) -> None:
    result = run_cli(capsys, database_url, *args)
    assert result.code == 2
    assert result.err.startswith("error: ")
    assert words.lower() in result.err.lower()
    assert "Traceback" not in result.err
    assert run_cli(capsys, database_url, "audit", "--json").json()["total"] == 0


def test_every_fact_recorded_from_the_command_line_is_audited(
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path
) -> None:
    csv_file = tmp_path / "actions.csv"
    csv_file.write_text("state,action,date,articles,source\nFRA,signature,2021-03-01,,test\n")
    writes = [
        ["record", "action", "DEU", "--action", "signature", "--date", "2020-01-01"],
        ["record", "report", "GTM", "--numbers", "1", "--received", "2010-08-04"],
        [
            "record",
            "review",
            "GTM",
            "--numbers",
            "3",
            "--session",
            "45",
            "--date",
            "2026-04-14",
            "--without-report",
        ],  # fmt: skip
        [
            "record",
            "decision",
            "GTM",
            "--report",
            "2",
            "--due",
            "2013-10-01",
            "--decided",
            "2011-09-15",
        ],
        ["import", str(csv_file)],
    ]
    for args in writes:
        result = run_cli(capsys, database_url, *args)
        assert result.code == 0, result.err
    log = run_cli(capsys, database_url, "audit", "--json").json()
    assert [(e["operation"], e["entity"], e["state"]) for e in log["items"]] == [
        ("create", "action", "FRA"),
        ("create", "decision", "GTM"),
        ("create", "review", "GTM"),
        ("create", "report", "GTM"),
        ("create", "action", "DEU"),
    ]
    assert log["items"][0]["after"]["source"] == "test"
