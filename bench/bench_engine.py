"""The engine's as-at answers on the bundled record (with its reporting history), in process.

BENCH_DATES as-at dates drawn with a seeded RNG from 1991-01-01 to today (today included) are
the check dates: on each, every answer is compared with its floor. The timed dates are
BENCH_DATES x BENCH_SAMPLES other days of that range, shuffled, each asked once (as a server is
asked a date it was not asked before); the figure is the median over them. The record is
loaded once, as the API keeps it; loading it is timed apart.

The floors: the overdue list, the status of the Convention and a State's dossier computed here
again, from the same rows read with plain Core selects, over plain tuples (no dataclasses, no
enums) with nothing kept from one date to the next. Each is asserted equal to the product's
answer on every date (the dossier: of every State) before any timing, and the product's median
is printed as a ratio of it (target: at most 2). The product keeps, in the loaded record, what
depends on the date only through the facts dated by then (a State's report schedule, the
status, the overdue and upcoming lists, dated again for each day), as the API's record does
from one request to the next; the `nothing_kept` figures time it on a copy of the record that
keeps nothing, as the command line reads it for one answer: every call works everything out
afresh.
Prints JSON.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import json
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import astuple, replace
from pathlib import Path
from typing import Any

from machine import machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from obligations import models, queries
from obligations.db import make_engine, session_factory, transaction, upgrade_schema
from obligations.importing import load_bundled_record
from obligations.record import Record, load_record

DATES = int(os.environ.get("BENCH_DATES", "40"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "15"))
SEED = 20261125
FIRST_DAY = dt.date(1991, 1, 1)
TARGET_RATIO = 2.0

# --- the floor: plain tuples -----------------------------------------------------------

BINDING = {"ratification", "accession", "succession"}
COUNTED = {"ratification", "accession"}
ORDER = {
    "signature": 0, "succession_to_signature": 0, "ratification": 1, "accession": 1,
    "succession": 1, "declaration": 2, "withdrawal": 3, "denunciation": 4,
}  # fmt: skip


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def first_of_month_after(day: dt.date, months: int) -> dt.date:
    end = add_months(day, months)
    return dt.date(end.year + end.month // 12, end.month % 12 + 1, 1)


def given(day: dt.date, precision: str) -> dt.date | str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day


def decision_basis(kind: str, symbol: str | None, decided: dt.date) -> str:
    what = "Committee request (art. 73(1)(b))" if kind == "request_report" else "Committee decision"
    return f"{what}, {symbol}" if symbol else f"{what} of {decided.isoformat()}"


def floor_rows(session: Session) -> dict[str, Any]:
    """The same tables the product reads, as plain tuples grouped by State."""

    def rows(model: type[models.Base]) -> Any:
        return session.execute(select(*model.__table__.columns)).all()

    per: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for a in rows(models.DepositaryAction):
        per[a.state_code]["actions"].append(
            (a.date, ORDER[a.action], a.action, a.effective, a.articles, a.date_precision)
        )
    for r in rows(models.ReportReceived):
        per[r.state_code]["reports"].append((r.received, r.first_number, r.last_number))
    for v in rows(models.Review):
        per[v.state_code]["reviews"].append(
            (v.date, v.first_number, v.last_number, v.without_report)
        )
    # Everything that sets a due date: (decided, report, due, basis, precision).
    for d in rows(models.CommitteeDecision):
        per[d.state_code]["settings"].append(
            (d.decided, d.report_number, d.due, decision_basis(d.kind, d.symbol, d.decided),
             d.due_precision)
        )  # fmt: skip
    for lo in rows(models.ListOfIssuesPriorToReporting):
        if lo.deadline is not None:
            per[lo.state_code]["settings"].append(
                (lo.transmitted, lo.report_number, lo.deadline, lo.symbol, lo.deadline_precision)
            )
    for co in rows(models.ConcludingObservations):
        per[co.state_code]["observations"].append(
            (co.number, co.adopted, co.follow_up_due, co.follow_up_precision, co.symbol)
        )
        if co.next_first is None:
            continue
        for n in range(co.next_first, (co.next_last or co.next_first) + 1):
            if co.next_due is not None:
                setting = (co.adopted, n, co.next_due, co.symbol, co.next_due_precision)
            elif co.next_due_mode in ("review_calendar", "loipr"):
                basis = f"{co.symbol}: date to be set under the review calendar"
                setting = (co.adopted, n, None, basis, "day")
            else:
                continue
            per[co.state_code]["settings"].append(setting)
    for f in rows(models.FollowUpReceived):
        per[f.state_code]["follow_ups"].append((f.number, f.received))
    former: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for n in rows(models.StateName):
        former[n.state_code].append((n.used_until, n.name))
    states = {
        s.code: (s.name, s.regional_group, s.history_researched_until, sorted(former[s.code]))
        for s in rows(models.State)
    }
    for facts in per.values():
        facts["actions"].sort(key=lambda a: (a[0], a[1]))
        facts["settings"].sort(key=lambda s: s[0])  # stable: an amendment after what it amends
        facts["observations"].sort()
    deposits = sorted(a[0] for facts in per.values() for a in facts["actions"] if a[2] in COUNTED)
    notes = {s.code: s.history_note for s in rows(models.State)}
    return {"states": states, "per": per, "deposits": deposits, "notes": notes}


def floor_overdue(rows: dict[str, Any], as_of: dt.date) -> list[tuple[Any, ...]]:
    """Art. 73 and the Committee's practice, as the product's rules, in one plain loop."""
    deposits = rows["deposits"]
    counted = bisect.bisect_right(deposits, as_of)
    general = first_of_month_after(deposits[19], 3) if counted >= 20 else None
    items = []
    for code, facts in rows["per"].items():
        instrument = denunciation = former = ended = None
        for action in facts["actions"]:
            if action[0] > as_of:
                break
            # Art. 89: a denunciation in effect ends party status before the next action.
            if denunciation is not None and first_of_month_after(denunciation, 12) <= action[0]:
                former, ended = instrument, first_of_month_after(denunciation, 12)
                instrument = denunciation = None
            if action[2] in BINDING:
                instrument = action
            elif action[2] == "denunciation":
                denunciation = action[0]
        obligations_end = ended if instrument is None else None
        if denunciation is not None:
            obligations_end = first_of_month_after(denunciation, 12)
            if obligations_end <= as_of:
                former, instrument = instrument, None
        bound = instrument or former
        if bound is None or general is None:
            continue
        if bound[2] == "succession":
            own = bound[3] or bound[0]
            eif = own if own >= general else general
        else:
            own = first_of_month_after(bound[0], 3)
            eif = own if own > general else general
        name, region, researched, former_names = rows["states"][code]
        verified = researched is not None and as_of <= researched
        label = next((n for until, n in former_names if as_of < until), name)
        received = [r for r in facts["reports"] if r[0] <= as_of]
        reviews = [r for r in facts["reviews"] if r[0] <= as_of]
        fixed = {s[1]: s for s in facts["settings"] if s[0] <= as_of}
        last = max(
            max((r[2] for r in received), default=0), max((r[2] for r in reviews), default=0)
        )
        previous: dt.date | None = None
        previous_precision = "day"
        number = 1
        while True:
            setting = fixed.get(number)
            precision = "day"
            if setting is not None:
                due, basis, precision = setting[2], setting[3], setting[4]
            elif number == 1:
                due, basis = add_months(eif, 12), "art. 73(1)(a)"
            elif previous is None:
                due, basis = None, ""
            else:
                due, basis, precision = (
                    add_months(previous, 60),
                    "art. 73(1)(b)",
                    previous_precision,
                )
            if obligations_end is not None and due is not None and due >= obligations_end:
                break
            settled = any(r[1] <= number <= r[2] for r in received) or any(
                r[1] <= number <= r[2] for r in reviews
            )
            if due is None and not settled:
                break
            if not settled and due is not None and due < as_of:
                items.append(
                    (code, label, number, "initial" if number == 1 else "periodic",
                     given(due, precision), (as_of - due).days, basis,
                     due + dt.timedelta(days=1), region, verified)
                )  # fmt: skip
            if due is not None and due > as_of and number >= last and not settled:
                break
            previous, previous_precision = due, precision
            number += 1
        answered = {n for n, received_on in facts["follow_ups"] if received_on <= as_of}
        for number, adopted, due, precision, symbol in facts["observations"]:
            if adopted <= as_of and due is not None and number not in answered and due < as_of:
                items.append(
                    (code, label, number, "follow_up", given(due, precision), (as_of - due).days,
                     symbol, due + dt.timedelta(days=1), region, verified)
                )  # fmt: skip
    items.sort(key=lambda i: (-i[5], i[1], i[2], i[3]))
    return items


# What the status floor below knows: the kinds of action the bundled record holds (checked).
STATUS_FLOOR_KINDS = {"signature", "succession_to_signature", "ratification", "accession",
                      "declaration"}  # fmt: skip
DECLARATIONS_NEEDED = 10


def floor_status(rows: dict[str, Any], as_of: dt.date) -> tuple[Any, ...]:
    """The status of the Convention (arts. 76, 77, 87) in one plain loop over the actions."""
    deposits = rows["deposits"]
    counted = bisect.bisect_right(deposits, as_of)
    general = first_of_month_after(deposits[19], 3) if counted >= 20 else None
    parties, signatories = [], []
    declared: dict[str, list[tuple[dt.date, str]]] = {"76": [], "77": []}
    for code in sorted(rows["per"]):
        name, _region, _researched, former_names = rows["states"][code]
        label = next((n for until, n in former_names if as_of < until), name)
        instrument = signature = None
        for action in rows["per"][code]["actions"]:
            if action[0] > as_of:
                break
            if action[2] in BINDING:
                instrument = action
            elif action[2] in ("signature", "succession_to_signature"):
                signature = action
            else:  # a declaration
                for article in action[4].split(";"):
                    declared[article].append((action[0], code))
        if instrument is not None:
            eif = None
            if general is not None:
                own = first_of_month_after(instrument[0], 3)
                eif = own if own > general else general
            parties.append((code, label, instrument[2], given(instrument[0], instrument[5]), eif))
        elif signature is not None:
            signatories.append((code, label, signature[0]))
    procedures = {}
    for article, declarations in declared.items():
        declarations.sort()
        in_force = len(declarations) >= DECLARATIONS_NEEDED
        states = sorted({c for _, c in declarations})
        needed = 0 if in_force else DECLARATIONS_NEEDED - len(states)
        procedures[article] = (states, len(states), in_force, needed)
    return (
        general,
        general is not None and general <= as_of,
        max(0, 20 - counted),
        sorted(parties, key=lambda p: p[1]),
        sorted(signatories, key=lambda s: s[1]),
        procedures,
    )


def given_or_none(day: dt.date | None, precision: str) -> dt.date | str | None:
    return None if day is None else given(day, precision)


def full_rows(session: Session) -> dict[str, dict[str, list[Any]]]:
    """Every column of the reporting tables, as plain rows grouped by State."""
    tables = {
        "reports": models.ReportReceived, "reviews": models.Review,
        "loiprs": models.ListOfIssuesPriorToReporting, "lists": models.ListOfIssues,
        "observations": models.ConcludingObservations, "follow_ups": models.FollowUpReceived,
        "actions": models.DepositaryAction,
    }  # fmt: skip
    per: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for name, model in tables.items():
        for row in session.execute(select(*model.__table__.columns)):
            per[row.state_code][name].append(row)
    return per


def floor_dossier(rows: dict[str, Any], full: dict[str, Any], code: str, as_of: dt.date) -> Any:
    """One State's dossier (standing, reports, the Committee's documents) in plain loops."""
    deposits = rows["deposits"]
    counted = bisect.bisect_right(deposits, as_of)
    general = first_of_month_after(deposits[19], 3) if counted >= 20 else None
    name, _region, researched, former_names = rows["states"][code]
    label = next((n for until, n in former_names if as_of < until), name)
    facts, mine = rows["per"][code], full[code]
    actions = sorted((a for a in mine["actions"] if a.date <= as_of),
                     key=lambda a: (a.date, ORDER[a.action]))  # fmt: skip
    instrument = None
    declared: dict[str, Any] = {}
    for a in actions:
        if a.action in BINDING:
            instrument = a
        elif a.action == "declaration":
            for article in a.articles.split(";"):
                declared[article] = (True, a.date, None, a.source)
    eif = basis = None
    if instrument is not None and general is not None:
        own = first_of_month_after(instrument.date, 3)
        eif, basis = (own, "art. 87(2)") if own > general else (general, "art. 87(1)")
    settled_ok = researched is not None
    open_ok = researched is not None and as_of <= researched
    reports: list[Any] = []
    follow: list[Any] = []
    if eif is not None:
        received = sorted((r for r in mine["reports"] if r.received <= as_of),
                          key=lambda r: r.received)  # fmt: skip
        reviews = [v for v in mine["reviews"] if v.date <= as_of]
        discharge: dict[int, Any] = {}
        for fact in [*received, *(v for v in reviews if not v.without_report),
                     *(v for v in reviews if v.without_report)]:  # fmt: skip
            for n in range(fact.first_number, fact.last_number + 1):
                discharge.setdefault(n, fact)
        fixed = {s[1]: s for s in facts["settings"] if s[0] <= as_of}
        last = max((f.last_number for f in [*received, *reviews]), default=0)
        previous: dt.date | None = None
        previous_precision, number = "day", 1
        while True:
            setting, precision = fixed.get(number), "day"
            if setting is not None:
                due, why, precision = setting[2], setting[3], setting[4]
            elif number == 1:
                due, why = add_months(eif, 12), "art. 73(1)(a)"
            elif previous is None:
                due, why = None, "follows a report whose date is to be set"
            else:
                due, why, precision = add_months(previous, 60), "art. 73(1)(b)", previous_precision
            kind = "initial" if number == 1 else "periodic"
            shown = given_or_none(due, precision)
            fact = discharge.get(number)
            if fact is not None and hasattr(fact, "received"):
                reports.append((number, kind, shown, why, "received",
                                given(fact.received, fact.received_precision), fact.symbol,
                                settled_ok, fact.source, fact.out_of_sequence))  # fmt: skip
            elif fact is not None and not fact.without_report:
                reports.append((number, kind, shown, why, "received", None, None, settled_ok,
                                None, fact.out_of_sequence))  # fmt: skip
            elif fact is not None:
                reports.append((number, kind, shown, why, "reviewed_without_report", None, None,
                                settled_ok, None, None))  # fmt: skip
            else:
                status = ("date_to_be_set" if due is None else "overdue" if as_of > due
                          else "due" if due == as_of else "upcoming")  # fmt: skip
                reports.append((number, kind, shown, why, status, None, None, open_ok, None, None))
                if due is None or (due > as_of and number >= last):
                    break
            previous, previous_precision = due, precision
            number += 1
        answers = {f.number: f for f in mine["follow_ups"] if f.received <= as_of}
        for co in sorted(mine["observations"], key=lambda o: o.number):
            answer = answers.get(co.number)
            if co.adopted > as_of or (co.follow_up_due is None and answer is None):
                continue
            due_shown = given_or_none(co.follow_up_due, co.follow_up_precision)
            if answer is not None:
                follow.append((co.number, "follow_up", due_shown, co.symbol, "received",
                               given(answer.received, answer.received_precision), answer.symbol,
                               settled_ok, answer.source, None))  # fmt: skip
            else:
                due = co.follow_up_due
                status = "overdue" if as_of > due else "due" if due == as_of else "upcoming"
                follow.append((co.number, "follow_up", due_shown, co.symbol, status, None, None,
                               open_ok, None, None))  # fmt: skip
    kept = dt.date(9999, 12, 31)
    return (
        code, label, instrument is not None, eif, basis,
        [(a.action, given(a.date, a.date_precision),
          sorted(int(x) for x in a.articles.split(";") if x), a.source) for a in actions],
        reports,
        {article: declared.get(article, (False, None, None, None)) for article in ("76", "77")},
        follow,
        [(list(range(v.first_number, v.last_number + 1)), v.session, v.date, v.end_date,
          v.without_report, v.symbol, v.source, v.out_of_sequence)
         for v in sorted((v for v in mine["reviews"] if v.date <= as_of), key=lambda v: v.date)],
        [(x.report_number, x.symbol, given_or_none(x.transmitted, x.transmitted_precision),
          given_or_none(x.deadline, x.deadline_precision), x.source)
         for x in sorted((x for x in mine["loiprs"] if x.transmitted <= as_of),
                         key=lambda x: x.report_number)],
        [(x.report_number, x.symbol, given_or_none(x.issued, x.issued_precision),
          given_or_none(x.replies_received if x.replies_received and x.replies_received <= as_of
                        else None, x.replies_precision),
          x.replies_symbol if x.replies_received and x.replies_received <= as_of else None,
          x.source)
         for x in sorted((x for x in mine["lists"] if x.issued <= as_of), key=lambda x: x.issued)],
        [(x.number, x.symbol, given_or_none(x.adopted, x.adopted_precision), x.session,
          list(range(x.next_first, (x.next_last or x.next_first) + 1)) if x.next_first else None,
          given_or_none(x.next_due, x.next_due_precision), x.next_due_mode,
          given_or_none(x.follow_up_due, x.follow_up_precision), x.source)
         for x in sorted((x for x in mine["observations"] if x.adopted <= as_of),
                         key=lambda x: x.number)],
        (researched is not None, None if researched == kept else researched, researched == kept,
         rows["notes"][code]),
        None,
    )  # fmt: skip


def status_tuples(view: queries.StatusView) -> tuple[Any, ...]:
    return (
        view.entry_into_force,
        view.in_force,
        view.instruments_needed,
        [(p.code, p.name, p.instrument, p.deposited, p.entry_into_force) for p in view.parties],
        [(s.code, s.name, s.signed) for s in view.signatories],
        {k: (v.states, v.count, v.in_force, v.needed) for k, v in view.declarations.items()},
    )


def product_tuples(view: queries.OverdueView) -> list[tuple[Any, ...]]:
    return [
        (i.code, i.name, i.number, i.kind, i.due, i.days_overdue, i.basis, i.overdue_from,
         i.region, i.verified)
        for i in view.items
    ]  # fmt: skip


# --- timing ------------------------------------------------------------------------------


def afresh(record: Record) -> Record:
    """The same facts with nothing kept, as the command line reads them for one answer."""
    return replace(record, derived={}, answers_many=False)


def median_ms(work: Callable[[dt.date], Any], days: list[dt.date]) -> float:
    """Each day timed once, in the order given: a date not asked before, as a server is asked
    (the record keeps what it keeps from one call to the next)."""
    samples = []
    for day in days:
        start = time.perf_counter()
        work(day)
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 4)


def main() -> None:
    today = dt.datetime.now(dt.UTC).date()
    rng = random.Random(SEED)
    span = (today - FIRST_DAY).days
    days = sorted({FIRST_DAY + dt.timedelta(days=rng.randrange(span)) for _ in range(DATES - 1)})
    days.append(today)
    # The timed dates: DATES x SAMPLES other days of the same range, each asked once, shuffled.
    timed = sorted(
        {FIRST_DAY + dt.timedelta(days=rng.randrange(span)) for _ in range(DATES * SAMPLES)}
        - set(days)
    )
    rng.shuffle(timed)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade_schema(engine)
        factory = session_factory(engine)
        with transaction(factory) as session:
            load_bundled_record(session)
        with factory() as session:
            record = load_record(session)
            record.answers_many = True  # as the API's record (obligations.record_cache)
            rows = floor_rows(session)
            full = full_rows(session)
            load_ms = median_ms(lambda _day: load_record(session), days[:9])
        engine.dispose()
    history = sum(len(v) for v in record.reports.values()) + sum(
        len(v) for v in record.reviews.values()
    )
    kinds = {a[2] for facts in rows["per"].values() for a in facts["actions"]}
    assert kinds <= STATUS_FLOOR_KINDS, f"no status floor for {kinds - STATUS_FLOOR_KINDS}"
    overdue_items = 0
    for day in days:
        expected = product_tuples(queries.overdue_reports(record, day))
        assert floor_overdue(rows, day) == expected, f"the overdue floor differs as at {day}"
        overdue_items += len(expected)
        status = status_tuples(queries.convention_status(record, day))
        assert floor_status(rows, day) == status, f"the status floor differs as at {day}"
    codes = sorted(record.actions)
    for day in days:
        for code in codes:
            dossier = astuple(queries.state_dossier(record, code, day))
            assert floor_dossier(rows, full, code, day) == dossier, f"{code} differs as at {day}"
    medians = {
        "overdue_ms": median_ms(lambda d: queries.overdue_reports(record, d), timed),
        "overdue_floor_ms": median_ms(lambda d: floor_overdue(rows, d), timed),
        "overdue_nothing_kept_ms": median_ms(
            lambda d: queries.overdue_reports(afresh(record), d), timed
        ),
        "status_ms": median_ms(lambda d: queries.convention_status(record, d), timed),
        "status_floor_ms": median_ms(lambda d: floor_status(rows, d), timed),
        "status_nothing_kept_ms": median_ms(
            lambda d: queries.convention_status(afresh(record), d), timed
        ),
        "upcoming_ms": median_ms(lambda d: queries.upcoming_reports(record, d), timed),
        "state_dossier_ms": median_ms(
            lambda d: queries.state_dossier(record, codes[d.toordinal() % len(codes)], d), timed
        ),
        "state_dossier_floor_ms": median_ms(
            lambda d: floor_dossier(rows, full, codes[d.toordinal() % len(codes)], d), timed
        ),
        "state_dossier_nothing_kept_ms": median_ms(
            lambda d: queries.state_dossier(afresh(record), codes[d.toordinal() % len(codes)], d),
            timed,
        ),
        "load_record_ms": load_ms,
    }
    # The answers timed above, kept and dated again, equal the floors too.
    for day in timed:
        assert floor_overdue(rows, day) == product_tuples(queries.overdue_reports(record, day))
        assert floor_status(rows, day) == status_tuples(queries.convention_status(record, day))
    ratios = {
        "overdue": round(medians["overdue_ms"] / medians["overdue_floor_ms"], 2),
        "status": round(medians["status_ms"] / medians["status_floor_ms"], 2),
        "state_dossier": round(medians["state_dossier_ms"] / medians["state_dossier_floor_ms"], 2),
    }
    nothing_kept = {
        "overdue": round(medians["overdue_nothing_kept_ms"] / medians["overdue_floor_ms"], 2),
        "status": round(medians["status_nothing_kept_ms"] / medians["status_floor_ms"], 2),
        "state_dossier": round(
            medians["state_dossier_nothing_kept_ms"] / medians["state_dossier_floor_ms"], 2
        ),
    }
    print(
        json.dumps(
            {
                "benchmark": "engine",
                "machine": machine(),
                "load_average": os.getloadavg(),
                "record": "bundled ICRMW",
                "reports_and_reviews_on_record": history,
                "as_of_dates": len(days),
                "first_and_last_date": [days[0].isoformat(), days[-1].isoformat()],
                "overdue_items_over_all_dates": overdue_items,
                "samples_per_date": SAMPLES,
                "seed": SEED,
                "median": medians,
                "floors_equal_to_product_on_every_date": True,
                "ratio_to_floor": ratios,
                "ratio_to_floor_with_nothing_kept": nothing_kept,
                "target_ratio": TARGET_RATIO,
                "within_target": all(r <= TARGET_RATIO for r in ratios.values()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
