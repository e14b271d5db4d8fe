"""Properties of the date rules, over many generated dates (Hypothesis)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st

from obligations.rules.dates import add_months
from obligations.rules.entry_into_force import (
    GeneralEntryIntoForce,
    own_entry_into_force,
    state_entry_into_force,
)
from obligations.rules.facts import Action, ActionKind, Decision
from obligations.rules.reporting import report_schedule

days = st.dates(min_value=date(1990, 12, 18), max_value=date(2100, 12, 31))
first_days = days.map(lambda d: d.replace(day=1))


@given(days)
def test_entry_into_force_is_the_first_of_a_month_more_than_three_months_on(deposit: date) -> None:
    eif = own_entry_into_force(deposit)
    assert eif.day == 1
    assert eif > deposit + relativedelta(months=3)
    assert eif <= deposit + relativedelta(months=4)


@given(days, first_days)
def test_a_state_is_never_bound_before_the_general_date(deposit: date, general: date) -> None:
    eif = state_entry_into_force(
        Action("XXX", ActionKind.ACCESSION, deposit), GeneralEntryIntoForce(20, None, general)
    )
    assert eif is not None
    assert eif.date >= general
    assert eif.date >= own_entry_into_force(deposit) or eif.date == general


@given(first_days, days)
def test_due_dates_strictly_increase(bound: date, as_of: date) -> None:
    schedule = report_schedule(bound, [], [], as_of)
    assert schedule[0].due == bound + relativedelta(years=1)
    dues = [r.due for r in schedule]
    assert dues == sorted(set(dues))
    assert schedule[-1].due > as_of
    assert all(r.due <= as_of for r in schedule[:-1])


@given(first_days, st.integers(min_value=2, max_value=6), st.integers(min_value=1, max_value=1500))
@example(date(2003, 7, 1), 2, 973)  # report 2 fixed for 29 February 2012
def test_a_fixed_date_moves_every_later_default(bound: date, number: int, shift: int) -> None:
    horizon = bound + relativedelta(years=40)
    default = report_schedule(bound, [], [], horizon)
    fixed_due = default[number - 1].due + relativedelta(days=shift)
    decision = Decision(number, fixed_due, bound)
    moved = report_schedule(bound, [], [decision], horizon)
    assert [r.due for r in moved[: number - 1]] == [r.due for r in default[: number - 1]]
    assert moved[number - 1].due == fixed_due
    # Each later report five years after the previous due date: counted step by step, so a
    # fixed 29 February gives 28 February five years on, and every step after keeps the 28th.
    previous = fixed_due
    for later in moved[number:]:
        assert later.due == previous + relativedelta(years=5)
        previous = later.due


@given(days, st.integers(min_value=-600, max_value=600))
def test_calendar_months_agree_with_dateutil(day: date, months: int) -> None:
    """A missing day (31 April, 29 February) falls on the month's last day, as in dateutil."""
    assert add_months(day, months) == day + relativedelta(months=months)
