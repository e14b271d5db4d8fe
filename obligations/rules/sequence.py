"""Sequence rules: reports come in order, and a review is of reports the Committee received.

A report received for a number beyond the next one due, or a review of numbers never
received (other than a review in the absence of a report, rule 34), is a likely mistake of
entry. Such a fact stands only with a recorded reason (`out_of_sequence`); these rules name
every fact that breaks the sequence without one.

The next one due is the lowest number neither received nor reviewed, or a number the
Committee itself asked for (a list of issues, prior to reporting or not, a decision fixing
its date, concluding observations naming it next): DOMAIN.md's worked example has the
replies to CMW/C/X/QPR/2 discharge report 2 while report 1 was never received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from obligations.rules.facts import ReportReceived, Review


@dataclass(frozen=True)
class SequenceBreak:
    """One fact out of sequence, with what it skips, in words."""

    fact: str  # "report 7 received on 2026-01-05" / "the review of 2019-04-02"
    reason: str  # why it is out of sequence

    def __str__(self) -> str:
        return f"{self.fact} {self.reason}"


def _discharged(
    number: int, day: dt.date, reports: Iterable[ReportReceived], reviews: Iterable[Review]
) -> bool:
    """Report `number` was received, or the Committee reviewed it (with or without it), by `day`."""
    return any(r.covers(number) and r.received <= day for r in reports) or any(
        v.covers(number) and v.date <= day for v in reviews
    )


def _numbers(first: int, last: int) -> str:
    return f"report {first}" if first == last else f"reports {first}-{last}"


def sequence_breaks(
    reports: Sequence[ReportReceived],
    reviews: Sequence[Review],
    requested: Sequence[tuple[int, dt.date]] = (),
) -> list[SequenceBreak]:
    """Every report or review of one State out of sequence and not explained, in date order.

    `requested`: (report number, date) of each Committee act asking for that report.
    """
    found: list[tuple[dt.date, SequenceBreak]] = []
    for report in reports:
        if report.out_of_sequence or any(
            report.covers(number) and day <= report.received for number, day in requested
        ):
            continue
        skipped = next(
            (
                n
                for n in range(1, report.first)
                if not _discharged(n, report.received, reports, reviews)
            ),
            None,
        )
        if skipped is not None:
            fact = f"{_numbers(report.first, report.last)} received on {report.received}"
            reason = (
                f"is beyond the next one due: report {skipped} was neither received nor "
                "reviewed by then"
            )
            found.append((report.received, SequenceBreak(fact, reason)))
    for review in reviews:
        if review.without_report or review.out_of_sequence:
            continue
        missing = next(
            (
                n
                for n in range(review.first, review.last + 1)
                if not any(r.covers(n) and r.received <= review.date for r in reports)
            ),
            None,
        )
        if missing is not None:
            fact = f"the review of {_numbers(review.first, review.last)} on {review.date}"
            reason = (
                f"is of report {missing}, never received by then (a review in the absence "
                "of a report is recorded as one)"
            )
            found.append((review.date, SequenceBreak(fact, reason)))
    return [b for _, b in sorted(found, key=lambda pair: pair[0])]


def new_breaks(
    before: Sequence[SequenceBreak], after: Sequence[SequenceBreak]
) -> list[SequenceBreak]:
    """The breaks a change brings; those already on record (an older version's rows) are not
    the change's doing and do not block it."""
    known = set(before)
    return [b for b in after if b not in known]
