"""Rendering the mails through the message catalogs: an overdue notice and a reminder (subject,
text, HTML) for one State, in each language. Prints JSON.

The baseline is English in the same run (its msgids are the text: no catalog lookup), so the
ratios show what the French and Spanish catalogs cost. Five samples of 2,000 renders each per
language and message; medians.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import date
from typing import Any

from notifier.rendering import render

SAMPLES = 5
RENDERS = 2000
AS_OF = date(2026, 4, 1)


def overdue_context() -> dict[str, Any]:
    reports = [
        {
            "kind": "report",
            "number": n,
            "due": date(2004 + 5 * (n - 1), 7, 1),
            "basis": "art. 73(1)(b)",
            "days_overdue": (AS_OF - date(2004 + 5 * (n - 1), 7, 1)).days,
            "expected_symbol": f"CMW/C/MEX/{n}",
        }
        for n in (4, 5)
    ]
    return {
        "state": {"code": "MEX", "name": "Mexico"},
        "as_of": AS_OF,
        "subject_reports": [{**r, "stage": "overdue"} for r in reports],
        "overdue": reports,
        "upcoming": [],
        "combined_symbol": "CMW/C/MEX/4-5",
        "qpr_symbol": "CMW/C/MEX/QPR/4",
        "last_procedure": "simplified",
        "secretariat": ["cmw@ohchr.example.org"],
    }


def reminder_context() -> dict[str, Any]:
    upcoming = [
        {
            "kind": "report",
            "number": 6,
            "due": date(2026, 7, 1),
            "basis": "art. 73(1)(b)",
            "days_left": 91,
            "expected_symbol": "CMW/C/MEX/6",
        }
    ]
    return {
        **overdue_context(),
        "subject_reports": [{**upcoming[0], "stage": "reminder"}],
        "overdue": [],
        "upcoming": upcoming,
        "combined_symbol": None,
    }


def sample(message: str, language: str, context: dict[str, Any]) -> float:
    start = time.perf_counter()
    for _ in range(RENDERS):
        render(message, language, context)
    return (time.perf_counter() - start) / RENDERS * 1e6


def main() -> None:
    results = []
    for message, context in (("overdue", overdue_context()), ("reminder", reminder_context())):
        for language in ("en", "fr", "es"):
            render(message, language, context)  # templates compiled, catalogs loaded
        medians = {}
        for language in ("en", "fr", "es"):
            medians[language] = statistics.median(
                sample(message, language, context) for _ in range(SAMPLES)
            )
        results.append(
            {
                "message": message,
                "median_us_per_render": {k: round(v, 1) for k, v in medians.items()},
                "ratio_to_english": {
                    k: round(v / medians["en"], 2) for k, v in medians.items() if k != "en"
                },
            }
        )
    print(
        json.dumps(
            {
                "benchmark": "mail rendering through the catalogs (subject, text and HTML)",
                "samples": SAMPLES,
                "renders_per_sample": RENDERS,
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
