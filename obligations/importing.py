"""Loading the bundled ICRMW record, and importing newer depositary records from CSV."""

from __future__ import annotations

import contextlib
import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from obligations import models, record_files
from obligations.errors import InvalidInput, NotFound, ObligationsError
from obligations.inputs import parse_date, parse_partial_date, parse_state_code
from obligations.record import load_record
from obligations.recording import (
    add_action_row,
    build_action,
    check_timeline,
    lock_state,
    sequence_checked_at_end,
)
from obligations.rules.facts import Action

ACTION_COLUMNS = ("state", "action", "date", "articles", "source")
OPTIONAL_COLUMNS = ("effective", "notification", "note")


def bundled_text(name: str) -> str:
    return resources.files("obligations").joinpath("data", name).read_text(encoding="utf-8")


def is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(models.State)) == 0


@dataclass(frozen=True)
class ImportResult:
    rows: list[models.DepositaryAction]  # those added
    already_recorded: int

    @property
    def added(self) -> int:
        return len(self.rows)


def load_states(session: Session) -> int:
    """Every State that can become party (UN Members and observer States), then former names."""
    rows = list(csv.DictReader(io.StringIO(bundled_text("un_states.csv"))))
    # The ICRMW record's own list wins where both name a State.
    for row in csv.DictReader(io.StringIO(bundled_text("icrmw/states.csv"))):
        rows = [r for r in rows if r["code"] != row["code"]] + [{**row, "membership": "member"}]
    for row in rows:
        session.add(
            models.State(
                code=row["code"],
                name=row["name"],
                regional_group=row["regional_group"] or None,
                membership=row.get("membership") or "member",
            )
        )
    session.flush()
    for row in csv.DictReader(io.StringIO(bundled_text("icrmw/name_history.csv"))):
        session.add(
            models.StateName(
                state_code=row["code"],
                name=row["name"],
                used_until=date.fromisoformat(row["used_until"]),
                precision=row["precision"] or "day",
                note=row["note"] or None,
            )
        )
    session.flush()
    return len(rows)


# The Committee's reporting record shipped with the package, in the order facts build on.
BUNDLED_REPORTING = tuple(
    spec.name for spec in record_files.FILES if spec.name != "depositary_actions.csv"
)


def load_bundled_record(session: Session) -> ImportResult:
    """Fill an empty database with the ICRMW record shipped with the package: depositary
    actions, then the reporting history, each row checked like any other write."""
    load_states(session)
    actions = import_actions(
        session, bundled_text("icrmw/depositary_actions.csv"), "bundled record"
    )
    load_bundled_reporting(session)
    return actions


def load_bundled_reporting(session: Session) -> None:
    """The Committee's reporting record shipped with the package, each row checked."""
    with sequence_checked_at_end(session):
        for name in BUNDLED_REPORTING:
            record_files.import_text(session, bundled_text(f"icrmw/{name}"), f"bundled {name}")
    history = record_files.HISTORY_FILE
    record_files.import_history(session, bundled_text(f"icrmw/{history}"), f"bundled {history}")


def has_reporting_facts(session: Session) -> bool:
    """Whether any report, review or Committee document is on record."""
    return any(
        session.scalar(select(func.count()).select_from(spec.model))
        for spec in record_files.FILES
        if spec.name != "depositary_actions.csv"
    )


def import_actions_file(session: Session, path: Path) -> ImportResult:
    return import_actions(session, record_files.read_text(path), str(path))


def import_actions(session: Session, text: str, origin: str) -> ImportResult:
    """All or nothing: every row is checked, alone and against the record, before any is kept.

    A row already in the record is passed over, so importing the same file twice adds nothing.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    missing = [c for c in ACTION_COLUMNS if c not in header]
    unknown = [c for c in header if c not in ACTION_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        raise InvalidInput(
            f"{origin}: the header must be {','.join(ACTION_COLUMNS)}"
            + (f" (missing: {', '.join(missing)})" if missing else "")
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    read = list(reader)
    # One writer per State: lock every State the file names, in one order, before checking.
    for code in sorted({(row.get("state") or "").strip().upper() for row in read}):
        # An unknown or malformed code is reported with its row below.
        with contextlib.suppress(ObligationsError):
            lock_state(session, code)
    record = load_record(session)
    known_states = set(record.states)
    new_by_state: dict[str, list[tuple[int, Action]]] = defaultdict(list)
    already = 0
    for line, row in enumerate(read, start=2):
        try:
            action = _row_action(row, known_states)
        except ObligationsError as error:
            raise InvalidInput(f"{origin}, row {line}: {error}") from None
        if any(_same(action, a) for a in record.actions.get(action.state, [])):
            already += 1
            continue
        if any(_same(action, a) for _, a in new_by_state[action.state]):
            raise InvalidInput(f"{origin}, row {line}: the same action appears twice in the file")
        new_by_state[action.state].append((line, action))
    for code, numbered in new_by_state.items():
        try:
            check_timeline(record, code, [a for _, a in numbered])
        except ObligationsError as error:
            lines = ", ".join(str(n) for n, _ in numbered)
            raise InvalidInput(f"{origin}, row(s) {lines}: {error}") from None
    rows = [
        add_action_row(session, action)
        for numbered in new_by_state.values()
        for _, action in sorted(numbered, key=lambda n: n[1].replay_key)
    ]
    return ImportResult(rows, already)


def _same(a: Action, b: Action) -> bool:
    return (a.state, a.action, a.date, a.articles) == (b.state, b.action, b.date, b.articles)


def _row_action(row: dict[str, str | None], known_states: set[str]) -> Action:
    # csv.DictReader fills missing cells with None and keeps extra ones under the key None.
    if None in row.values() or None in row:
        raise InvalidInput("the row does not have the header's number of columns")
    code = parse_state_code(row["state"] or "")
    if code not in known_states:
        raise NotFound(f"unknown State code {code!r}")
    effective = row.get("effective") or None
    day, precision = parse_partial_date(row["date"] or "", "date")
    return build_action(
        code,
        row["action"] or "",
        day,
        row["articles"] or "",
        row["source"] or None,
        parse_date(effective, "effective") if effective else None,
        row.get("notification") or None,
        row.get("note") or None,
        precision,
    )
