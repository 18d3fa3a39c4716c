"""Bar charts, side by side or stacked, on the same frame (axis, bands, labels, legend) as the line chart."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .geometry import FONT_SIZE, HEIGHT, WIDTH, Frame, decimal, frame_fields, layout, nice_ticks, number_text

SERIES_COLOURS = 6  # app.css has .chart-series-0 … -5; a seventh series takes the first colour again


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | None]


@dataclass(frozen=True)
class Bar:
    x: float  # the left edge
    y: float  # the top edge
    width: float
    height: float
    category: str
    series: int
    value: str


@dataclass
class BarChart(Frame):
    """One bar per series in each category's band, side by side or stacked (positives up, negatives down)."""

    categories: list[str]
    series: list[Series]
    stacked: bool
    bars: list[Bar]
    kind: str = field(default="bar")

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def rows(self) -> list[tuple[str, list[str | None]]]:
        """Each category with its series' values, for the table."""
        return [(c, [number_text(s.values[i]) for s in self.series]) for i, c in enumerate(self.categories)]

    def resized(self, width: float, height: float, font_size: float) -> BarChart:
        return bar_chart(self.categories, [(s.name, s.values) for s in self.series], stacked=self.stacked,
                         measure=self.measure, axis_title=self.axis_title, width=width, height=height,
                         font_size=font_size)


def bar_chart(categories, series, *, stacked: bool = False, measure: str = "", axis_title: str = "",
              width: float = WIDTH, height: float = HEIGHT, font_size: float = FONT_SIZE) -> BarChart:
    """Lay out SERIES ((name, values) pairs, one value or None per category) as bars over CATEGORIES."""
    categories = [str(c) for c in categories]
    series = [Series(name, [decimal(v) for v in values]) for name, values in series]
    if any(len(s.values) != len(categories) for s in series):
        raise ValueError("each series needs one value (or None) per category")
    if stacked:
        figures = [sum((v for s in series if (v := s.values[i]) is not None and v > 0), Decimal(0))
                   for i in range(len(categories))]
        figures += [sum((v for s in series if (v := s.values[i]) is not None and v < 0), Decimal(0))
                    for i in range(len(categories))]
    else:
        figures = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(min(figures, default=None), max(figures, default=None))
    legend_items = [(f"series-{j % SERIES_COLOURS}", str(s.name)) for j, s in enumerate(series) if str(s.name)]
    frame = layout(ticks, categories, legend_items, width, height, font_size, measure, axis_title)

    bars = []
    for i, category in enumerate(categories):
        group = frame.band * (0.6 if stacked else 0.75)
        bar_width = group if stacked else group / max(len(series), 1)
        up = down = Decimal(0)
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            if not stacked:
                low, high = min(value, Decimal(0)), max(value, Decimal(0))
            elif value >= 0:
                low, high, up = up, up + value, up + value
            else:
                low, high, down = down + value, down, down + value
            x = frame.x_of(i) - group / 2 + (0 if stacked else j * bar_width)
            top, bottom = frame.y_of(high), frame.y_of(low)
            bars.append(Bar(round(x, 1), top, round(bar_width, 1), round(bottom - top, 1), category,
                            j % SERIES_COLOURS, number_text(value)))
    return BarChart(**frame_fields(frame), categories=categories, series=series, stacked=stacked, bars=bars)
