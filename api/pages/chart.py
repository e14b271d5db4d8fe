"""The dashboard's picture: States parties over time, drawn as SVG on the server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from obligations.i18n import translations
from obligations.rules.dates import OPENED_FOR_SIGNATURE
from obligations.rules.entry_into_force import INSTRUMENTS_FOR_ENTRY_INTO_FORCE
from obligations.wording import long_date

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 34


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    count: int
    label: str


@dataclass(frozen=True)
class PartiesChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    line: str
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    threshold_y: float
    entry_into_force: Tick | None
    summary: str


def parties_chart(
    counts: list[tuple[date, int]], entry_into_force: date | None, as_of: date, language: str = "en"
) -> PartiesChart:
    """`counts`: the number of States parties on each date sampled (ascending)."""
    gettext, ngettext = translations(language).gettext, translations(language).ngettext

    def label(day: date, count: int) -> str:
        text = ngettext(
            "%(date)s: %(count)s State party", "%(date)s: %(count)s States parties", count
        )
        return text % {"date": long_date(day, language), "count": count}

    start = OPENED_FOR_SIGNATURE
    span = max((as_of - start).days, 1)
    highest = max([INSTRUMENTS_FOR_ENTRY_INTO_FORCE, *(n for _, n in counts)])
    top_value = (highest // 10 + 1) * 10
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + plot_w * (day - start).days / span, 1)

    def y(value: int) -> float:
        return round(TOP + plot_h * (1 - value / top_value), 1)

    points = [Point(x(day), y(n), day, n, label(day, n)) for day, n in counts]
    line = " ".join(f"{p.x},{p.y}" for p in points)
    step = 5 if as_of.year - start.year > 12 else 2 if as_of.year - start.year > 4 else 1
    years = range((start.year // step + 1) * step, as_of.year + 1, step)
    x_ticks = [Tick(x(date(year, 1, 1)), str(year)) for year in years]
    y_ticks = [Tick(y(v), str(v)) for v in range(0, top_value + 1, 10)]
    eif = None
    if entry_into_force is not None and entry_into_force <= as_of:
        in_force = gettext("in force %(date)s") % {"date": long_date(entry_into_force, language)}
        eif = Tick(x(entry_into_force), in_force)
    values = {
        "start": start.year,
        "as_of": long_date(as_of, language),
        "latest": counts[-1][1] if counts else 0,
        "needed": INSTRUMENTS_FOR_ENTRY_INTO_FORCE,
    }
    if eif and entry_into_force:
        values["entry"] = long_date(entry_into_force, language)
        summary = gettext(
            "States parties from %(start)s to %(as_of)s: %(latest)s on %(as_of)s; the Convention "
            "needed %(needed)s instruments to enter into force and did so on %(entry)s."
        )
    else:
        summary = gettext(
            "States parties from %(start)s to %(as_of)s: %(latest)s on %(as_of)s; the Convention "
            "needed %(needed)s instruments to enter into force."
        )
    summary %= values
    return PartiesChart(
        WIDTH,
        HEIGHT,
        LEFT,
        WIDTH - RIGHT,
        TOP,
        HEIGHT - BOTTOM,
        line,
        points,
        x_ticks,
        y_ticks,
        y(INSTRUMENTS_FOR_ENTRY_INTO_FORCE),
        eif,
        summary,
    )
