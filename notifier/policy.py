"""Which reminder or overdue notice is due for a report on a date: a pure function.

Stages are named by their offset from the due date: `reminder-180` comes 180 days before
it, `overdue-1` the day after it, `overdue-91` ninety days later, and so on while overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from notifier.config import Policy


@dataclass(frozen=True)
class Stage:
    kind: str  # reminder or overdue
    days: int  # days before (reminder) or after (overdue) the due date
    date: date

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.days}"


def latest_stage(due: date, as_of: date, policy: Policy) -> Stage | None:
    """The most recent stage that has come by `as_of`, or None before the first reminder.

    On the due date itself the report is due, not overdue: the last reminder still stands.
    """
    if as_of > due:
        late = (as_of - due).days
        every = policy.overdue_every_days
        days = 1 + (late - 1) // every * every
        return Stage("overdue", days, due + timedelta(days=days))
    come = [d for d in policy.reminder_days if due - timedelta(days=d) <= as_of]
    if not come:
        return None
    days = min(come)
    return Stage("reminder", days, due - timedelta(days=days))


def next_overdue_notice(due: date, as_of: date, policy: Policy) -> date:
    """The day of the next overdue notice after `as_of`, for a report overdue on it."""
    stage = latest_stage(due, as_of, policy)
    assert stage is not None and stage.kind == "overdue", "the report must be overdue"
    return stage.date + timedelta(days=policy.overdue_every_days)
