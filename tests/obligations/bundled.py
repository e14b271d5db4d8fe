"""The bundled record read straight from the package, as plain rule values."""

from __future__ import annotations

import csv
import io
from datetime import date

from obligations.importing import bundled_text
from obligations.record import stored_articles
from obligations.rules.facts import Action, ActionKind


def bundled_actions() -> list[Action]:
    rows = csv.DictReader(io.StringIO(bundled_text("icrmw/depositary_actions.csv")))
    return [
        Action(
            r["state"],
            ActionKind(r["action"]),
            date.fromisoformat(r["date"]),
            stored_articles(r["articles"]),
            r["source"],
        )
        for r in rows
    ]
