"""The progress chart on a true time axis: a month with no change takes its width as any
other, and both axes carry a labelled scale. Drawn as SVG on the server (no script)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 1000, 280
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 20, 50
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_TICKS = 5


@dataclass(frozen=True)
class Tick:
    position: float
    value: date | int
    yearly: bool = False  # a time tick labelled by its year alone


@dataclass(frozen=True)
class TimeChart:
    path: str  # the step line: a count holds until the next month with a change
    points: list[tuple[float, float]]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def dots(self) -> str:
        """Every point as one path of zero-length lines, each drawn as a dot by its round
        cap (the `progress-points` style): a chart of years of months in a few bytes a point
        rather than a circle element each."""
        return " ".join(f"M {x} {y} h 0" for x, y in self.points)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _nice_step(top: int) -> int:
    """1, 2 or 5 times a power of ten, so that at most MAX_TICKS steps reach `top`."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if top / step <= MAX_TICKS:
                return step
        magnitude *= 10


def progress_chart(points: list, over: list | None = None) -> TimeChart | None:
    """`points`: (month, count) pairs in time order, as matrix.ProgressPoint; `over`: the
    points whose months the time axis spans (another chart's, so that the two compare)."""
    if not points:
        return None
    spanned = over or points
    start, end = spanned[0].month, _next_month(spanned[-1].month)
    span = (end - start).days

    def x(day: date) -> float:
        return round(LEFT + PLOT_WIDTH * (day - start).days / span, 1)

    step = _nice_step(max(max(p.adopted for p in points), 1))
    top = step * -(-max(max(p.adopted for p in points), 1) // step)

    def y(value: int) -> float:
        return round(TOP + PLOT_HEIGHT * (1 - value / top), 1)

    placed = [(x(p.month), y(p.adopted)) for p in points]
    path = f"M {placed[0][0]} {y(0)} V {placed[0][1]}"
    for px, py in placed[1:]:
        path += f" H {px} V {py}"
    path += f" H {x(end)}"
    return TimeChart(
        path=path,
        points=placed,
        x_ticks=_time_ticks(start, end, x),
        y_ticks=[Tick(y(value), value) for value in range(0, top + 1, step)],
    )


def _time_ticks(start: date, end: date, x) -> list[Tick]:
    """Each year's first of January over more than two years, else every month (or every
    second or third, so that labels do not collide)."""
    if (end - start).days > 2 * 366:
        years = range(start.year + (start.month > 1), end.year + 1)
        every = max(1, -(-len(years) // 8))
        return [Tick(x(date(year, 1, 1)), date(year, 1, 1), yearly=True) for year in years][::every]
    months = []
    day = start
    while day <= end:
        months.append(day)
        day = _next_month(day)
    every = max(1, -(-len(months) // 8))
    return [Tick(x(day), day) for day in months[::every]]


SPARK_WIDTH, SPARK_HEIGHT, SPARK_MARGIN = 120, 36, 5


@dataclass(frozen=True)
class Sparkline:
    """A city's figure year by year, small enough to sit in its table row; the row gives
    the same figures in text. A year with no data breaks the line: it is not a zero."""

    segments: list[str]  # one path per run of years with data
    points: list[tuple[float, float]]
    baseline: float
    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT


def sparkline(values: list[float | None], top: float) -> Sparkline | None:
    """`values`: one per year, None for no data; `top`: the scale's top, shared by the rows
    compared so that their charts compare too."""
    if all(value is None for value in values):
        return None
    step = (SPARK_WIDTH - 2 * SPARK_MARGIN) / max(len(values) - 1, 1)
    plot = SPARK_HEIGHT - 2 * SPARK_MARGIN

    def y(value: float) -> float:
        return round(SPARK_MARGIN + plot * (1 - value / top) if top else SPARK_MARGIN + plot, 1)

    segments: list[str] = []
    points: list[tuple[float, float]] = []
    run: list[tuple[float, float]] = []
    for index, value in enumerate([*values, None]):
        if value is None:
            if len(run) > 1:
                segments.append("M " + " L ".join(f"{px} {py}" for px, py in run))
            run = []
            continue
        point = (round(SPARK_MARGIN + step * index, 1), y(value))
        run.append(point)
        points.append(point)
    return Sparkline(segments, points, y(0))
