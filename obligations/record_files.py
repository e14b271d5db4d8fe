"""The record as CSV files, one per fact type: what `obligations export` writes and
`obligations import` reads (by header), all or nothing, passing over rows already on record.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from obligations import models, practice, recording
from obligations.csvcells import neutralise, restore
from obligations.errors import InvalidInput, NotFound, ObligationsError
from obligations.inputs import parse_articles, parse_date, parse_partial_date, parse_state_code
from obligations.record import format_articles
from obligations.rules.precision import shown


@dataclass(frozen=True)
class FactFile:
    """One fact type as a CSV file: its columns, how a row is recorded, how it is written."""

    name: str  # file name, and the entity name in the audit log
    entity: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    model: type[models.Base]
    record: Callable[[Session, dict[str, str]], Any]
    key: Callable[[Any], tuple[object, ...]]  # a stored row's natural key
    row_key: Callable[[dict[str, str]], tuple[object, ...]]  # a CSV row's natural key
    cells: Callable[[Any], list[object]]


# Date columns whose precision column is not named `<column>_precision`.
PRECISION_COLUMNS = {
    "follow_up_due": "follow_up_precision",
    "replies_received": "replies_precision",
}


def document_date(row: models.Base, name: str) -> str | None:
    """A stored date column as its document gave it: YYYY-MM-DD, YYYY-MM or YYYY."""
    value = getattr(row, name)
    if value is None:
        return None
    precision = getattr(row, PRECISION_COLUMNS.get(name, f"{name}_precision"), "day")
    return shown(value, precision)


def _d(row: models.Base, name: str) -> str:
    return document_date(row, name) or ""


def _numbers(first: int, last: int | None) -> str:
    return str(first) if last is None or last == first else f"{first}-{last}"


def _int(text: str, field: str) -> int:
    if not re.fullmatch(r"[0-9]{1,9}", text.strip()):
        raise InvalidInput(f"{field}: {text!r} is not a whole number")
    return int(text)


def _first(text: str) -> int:
    return _int(text.split("-")[0], "numbers")


def _last(text: str) -> int:
    return _int(text.split("-")[-1], "numbers")


def _yes(text: str, field: str) -> bool:
    value = text.strip().lower()
    if value in ("", "no", "false", "0"):
        return False
    if value in ("yes", "true", "1"):
        return True
    raise InvalidInput(f"{field}: {text!r} must be yes or no")


def _none(text: str) -> str | None:
    return text.strip() or None


def _record_observations(s: Session, r: dict[str, str]) -> Any:
    follow = r["follow_up_due"].strip().lower()
    return practice.record_observations(
        s,
        r["state"],
        r["number"],
        r["symbol"],
        r["adopted"],
        _int(r["session"], "session") if r["session"].strip() else None,
        _none(r["next_numbers"]),
        _none(r["next_due"]),
        _none(r["next_due_mode"]),
        None if follow in ("", "unknown", "none", "2y") else follow,
        # "2y": within two years of adoption; "none" or empty: no follow-up on record
        follow_up=follow == "2y" or follow not in ("", "unknown", "none"),
        follow_up_paragraphs=_none(r["follow_up_paragraphs"]),
        source=r["source"],
    )


def _observation_follow_up(row: models.ConcludingObservations) -> str:
    return _d(row, "follow_up_due") if row.follow_up_due else "none"


FILES: tuple[FactFile, ...] = (
    FactFile(
        "depositary_actions.csv",
        "action",
        ("state", "action", "date", "articles", "source", "effective", "notification", "note"),
        ("state", "action", "date", "articles", "source"),
        models.DepositaryAction,
        lambda s, r: recording.record_action(
            s,
            r["state"],
            r["action"],
            parse_partial_date(r["date"])[0],
            r["articles"],
            r["source"],
            parse_date(r["effective"], "effective") if r["effective"].strip() else None,
            _none(r["notification"]),
            _none(r["note"]),
            parse_partial_date(r["date"])[1],
        ),
        lambda x: (x.state_code, x.action, _d(x, "date"), x.articles),
        lambda r: (
            parse_state_code(r["state"]),
            r["action"].strip().lower().replace(" ", "_"),
            r["date"].strip(),
            format_articles(parse_articles(r["articles"])),
        ),
        lambda x: [
            x.state_code, x.action, _d(x, "date"), x.articles, x.source,
            x.effective.isoformat() if x.effective else "", x.notification or "", x.note or "",
        ],
    ),
    FactFile(
        "concluding_observations.csv",
        "observations",
        (
            "state", "number", "symbol", "adopted", "session", "next_numbers", "next_due",
            "next_due_mode", "follow_up_due", "follow_up_paragraphs", "source",
        ),
        ("state", "number", "symbol", "adopted", "source"),
        models.ConcludingObservations,
        _record_observations,
        lambda x: (x.state_code, x.number),
        lambda r: (parse_state_code(r["state"]), _int(r["number"], "number")),
        lambda x: [
            x.state_code, x.number, x.symbol, _d(x, "adopted"), x.session or "",
            _numbers(x.next_first, x.next_last) if x.next_first else "", _d(x, "next_due"),
            x.next_due_mode, _observation_follow_up(x), x.follow_up_paragraphs or "", x.source,
        ],
    ),
    FactFile(
        "loiprs.csv",
        "loipr",
        ("state", "report", "symbol", "transmitted", "deadline", "source"),
        ("state", "report", "symbol", "transmitted", "source"),
        models.ListOfIssuesPriorToReporting,
        lambda s, r: practice.record_loipr(
            s, r["state"], r["report"], r["symbol"], r["transmitted"], _none(r["deadline"]),
            r["source"],
        ),
        lambda x: (x.state_code, x.report_number),
        lambda r: (parse_state_code(r["state"]), _int(r["report"], "report")),
        lambda x: [
            x.state_code, x.report_number, x.symbol, _d(x, "transmitted"), _d(x, "deadline"),
            x.source,
        ],
    ),
    FactFile(
        "committee_decisions.csv",
        "decision",
        ("state", "report", "due", "decided", "kind", "symbol", "source"),
        ("state", "report", "due", "decided", "source"),
        models.CommitteeDecision,
        lambda s, r: recording.record_decision(
            s, r["state"], _int(r["report"], "report"), r["due"], r["decided"],
            _none(r["symbol"]), r["kind"].strip() or "fix_due_date", r["source"],
        ),
        lambda x: (x.state_code, x.report_number, _d(x, "decided"), x.kind),
        lambda r: (
            parse_state_code(r["state"]), _int(r["report"], "report"), r["decided"].strip(),
            r["kind"].strip() or "fix_due_date",
        ),
        lambda x: [
            x.state_code, x.report_number, _d(x, "due"), _d(x, "decided"), x.kind,
            x.symbol or "", x.source or "",
        ],
    ),
    FactFile(
        "reports.csv",
        "report",
        ("state", "numbers", "received", "symbol", "procedure", "source", "out_of_sequence"),
        ("state", "numbers", "received", "source"),
        models.ReportReceived,
        lambda s, r: recording.record_report(
            s, r["state"], r["numbers"], r["received"], _none(r["symbol"]),
            r["procedure"].strip() or "standard", r["source"], _none(r["out_of_sequence"]),
        ),
        lambda x: (x.state_code, x.first_number, x.last_number),
        lambda r: (parse_state_code(r["state"]), _first(r["numbers"]), _last(r["numbers"])),
        lambda x: [
            x.state_code, _numbers(x.first_number, x.last_number), _d(x, "received"),
            x.symbol or "", x.procedure, x.source or "", x.out_of_sequence or "",
        ],
    ),
    FactFile(
        "reviews.csv",
        "review",
        (
            "state", "numbers", "session", "date", "end_date", "without_report", "symbol",
            "source", "out_of_sequence",
        ),
        ("state", "numbers", "session", "date", "source"),
        models.Review,
        lambda s, r: recording.record_review(
            s, r["state"], r["numbers"],
            _int(r["session"], "session") if r["session"].strip() else None,
            parse_date(r["date"]), _none(r["symbol"]),
            parse_date(r["end_date"], "end_date") if r["end_date"].strip() else None,
            _yes(r["without_report"], "without_report"), r["source"],
            _none(r["out_of_sequence"]),
        ),
        lambda x: (x.state_code, x.first_number, x.last_number, x.date.isoformat()),
        lambda r: (
            parse_state_code(r["state"]), _first(r["numbers"]), _last(r["numbers"]),
            r["date"].strip(),
        ),
        lambda x: [
            x.state_code, _numbers(x.first_number, x.last_number), x.session or "",
            x.date.isoformat(),
            x.end_date.isoformat() if x.end_date else "", "yes" if x.without_report else "no",
            x.symbol or "", x.source or "", x.out_of_sequence or "",
        ],
    ),
    FactFile(
        "lists_of_issues.csv",
        "list-of-issues",
        ("state", "report", "symbol", "issued", "replies_received", "replies_symbol", "source"),
        ("state", "report", "symbol", "issued", "source"),
        models.ListOfIssues,
        lambda s, r: practice.record_list_of_issues(
            s, r["state"], r["report"], r["symbol"], r["issued"], _none(r["replies_received"]),
            _none(r["replies_symbol"]), r["source"],
        ),
        lambda x: (x.state_code, x.symbol),
        lambda r: (parse_state_code(r["state"]), r["symbol"].strip()),
        lambda x: [
            x.state_code, x.report_number, x.symbol, _d(x, "issued"),
            _d(x, "replies_received") if x.replies_received else "", x.replies_symbol or "",
            x.source,
        ],
    ),
    FactFile(
        "follow_up.csv",
        "follow-up",
        ("state", "number", "symbol", "received", "source"),
        ("state", "number", "received", "source"),
        models.FollowUpReceived,
        lambda s, r: practice.record_follow_up(
            s, r["state"], r["number"], r["received"], _none(r["symbol"]), r["source"]
        ),
        lambda x: (x.state_code, x.number),
        lambda r: (parse_state_code(r["state"]), _int(r["number"], "number")),
        lambda x: [x.state_code, x.number, x.symbol or "", _d(x, "received"), x.source],
    ),
)  # fmt: skip

BY_NAME = {f.name: f for f in FILES}


def fact_file_for(header: Iterable[str], origin: str) -> FactFile:
    """The fact type a CSV holds, told by its header."""
    columns = tuple(h.strip() for h in header)
    for spec in FILES:
        if all(c in columns for c in spec.required) and all(c in spec.columns for c in columns):
            return spec
    known = "; ".join(f"{f.name}: {','.join(f.columns)}" for f in FILES)
    raise InvalidInput(f"{origin}: the header {','.join(columns)!r} is not one of: {known}")


@dataclass(frozen=True)
class FileImport:
    spec: FactFile
    rows: list[Any]  # those added
    already_recorded: int


def import_text(session: Session, text: str, origin: str) -> FileImport:
    """Record every row of one CSV, all or nothing: the first bad row stops the import with
    its row number, and the caller's transaction is rolled back. Rows already on record
    (the same natural key) are passed over, so a second import of a file adds nothing."""
    reader = csv.DictReader(io.StringIO(text))
    spec = fact_file_for(reader.fieldnames or (), origin)
    existing = {spec.key(x) for x in session.scalars(select(spec.model))}
    added: list[Any] = []
    already = 0
    seen: set[tuple[object, ...]] = set()
    for line, raw in enumerate(reader, start=2):
        try:
            if None in raw or None in raw.values():
                raise InvalidInput("the row does not have the header's number of columns")
            row = {c: restore(raw.get(c) or "") for c in spec.columns}
            key = spec.row_key(row)
            if key in existing:
                already += 1
                continue
            if key in seen:
                raise InvalidInput("the same fact appears twice in the file")
            seen.add(key)
            added.append(spec.record(session, row))
        except (ObligationsError, NotFound) as error:
            raise InvalidInput(f"{origin}, row {line}: {error}") from None
    return FileImport(spec, added, already)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot be read as UTF-8 text ({error})") from None


def import_path(session: Session, path: Path) -> list[FileImport]:
    """A CSV file, or a folder of them (as `export` writes), in the order facts build on."""
    with recording.sequence_checked_at_end(session):
        if not path.is_dir():
            return [import_text(session, read_text(path), str(path))]
        files = [path / spec.name for spec in FILES if (path / spec.name).exists()]
        if not files:
            raise InvalidInput(f"{path}: no record files ({', '.join(BY_NAME)}) in the folder")
        done = [import_text(session, read_text(f), str(f)) for f in files]
        if (path / HISTORY_FILE).exists():
            history = path / HISTORY_FILE
            import_history(session, read_text(history), str(history))
        return done


def export_record(session: Session, folder: Path) -> dict[str, int]:
    """Write every fact to `folder`, one CSV per fact type; returns the rows per file."""
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise InvalidInput(f"{folder}: cannot create the folder ({error.strerror})") from None
    counts: dict[str, int] = {}
    for spec in FILES:
        rows = sorted((spec.cells(x) for x in session.scalars(select(spec.model))), key=_order)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(spec.columns)
        for cells in rows:
            writer.writerow([neutralise(str(c)) for c in cells])
        try:
            (folder / spec.name).write_text(out.getvalue(), encoding="utf-8")
        except OSError as error:
            raise InvalidInput(f"{folder / spec.name}: cannot write ({error.strerror})") from None
        counts[spec.name] = len(rows)
    counts[HISTORY_FILE] = export_history(session, folder)
    return counts


HISTORY_FILE = "reporting_history.csv"
HISTORY_COLUMNS = ("state", "researched_until", "note")


def export_history(session: Session, folder: Path) -> int:
    """How far each State's reporting history is known, as `import` reads it back."""
    from obligations.record import KEPT_CURRENT

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HISTORY_COLUMNS)
    states = session.scalars(
        select(models.State)
        .where(models.State.history_researched_until.is_not(None))
        .order_by(models.State.code)
    ).all()
    for state in states:
        until = state.history_researched_until
        shown_until = "kept current" if until == KEPT_CURRENT else str(until)
        writer.writerow([state.code, shown_until, neutralise(state.history_note or "")])
    (folder / HISTORY_FILE).write_text(out.getvalue(), encoding="utf-8")
    return len(states)


def import_history(session: Session, text: str, origin: str) -> int:
    """Set how far each State's history is known; a row like the record's changes nothing."""
    from obligations.practice import record_history

    changed = 0
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            until = restore(row.get("researched_until") or "").strip()
            kept = until == "kept current"
            state = record_history(
                session, row.get("state") or "", None if kept or not until else until,
                restore(row.get("note") or "") or None, kept,
            )  # fmt: skip
        except ObligationsError as error:
            raise InvalidInput(f"{origin}, row {line}: {error}") from None
        changed += session.is_modified(state)
    return changed


def _order(cells: list[object]) -> list[str]:
    return [str(c) for c in cells]
