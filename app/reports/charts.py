"""Bar charts drawn on the server as SVG geometry (no scripts); the template only places shapes.

A count that is not shown (1 to 4, or hidden by complementary suppression) is never drawn as a
bar: it gets a short hatched marker of the same small height whatever it hides, with the words
beside it, and it plays no part in the scale. So the picture never shows more than the table
beside it, and a hidden count never looks like a real one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.reports.suppression import FEWER_THAN, SUPPRESSED, Count, is_small

WIDTH = 640
HEIGHT = 220
TOP, BOTTOM, LEFT = 20, 40, 10
MARKER = 12  # height of the "not shown" marker, in the chart's units
LABEL_CHAR = 6.6  # roughly the width of one character of an 11-unit label
WORDS_MIN_WIDTH = 11  # narrower markers carry their words in their tooltip only


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    title: str
    suppressed: bool
    words: str = ""  # printed on the chart above a suppressed marker


@dataclass(frozen=True)
class Chart:
    title: str
    series: tuple[str, ...]
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x centre, group label (thinned out to fit)
    step: str = "month"  # what one group is: "month" or "week", for the legend
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def has_suppressed(self) -> bool:
        return any(bar.suppressed for bar in self.bars)


def bar_chart(
    title: str,
    series: tuple[str, ...],
    groups: list[tuple[str, list[int]]],
    hidden: list[list[bool]] | None = None,
    *,
    step: str = "month",
) -> Chart:
    """Grouped bars: one group per label (a month or a week), one bar per series (sent,
    accepted). `hidden` (from complementary suppression) marks the counts not shown, whatever
    their value; by default only counts of 1-4 are."""
    word = SUPPRESSED if hidden is not None else FEWER_THAN
    if hidden is None:
        hidden = [[is_small(v) for v in values] for _, values in groups]
    shown = [
        v
        for g, (_, values) in enumerate(groups)
        for v, hide in zip(values, hidden[g], strict=True)
        if not hide
    ]
    top = max(shown, default=0) or 1
    plot_height = HEIGHT - TOP - BOTTOM
    group_width = (WIDTH - 2 * LEFT) / max(len(groups), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    bars: list[Bar] = []
    for g, (label, values) in enumerate(groups):
        x0 = LEFT + g * group_width + group_width * 0.1
        for s, value in enumerate(values):
            suppressed = hidden[g][s]
            h = MARKER if suppressed else plot_height * value / top
            width = round(max(bar_width - 2, bar_width * 0.6), 1)  # a gap, never < 0
            bars.append(
                Bar(
                    x=round(x0 + s * bar_width, 1),
                    y=round(HEIGHT - BOTTOM - h, 1),
                    width=width,
                    height=round(h, 1),
                    series=s,
                    title=f"{label}, {series[s]}: {word if suppressed else value}",
                    suppressed=suppressed,
                    words=word if suppressed and width >= WORDS_MIN_WIDTH else "",
                )
            )
    return Chart(title, series, bars, _labels(groups, group_width), step)


def _labels(groups: list[tuple[str, list[int]]], group_width: float) -> list[tuple[float, str]]:
    """Every group's label when they fit side by side, else every second, third...: never
    printed over each other (the table beside the chart has them all)."""
    longest = max((len(label) for label, _ in groups), default=0)
    every = max(1, math.ceil((longest * LABEL_CHAR + 4) / max(group_width, 1)))
    return [
        (LEFT + g * group_width + group_width / 2, label)
        for g, (label, _) in enumerate(groups)
        if g % every == 0
    ]


def protect_chart(chart: Chart, rows: list[tuple], hidden: set) -> Chart:
    """The chart again from its table's rows (label, Count, Count...), hiding what the
    protected table hides, so the picture never shows more than the table."""
    counts = [[c for c in row[1:] if isinstance(c, Count)] for row in rows]
    return bar_chart(
        chart.title,
        chart.series,
        [(row[0], [c.value for c in cs]) for row, cs in zip(rows, counts, strict=True)],
        hidden=[[c.key in hidden for c in cs] for cs in counts],
        step=chart.step,
    )
