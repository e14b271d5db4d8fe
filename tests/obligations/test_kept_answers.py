"""Answers kept across dates answer as ones worked out afresh.

A loaded record keeps each State's report schedule under the facts dated by the day asked
about (queries.schedule_plan), and the status of the Convention under the depositary facts
dated by then (queries.status_days), and reads the kept one on any later question whose facts
are the same. These tests read
one record on many dates, in an order that jumps back and forth, from several threads, and
compare every answer with the one a record that keeps nothing gives.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from obligations import queries
from obligations.db import make_engine, session_factory, transaction, upgrade_schema
from obligations.importing import load_bundled_record
from obligations.record import Record, load_record
from obligations.rules.facts import ReportReceived, Review
from obligations.rules.reporting import ReportStatus, SchedulePlan, report_schedule

SEED = 20261125


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Record]:
    path = tmp_path_factory.mktemp("kept") / "bundled.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    factory = session_factory(engine)
    with transaction(factory) as session:
        load_bundled_record(session)
    with factory() as session:
        record = load_record(session)
    record.answers_many = True  # as the API keeps it
    yield record
    engine.dispose()


def afresh(record: Record) -> Record:
    """The same facts with nothing kept, as the command line reads them for one answer."""
    return dataclasses.replace(record, derived={}, answers_many=False)


def days_back_and_forth(count: int) -> list[date]:
    rng = random.Random(SEED)
    first, last = date(1991, 1, 1), date(2040, 12, 31)
    days = [first + timedelta(days=rng.randrange((last - first).days)) for _ in range(count)]
    # Every date on which some fact of the record falls, and the day before and after it.
    return days + [date(2026, 11, 25), date(2003, 7, 1), date(2003, 6, 30)]


def test_kept_schedules_answer_as_fresh_ones_on_every_date(bundled: Record) -> None:
    days = days_back_and_forth(400)
    for day in days:
        fresh = afresh(bundled)
        assert queries.overdue_reports(bundled, day) == queries.overdue_reports(fresh, day), day
        assert queries.upcoming_reports(bundled, day) == queries.upcoming_reports(fresh, day)
    kept = [key for key in bundled.derived if isinstance(key, tuple) and key[0] == "plan"]
    # Many dates shared a plan: far fewer plans than (State, date) pairs were asked about.
    assert 0 < len(kept) < len(days) * len(bundled.actions) / 4


def fact_days(record: Record, code: str) -> list[date]:
    """The days a State's schedule can change on: each report, review and due-date setting."""
    return sorted(
        {r.received for r in record.reports.get(code, [])}
        | {r.date for r in record.reviews.get(code, [])}
        | {s.decided for s in queries.due_settings(record, code)}
    )


def test_each_facts_date_is_the_first_day_it_counts(bundled: Record) -> None:
    """On the day before a fact, the schedule is as without it; from its day, with it."""
    record = afresh(bundled)
    checked = 0
    for code in sorted(bundled.actions):
        for day in fact_days(bundled, code):
            before = day - timedelta(days=1)
            for asked in (before, day, before):  # back to a plan kept earlier
                kept = queries.assess(record, code, asked).reports
                assert kept == queries.assess(afresh(bundled), code, asked).reports, (code, asked)
                checked += 1
    assert checked > 450  # 159 days of reports, reviews, LOIPRs and decisions, 3 reads each


def test_threads_reading_one_record_agree_with_one_reader(bundled: Record) -> None:
    days = days_back_and_forth(120)
    expected = [queries.overdue_reports(afresh(bundled), day) for day in days]
    shared = afresh(bundled)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda day: queries.overdue_reports(shared, day), days * 3))
    assert answers == expected * 3


def test_a_plan_read_on_a_later_day_then_an_earlier_one() -> None:
    """The plan extends as far as a reading needs; an earlier reading then stops earlier."""
    bound = date(2003, 7, 1)
    initial = ReportReceived(1, 1, date(2006, 3, 1), "CMW/C/X/1")
    plan = SchedulePlan.known_on(date(2030, 1, 1), bound, [initial], [], [], None)
    later = plan.on(date(2030, 1, 1))
    assert [o.number for o in later] == [1, 2, 3, 4, 5, 6, 7]  # 7 is due in 2034
    assert later[0].status is ReportStatus.RECEIVED
    assert [o.status for o in later[1:]] == [ReportStatus.OVERDUE] * 5 + [ReportStatus.UPCOMING]
    earlier = plan.on(date(2009, 7, 1))
    assert [(o.number, o.status) for o in earlier] == [
        (1, ReportStatus.RECEIVED),
        (2, ReportStatus.DUE),  # due on the day itself: the next one is shown too
        (3, ReportStatus.UPCOMING),
    ]
    assert earlier == report_schedule(bound, [initial], [], date(2009, 7, 1))


