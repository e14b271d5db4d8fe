"""The dashboard's picture: States parties over time, drawn as SVG on the server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

    @property
    def label(self) -> str:
        return f"{long_date(self.day)}: {self.count} State{'' if self.count == 1 else 's'} parties"


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
    counts: list[tuple[date, int]], entry_into_force: date | None, as_of: date
) -> PartiesChart:
    """`counts`: the number of States parties on each date sampled (ascending)."""
    start = OPENED_FOR_SIGNATURE
    span = max((as_of - start).days, 1)
    highest = max([INSTRUMENTS_FOR_ENTRY_INTO_FORCE, *(n for _, n in counts)])
    top_value = (highest // 10 + 1) * 10
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + plot_w * (day - start).days / span, 1)

    def y(value: int) -> float:
        return round(TOP + plot_h * (1 - value / top_value), 1)

    points = [Point(x(day), y(n), day, n) for day, n in counts]
    line = " ".join(f"{p.x},{p.y}" for p in points)
    step = 5 if as_of.year - start.year > 12 else 2 if as_of.year - start.year > 4 else 1
    years = range((start.year // step + 1) * step, as_of.year + 1, step)
    x_ticks = [Tick(x(date(year, 1, 1)), str(year)) for year in years]
    y_ticks = [Tick(y(v), str(v)) for v in range(0, top_value + 1, 10)]
    eif = None
    if entry_into_force is not None and entry_into_force <= as_of:
        eif = Tick(x(entry_into_force), f"in force {long_date(entry_into_force)}")
    latest = counts[-1][1] if counts else 0
    summary = (
        f"States parties from {start.year} to {long_date(as_of)}: "
        f"{latest} on {long_date(as_of)}; the Convention needed "
        f"{INSTRUMENTS_FOR_ENTRY_INTO_FORCE} instruments to enter into force"
        + (f" and did so on {long_date(entry_into_force)}." if eif and entry_into_force else ".")
    )
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
