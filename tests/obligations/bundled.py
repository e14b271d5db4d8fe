"""The bundled record read straight from the package, as plain rule values."""

from __future__ import annotations

import csv
import io

from obligations.importing import bundled_text
from obligations.record import stored_articles
from obligations.rules.facts import Action, ActionKind
from obligations.rules.precision import parse_partial


def bundled_actions() -> list[Action]:
    rows = csv.DictReader(io.StringIO(bundled_text("icrmw/depositary_actions.csv")))
    actions = []
    for r in rows:
        # Zimbabwe's accession is known to the month: the end of the month, like the loader.
        day, precision = parse_partial(r["date"]) or (None, None)
        assert day is not None and precision is not None, r
        actions.append(
            Action(
                r["state"],
                ActionKind(r["action"]),
                day,
                stored_articles(r["articles"]),
                r["source"],
                date_precision=precision,
            )
        )
    return actions
