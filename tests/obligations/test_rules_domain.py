"""Every worked example of DOMAIN.md, on the pure rules."""

from __future__ import annotations

from datetime import date

import pytest

from obligations.rules.committee import committee_members, enlargement_date
from obligations.rules.declarations import procedure_status
from obligations.rules.entry_into_force import (
    general_entry_into_force,
    own_entry_into_force,
    state_entry_into_force,
)
from obligations.rules.facts import Action, ActionKind, Decision, ReportReceived
from obligations.rules.names import FormerName, name_on
from obligations.rules.reporting import ReportStatus, report_schedule
from obligations.rules.standing import denunciation_takes_effect, replay
from tests.obligations.bundled import bundled_actions

D = date.fromisoformat


@pytest.mark.parametrize(
    ("deposit", "in_force"),
    [
        ("2007-06-05", "2007-10-01"),
        ("2017-03-31", "2017-07-01"),
        ("2023-11-30", "2024-03-01"),
        ("2025-12-01", "2026-04-01"),  # 90 days would wrongly give 2026-03-01
    ],
)
def test_article_87_2_examples(deposit: str, in_force: str) -> None:
    assert own_entry_into_force(D(deposit)) == D(in_force)


def test_general_entry_into_force_is_derived_from_the_bundled_record() -> None:
    general = general_entry_into_force(bundled_actions(), D("2026-11-24"))
    assert general.twentieth_deposited == D("2003-03-14")
    assert general.date == D("2003-07-01")
    assert general.instruments_needed == 0


def test_before_the_twentieth_instrument_the_convention_is_not_in_force() -> None:
    general = general_entry_into_force(bundled_actions(), D("2003-03-13"))
    assert general.date is None
    assert general.instruments == 19
    assert general.instruments_needed == 1
    # El Salvador and Guatemala both deposited on 14 March: twenty-one instruments that day.
    on_the_day = general_entry_into_force(bundled_actions(), D("2003-03-14"))
    assert on_the_day.date == D("2003-07-01")
    assert not on_the_day.in_force_on(D("2003-06-30"))
    assert on_the_day.in_force_on(D("2003-07-01"))


def _bound(code: str) -> tuple[date, str]:
    actions = bundled_actions()
    general = general_entry_into_force(actions, D("2026-11-24"))
    instrument = replay([a for a in actions if a.state == code]).instrument
    assert instrument is not None
    eif = state_entry_into_force(instrument, general)
    assert eif is not None
    return eif.date, eif.basis


def test_states_that_deposited_early_are_bound_from_the_general_date() -> None:
    assert _bound("EGY") == (D("2003-07-01"), "art. 87(1)")  # deposited 1993
    assert _bound("GTM") == (D("2003-07-01"), "art. 87(1)")
    assert _bound("SLV") == (D("2003-07-01"), "art. 87(1)")


def test_a_state_depositing_after_the_twentieth_but_before_the_general_date() -> None:
    # Mali acceded on 5 June 2003: its own date (1 Oct 2003) is later than 1 Jul 2003.
    assert _bound("MLI") == (D("2003-10-01"), "art. 87(2)")


def test_guatemala_worked_example() -> None:
    bound = _bound("GTM")[0]
    initial = ReportReceived(1, 1, D("2010-08-04"), "CMW/C/GTM/1")
    on_due = report_schedule(bound, [], [], D("2004-07-01"))
    assert on_due[0].due == D("2004-07-01")
    assert on_due[0].basis == "art. 73(1)(a)"
    assert on_due[0].status is ReportStatus.DUE
    day_after = report_schedule(bound, [], [], D("2004-07-02"))
    assert day_after[0].status is ReportStatus.OVERDUE
    before_receipt = report_schedule(bound, [initial], [], D("2010-08-03"))
    assert before_receipt[0].status is ReportStatus.OVERDUE
    received = report_schedule(bound, [initial], [], D("2010-08-04"))
    assert received[0].status is ReportStatus.RECEIVED
    assert received[0].symbol == "CMW/C/GTM/1"
    # The second report follows five years after the first's due date unless fixed.
    assert received[1].due == D("2009-07-01")
    assert received[1].basis == "art. 73(1)(b)"
    assert received[1].status is ReportStatus.OVERDUE


