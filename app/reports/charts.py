"""Bar charts drawn on the server as SVG geometry (no scripts); the template only places shapes.

Counts from 1 to 4 are drawn at the height of 5 with a dashed outline and labelled
"fewer than 5", so the picture never shows more than the table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.reports.suppression import FEWER_THAN, SUPPRESSED, THRESHOLD, Count, is_small

WIDTH = 640
HEIGHT = 220
TOP, BOTTOM, LEFT = 20, 40, 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    title: str
    suppressed: bool


@dataclass(frozen=True)
class Chart:
    title: str
    series: tuple[str, ...]
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x centre, group label
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def bar_chart(
    title: str,
    series: tuple[str, ...],
    groups: list[tuple[str, list[int]]],
    hidden: list[list[bool]] | None = None,
) -> Chart:
    """Grouped bars: one group per label (a month), one bar per series (sent, accepted).
    `hidden` (from complementary suppression) marks bars to draw like a small count, whatever
    their value; by default only counts of 1-4 are."""
    word = SUPPRESSED if hidden is not None else FEWER_THAN
    if hidden is None:
        hidden = [[is_small(v) for v in values] for _, values in groups]
    drawn = [
        [THRESHOLD if hide else v for v, hide in zip(values, hidden[g], strict=True)]
        for g, (_, values) in enumerate(groups)
    ]
    top = max((v for values in drawn for v in values), default=0) or 1
    plot_height = HEIGHT - TOP - BOTTOM
    group_width = (WIDTH - 2 * LEFT) / max(len(groups), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    bars: list[Bar] = []
    labels: list[tuple[float, str]] = []
    for g, (label, values) in enumerate(groups):
        x0 = LEFT + g * group_width + group_width * 0.1
        labels.append((LEFT + g * group_width + group_width / 2, label))
        for s, value in enumerate(values):
            h = plot_height * drawn[g][s] / top
            bars.append(
                Bar(
                    x=round(x0 + s * bar_width, 1),
                    y=round(HEIGHT - BOTTOM - h, 1),
                    width=round(bar_width - 2, 1),
                    height=round(h, 1),
                    series=s,
                    title=f"{label}, {series[s]}: {word if hidden[g][s] else value}",
                    suppressed=hidden[g][s],
                )
            )
    return Chart(title, series, bars, labels)


def protect_chart(chart: Chart, rows: list[tuple], hidden: set) -> Chart:
    """The chart again from its table's rows (label, Count, Count...), hiding what the
    protected table hides, so the picture never shows more than the table."""
    counts = [[c for c in row[1:] if isinstance(c, Count)] for row in rows]
    return bar_chart(
        chart.title,
        chart.series,
        [(row[0], [c.value for c in cs]) for row, cs in zip(rows, counts, strict=True)],
        hidden=[[c.key in hidden for c in cs] for cs in counts],
    )
