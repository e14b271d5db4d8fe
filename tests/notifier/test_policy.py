"""Which stage a sweep sends on a date: the most recent one that has come."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from notifier.config import Policy
from notifier.policy import latest_stage, next_overdue_notice

DUE = date(2029, 7, 1)
POLICY = Policy((180, 90, 30), 90)


@pytest.mark.parametrize(
    ("days_from_due", "stage"),
    [
        (-181, None),
        (-180, "reminder-180"),
        (-91, "reminder-180"),
        (-90, "reminder-90"),
        (-31, "reminder-90"),
        (-30, "reminder-30"),
        (0, "reminder-30"),  # due today: due, not overdue
        (1, "overdue-1"),
        (90, "overdue-1"),
        (91, "overdue-91"),
        (181, "overdue-181"),
        (8000, "overdue-7921"),
    ],
)
def test_latest_stage_on_each_day(days_from_due: int, stage: str | None) -> None:
    found = latest_stage(DUE, DUE + timedelta(days=days_from_due), POLICY)
    assert (found.name if found else None) == stage


def test_a_late_sweep_sends_only_the_latest_stage() -> None:
    # A sweep that did not run for five months before the due date: only the 30-day reminder.
    found = latest_stage(DUE, DUE - timedelta(days=10), POLICY)
    assert found is not None and found.name == "reminder-30"
    assert found.date == DUE - timedelta(days=30)


def test_the_policy_is_configurable() -> None:
    policy = Policy((60, 7), 30)
    assert latest_stage(DUE, DUE - timedelta(days=61), policy) is None
    assert latest_stage(DUE, DUE - timedelta(days=7), policy).name == "reminder-7"  # type: ignore[union-attr]
    assert latest_stage(DUE, DUE + timedelta(days=31), policy).name == "overdue-31"  # type: ignore[union-attr]


def test_the_next_overdue_notice_is_the_next_90_day_step_after_the_day() -> None:
    policy = Policy()
    due = date(2014, 7, 1)
    assert next_overdue_notice(due, date(2014, 7, 2), policy) == date(2014, 9, 30)
    for as_of in (date(2014, 9, 29), date(2014, 9, 30), date(2026, 11, 25)):
        notice = next_overdue_notice(due, as_of, policy)
        assert as_of < notice <= as_of + timedelta(days=90)
        assert (notice - date(2014, 7, 2)).days % 90 == 0
