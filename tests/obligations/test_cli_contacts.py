"""Contacts, tokens and the audit log from the command line."""

from __future__ import annotations

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