def test_a_committee_fixed_date_wins_and_later_defaults_count_from_it() -> None:
    decision = Decision(2, D("2016-10-01"), D("2011-09-23"), symbol="CMW/C/GTM/CO/1")
    schedule = report_schedule(D("2003-07-01"), [], [decision], D("2022-01-01"))
    assert [r.due for r in schedule] == [
        D("2004-07-01"),
        D("2016-10-01"),
        D("2021-10-01"),
        D("2026-10-01"),
    ]
    assert schedule[1].basis == "Committee decision, CMW/C/GTM/CO/1"
    # Before the decision was taken, the default date stood.
    earlier = report_schedule(D("2003-07-01"), [], [decision], D("2010-01-01"))
    assert earlier[1].due == D("2009-07-01")


def test_a_combined_report_discharges_every_number_it_covers() -> None:
    combined = ReportReceived(1, 3, D("2015-02-01"), "CMW/C/XXX/1-3")
    schedule = report_schedule(D("2003-07-01"), [combined], [], D("2015-02-01"))
    assert [r.status for r in schedule[:3]] == [ReportStatus.RECEIVED] * 3
    assert schedule[3].number == 4
    assert schedule[3].status is ReportStatus.UPCOMING


def test_an_early_combined_report_lists_the_numbers_it_covers() -> None:
    combined = ReportReceived(1, 2, D("2004-05-01"))
    schedule = report_schedule(D("2003-07-01"), [combined], [], D("2004-06-01"))
    assert [(r.number, r.status) for r in schedule] == [
        (1, ReportStatus.RECEIVED),
        (2, ReportStatus.RECEIVED),
        (3, ReportStatus.UPCOMING),
    ]


def test_denunciation_takes_effect_twelve_months_on_and_ends_new_obligations() -> None:
    assert denunciation_takes_effect(D("2020-01-15")) == D("2021-02-01")
    schedule = report_schedule(D("2003-07-01"), [], [], D("2030-01-01"), D("2014-01-01"))
    assert [r.due for r in schedule] == [D("2004-07-01"), D("2009-07-01")]
    assert all(r.status is ReportStatus.OVERDUE for r in schedule)


def test_state_names_change_over_time() -> None:
    former = [FormerName("Turkey", D("2022-06-01"))]
    assert name_on("Türkiye", former, D("2022-05-31")) == "Turkey"
    assert name_on("Türkiye", former, D("2022-06-01")) == "Türkiye"


def _declaration(code: str, day: str, articles: tuple[int, ...] = (77,)) -> list[Action]:
    return [
        Action(code, ActionKind.ACCESSION, D("2000-01-01")),
        Action(code, ActionKind.DECLARATION, D(day), articles),
    ]


def test_a_procedure_comes_into_force_with_the_tenth_declaration_and_stays() -> None:
    spells = []
    for i in range(10):
        spells += replay(_declaration(f"S{i:02d}", f"2010-01-{i + 1:02d}")).spells
    nine = procedure_status(77, spells, D("2010-01-09"))
    assert (nine.count, nine.in_force, nine.needed) == (9, False, 1)
    ten = procedure_status(77, spells, D("2010-01-10"))
    assert ten.in_force and ten.in_force_since == D("2010-01-10") and ten.needed == 0
    withdrawn = replay(
        _declaration("S00", "2010-01-01")
        + [Action("S00", ActionKind.WITHDRAWAL, D("2011-01-01"), (77,))]
    ).spells
    after = procedure_status(77, withdrawn + spells[1:], D("2012-01-01"))
    assert after.count == 9 and after.in_force and after.needed == 0
    assert procedure_status(76, spells, D("2012-01-01")).count == 0


def test_the_committee_grows_to_fourteen_after_the_forty_first_party() -> None:
    dates = [D("2003-07-01")] * 40 + [D("2005-01-01"), D("2006-01-01")]
    assert enlargement_date(dates) == D("2005-01-01")
    assert committee_members(D("2005-01-01"), D("2004-12-31")) == 10
    assert committee_members(D("2005-01-01"), D("2005-01-01")) == 14
    assert enlargement_date(dates[:40]) is None
