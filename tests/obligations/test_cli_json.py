"""The CLI's --json, written by orjson: the same text as json.dumps of the JSON-ready values,
which it printed before, for every answer and any text a fact may hold."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine

from obligations import models, serialize
from obligations.db import session_factory, transaction
from tests.obligations.cli_runner import run_cli

# Quotes, backslashes, control characters, accents, other scripts, line separators, emoji.
ODD_TEXT = 'a "quote" \\ back\tslash\nnew line \x01\x1f\x7f é ü 中文 \u2028 \u2029 😀'


def json_text_before(value: Any) -> str:
    return json.dumps(serialize.jsonable(value), ensure_ascii=False, indent=2)


@pytest.fixture
def odd_record(engine: Engine) -> None:
    with transaction(session_factory(engine)) as session:
        session.add(
            models.State(
                code="ZZB",
                name="Zé " + ODD_TEXT,
                regional_group="AFR",
                history_researched_until=date(2020, 1, 31),
                history_note=ODD_TEXT,
            )
        )
        session.flush()
        session.add_all(
            [
                models.DepositaryAction(
                    state_code="ZZB", action="ratification", date=date(2010, 3, 31),
                    date_precision="month", source=ODD_TEXT, note=ODD_TEXT,
                ),
                models.DepositaryAction(
                    state_code="ZZB", action="declaration", date=date(2011, 1, 5),
                    articles="76;77", source="C.N.1.2011", notification=ODD_TEXT,
                ),
                models.ReportReceived(
                    state_code="ZZB", first_number=1, last_number=1, received=date(2012, 12, 31),
                    received_precision="year", symbol=ODD_TEXT, source=ODD_TEXT,
                ),
            ]
        )  # fmt: skip


COMMANDS = [
    ["status"],
    ["state", "ZZB"],
    ["state", "GTM"],
    ["overdue"],
    ["overdue", "--by-state"],
    ["upcoming", "--within", "1826"],
    ["committee"],
]


@pytest.mark.usefixtures("odd_record")
@pytest.mark.parametrize("day", ["2008-01-01", "2016-06-30", "2025-11-25"])
def test_every_json_answer_is_the_text_json_dumps_wrote(
    database_url: str,
    day: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for command in COMMANDS:
        args = [*command, "--json", "--as-of", day]
        now = run_cli(capsys, database_url, *args)
        with monkeypatch.context() as patched:
            patched.setattr(serialize, "json_text", json_text_before)
            before = run_cli(capsys, database_url, *args)
        assert (now.code, now.err) == (0, ""), args
        assert now.out == before.out, args
        assert json.loads(now.out), args
    dossier = json.loads(run_cli(capsys, database_url, "state", "ZZB", "--json").out)
    assert dossier["name"] == "Zé " + ODD_TEXT  # the odd text is in the answers compared


def test_the_audit_log_coverage_and_empty_lists_are_written_alike(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = run_cli(
        capsys, database_url,
        "record", "report", "GTM", "--numbers", "1", "--received", "2010-08-04",
        "--symbol", "CMW/C/GTM/1",
    )  # fmt: skip
    assert recorded.code == 0, recorded.err
    for args in (
        ["audit", "--json"],  # datetimes, and the record before and after as JSON text
        ["coverage", "--json", "--as-of", "2020-01-01"],
        ["token", "list", "--json"],
    ):
        now = run_cli(capsys, database_url, *args)
        with monkeypatch.context() as patched:
            patched.setattr(serialize, "json_text", json_text_before)
            before = run_cli(capsys, database_url, *args)
        assert (now.code, now.err) == (0, ""), args
        assert now.out == before.out, args