def test_a_plan_kept_for_a_review_in_the_absence_of_a_report() -> None:
    bound = date(2003, 7, 1)
    absent = Review(1, 1, 20, date(2014, 4, 1), None, None, True)
    before = SchedulePlan.known_on(date(2014, 3, 31), bound, [], [absent], [], None)
    assert [o.status for o in before.on(date(2014, 3, 31))] == [
        ReportStatus.OVERDUE,
        ReportStatus.OVERDUE,
        ReportStatus.UPCOMING,  # report 3, due 2014-07-01
    ]
    after = SchedulePlan.known_on(date(2014, 4, 1), bound, [], [absent], [], None)
    for day in (date(2030, 1, 1), date(2014, 4, 1)):
        assert after.on(day) == report_schedule(bound, [], [], day, reviews=[absent])
    assert after.on(date(2014, 4, 1))[0].status is ReportStatus.REVIEWED_WITHOUT_REPORT


def test_the_kept_status_answers_as_a_fresh_one(bundled: Record) -> None:
    days = days_back_and_forth(300)
    # Every day the status can change on and the day before it, and each State's own entry
    # into force (a derived date the status shows but never compares with the day asked).
    for day in queries.status_days(bundled):
        days += [day - timedelta(days=1), day]
    for a in queries.assess_all(afresh(bundled), date(2026, 11, 25), False):
        if a.entry_into_force is not None:
            eif = a.entry_into_force.date
            days += [eif - timedelta(days=1), eif, eif + timedelta(days=1)]
    rng = random.Random(SEED)
    rng.shuffle(days)
    for day in days:
        assert queries.convention_status(bundled, day) == queries.convention_status(
            afresh(bundled), day
        ), day
    kept = [key for key in bundled.derived if isinstance(key, tuple) and key[0] == "status"]
    assert len(kept) <= len(queries.status_days(bundled)) + 1 < len(days)


def test_kept_lists_answer_as_fresh_ones_around_every_due_date(bundled: Record) -> None:
    """The overdue and upcoming lists change as a due date arrives and passes: on each due
    date, the day before and the day after, and around every reporting day, in any order."""
    days: set[date] = set()
    for asked in (date(2000, 1, 1), date(2015, 6, 30), date(2026, 11, 25), date(2040, 1, 1)):
        for a in queries.assess_acting(afresh(bundled), asked):
            for o in a.obligations():
                if o.due is not None:
                    days.update(o.due + timedelta(days=n) for n in (-1, 0, 1))
    for day in queries.reporting_days(bundled):
        days.update((day - timedelta(days=1), day))
    ordered = sorted(d for d in days if queries.EARLIEST_KEPT <= d <= queries.LATEST_KEPT)
    random.Random(SEED).shuffle(ordered)
    assert len(ordered) > 1000
    for day in ordered:
        fresh = afresh(bundled)
        assert queries.overdue_reports(bundled, day) == queries.overdue_reports(fresh, day), day
        assert queries.overdue_by_state(bundled, day) == queries.overdue_by_state(fresh, day)
        assert queries.overdue_reports(bundled, day, "GRULAC") == queries.overdue_reports(
            fresh, day, "GRULAC"
        )
        for within in (0, 1, 90, 1826):
            assert queries.upcoming_reports(bundled, day, within) == queries.upcoming_reports(
                fresh, day, within
            ), (day, within)


def test_a_record_read_for_one_answer_keeps_no_list(bundled: Record) -> None:
    """The command line's record answers once: no interval is set up for it."""
    record = afresh(bundled)
    queries.overdue_reports(record, date(2026, 11, 25))
    assert "reporting days" not in record.derived


def test_the_kept_lists_are_bounded(bundled: Record, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crawler asking every day keeps at most KEPT_LISTS lists; answers stay right."""
    monkeypatch.setattr(queries, "KEPT_LISTS", 5)
    record = dataclasses.replace(bundled, derived={})
    for day in days_back_and_forth(60):
        assert queries.overdue_reports(record, day) == queries.overdue_reports(afresh(bundled), day)
    assert len(queries.kept_lists(record)) == 5
