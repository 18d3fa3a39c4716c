"""Chart geometry: Decimal figures in, scaled float coordinates out; no drawing, no request, no database.

Titles and labels may be lazy translations: a chart keeps them as given and reads them each time it is
laid out (the renderers lay it out again where they draw)."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

WIDTH, HEIGHT, FONT_SIZE = 640, 260, 11
RIGHT = 12
TARGET_INTERVALS = 5
NICE = (1, 2, 5, 10)
# Label strides after "every label": quarters, then half-years and years, for monthly series.
STRIDES = (1, 3, 6, 12, 24, 48)


@dataclass(frozen=True)
class Point:
    """One category of a series: its label, value, the reference it is compared with, and whether it breached."""

    label: str
    value: Decimal | None
    reference: Decimal | None = None
    breached: bool = False


@dataclass(frozen=True)
class Tick:
    y: float
    value: Decimal
    text: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Marker:
    """A drawn value: where it is, what it says, and whether its month breached."""

    x: float
    y: float
    label: str
    value: str
    reference: str | None
    breached: bool
    mark_y: float  # the baseline of the text mark above a breached point


@dataclass(frozen=True)
class LegendItem:
    kind: str  # "value", "reference", "breached" or a bar series: "series-0" … "series-5"
    x: float  # where the sample starts; the text starts at x + sample
    y: float  # the row's middle
    text: str


@dataclass
class Row:
    """One line of the table that goes with a chart."""

    label: str
    value: str | None
    reference: str | None
    breached: bool


@dataclass
class Frame:
    """What every kind of chart has: a WIDTH × HEIGHT box (SVG user units or PDF points), the value axis with
    its ticks, one band per category along the bottom with its labels, and the legend under it.

    The renderers lay a chart out again when they draw it (resized), so the legend is in the language of
    the page or report even when the chart was built elsewhere.
    """

    width: float
    height: float
    font_size: float
    measure: str
    axis_title: str
    left: float
    top: float
    right: float
    bottom: float
    band: float
    ticks: list[Tick]
    zero_y: float
    x_labels: list[Label]
    legend: list[LegendItem]

    def y_of(self, value: Decimal) -> float:
        """Where VALUE sits on the value axis."""
        low, high = self.ticks[0].value, self.ticks[-1].value
        return _r(self.bottom - float((value - low) / (high - low)) * (self.bottom - self.top))

    def x_of(self, index: int) -> float:
        """The middle of category INDEX's band."""
        return _r(self.left + (index + 0.5) * self.band)

    def edge(self, index: int) -> float:
        """The left edge of category INDEX's band (INDEX + 1 for its right edge)."""
        return _r(self.left + index * self.band)

    def with_measure(self, text: str) -> str:
        """TEXT followed by the measure: 销售收入（万元）."""
        if text and self.measure:
            return _("%(title)s (%(measure)s)", title=text, measure=self.measure)
        return str(text or self.measure)

    @property
    def axis_text(self) -> str:
        return self.with_measure(self.axis_title)


@dataclass
class LineChart(Frame):
    """Values joined by a line, a reference drawn as a step, breached points marked."""

    value_label: str
    reference_label: str
    breached_label: str
    points: list[Point]
    value_segments: list[list[tuple[float, float]]]
    reference_segments: list[list[tuple[float, float]]]
    markers: list[Marker]
    kind: str = field(default="line")

    @property
    def has_reference(self) -> bool:
        return any(p.reference is not None for p in self.points)

    @property
    def breached(self) -> list[Marker]:
        """The markers of the breached points, in order."""
        return [m for m in self.markers if m.breached]

    @property
    def empty(self) -> bool:
        return not self.markers

    @property
    def point_radius(self) -> float:
        return round(self.font_size * 0.32, 1)

    @property
    def breach_radius(self) -> float:
        return round(self.font_size * 0.5, 1)

    @property
    def rows(self) -> list[Row]:
        return [Row(p.label, number_text(p.value), number_text(p.reference), p.breached) for p in self.points]

    def resized(self, width: float, height: float, font_size: float) -> LineChart:
        """The same chart laid out again in a box (the PDF's points rather than the page's pixels)."""
        return line_chart(self.points, measure=self.measure, axis_title=self.axis_title,
                          value_label=self.value_label, reference_label=self.reference_label,
                          breached_label=self.breached_label, width=width, height=height, font_size=font_size)


def decimal(value) -> Decimal | None:
    """VALUE as a finite Decimal (None stays None); a float goes through its shortest repr."""
    if value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def number_text(value: Decimal | None) -> str | None:
    """A figure as people read it: thousands grouped, no exponent, no trailing zeros (1,234.5)."""
    if value is None:
        return None
    value = value.normalize()
    if value.as_tuple().exponent > 0:
        value = value.quantize(Decimal(1))
    text = f"{value:,f}"
    return "0" if text == "-0" else text


def nice_ticks(lowest: Decimal | None, highest: Decimal | None) -> list[Decimal]:
    """Round axis values (1, 2 or 5 × 10^k apart) from at most min(0, LOWEST) to at least max(0, HIGHEST)."""
    low = min(Decimal(0), lowest if lowest is not None else Decimal(0))
    high = max(Decimal(0), highest if highest is not None else Decimal(0))
    if low == high:
        high = low + 1
    raw = (high - low) / TARGET_INTERVALS
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(magnitude * m for m in NICE if magnitude * m >= raw)
    first = (low / step).to_integral_value(ROUND_FLOOR) * step
    last = (high / step).to_integral_value(ROUND_CEILING) * step
    return [first + step * i for i in range(int((last - first) / step) + 1)]


def text_width(text: str, font_size: float) -> float:
    """An estimate of TEXT's width: CJK characters are square, others about 0.6 em."""
    return sum(font_size if ord(ch) >= 0x2E80 else font_size * 0.6 for ch in text)


def label_indexes(labels: list[str], band: float, font_size: float) -> list[int]:
    """Which category labels to print: all when they fit, else every 3rd (6th, …); always the first and last."""
    n = len(labels)
    if n == 0:
        return []
    need = max(text_width(t, font_size) for t in labels) + font_size * 0.6
    stride = next((s for s in STRIDES if s * band >= need), n)
    shown = list(range(0, n, stride))
    if shown[-1] != n - 1:
        # The last label wins over the regular one too close before it.
        if len(shown) > 1 and (n - 1 - shown[-1]) * band < need:
            shown.pop()
        shown.append(n - 1)
    return shown


def _r(number: float) -> float:
    return round(number, 1)


def _points(points) -> list[Point]:
    out = []
    for p in points:
        p = p if isinstance(p, Point) else Point(*p)
        out.append(Point(str(p.label), decimal(p.value), decimal(p.reference), bool(p.breached)))
    return out


def _runs(figures: list) -> list[list[int]]:
    """The indexes of FIGURES in runs of consecutive figures that are not None."""
    runs, run = [], []
    for index, figure in enumerate(figures):
        if figure is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(index)
    return runs + [run] if run else runs


def layout(ticks: list[Decimal], labels: list[str], legend_items: list[tuple[str, str]], width: float,
           height: float, font_size: float, measure: str = "", axis_title: str = "") -> Frame:
    """The frame of a chart: room for the tick texts on the left, the axis title above, labels and legend
    below, and one band per label."""
    f = font_size
    tick_texts = [number_text(t) for t in ticks]
    left = _r(max(f * 3, max(text_width(t, f) for t in tick_texts) + f * 0.8))
    right = _r(width - RIGHT)
    top = _r(f * 2.8)  # the axis title, then room for a mark over the highest point
    legend, legend_rows = _legend(legend_items, left, right, 0, f) if legend_items else ([], 0)
    bottom = _r(height - f * 2.2 - legend_rows * f * 1.6)
    legend = [LegendItem(i.kind, i.x, _r(bottom + f * 3 + i.y), i.text) for i in legend]
    band = (right - left) / len(labels) if labels else right - left
    frame = Frame(width=width, height=height, font_size=f, measure=measure, axis_title=axis_title, left=left,
                  top=top, right=right, bottom=bottom, band=band, x_labels=[], legend=legend, zero_y=0,
                  ticks=[Tick(0, t, text) for t, text in zip(ticks, tick_texts)])  # placed once the scale is set
    frame.ticks = [replace(t, y=frame.y_of(t.value)) for t in frame.ticks]
    frame.zero_y = frame.y_of(Decimal(0))
    label_y = _r(bottom + f * 1.4)
    for i in label_indexes(labels, band, f):
        half = text_width(labels[i], f) / 2  # kept inside the box rather than centred under its point
        frame.x_labels.append(Label(_r(min(max(frame.x_of(i), half), width - half)), label_y, labels[i]))
    return frame


def frame_fields(frame: Frame) -> dict:
    """FRAME's fields, to build a chart of some kind on it."""
    return {f.name: getattr(frame, f.name) for f in fields(Frame)}


def _legend(items: list[tuple[str, str]], left: float, right: float, y: float, font_size: float):
    """Legend entries laid out in rows from LEFT; returns the entries and the number of rows."""
    sample, gap = font_size * 2.2, font_size * 1.4
    placed, x, rows = [], left, 1
    for kind, text in items:
        width = sample + text_width(text, font_size) + gap
        if x > left and x + width > right:
            x, rows = left, rows + 1
        placed.append(LegendItem(kind, _r(x), _r(y + (rows - 1) * font_size * 1.6), text))
        x += width
    return placed, rows


def line_chart(points, *, measure: str = "", axis_title: str = "", value_label: str = _l("Value"),
               reference_label: str = _l("Target or budget"), breached_label: str = _l("Warning raised"),
               width: float = WIDTH, height: float = HEIGHT, font_size: float = FONT_SIZE) -> LineChart:
    """Lay out POINTS ((label, value, reference, breached) tuples or Points) as a line chart.

    Values are joined in order and broken where one is missing; references are drawn as a step (each
    category's reference spans its band); breached points get a larger marker and a text mark. The axis
    runs over round ticks covering zero and every value and reference.
    """
    points = _points(points)
    figures = [f for p in points for f in (p.value, p.reference) if f is not None]
    ticks = nice_ticks(min(figures, default=None), max(figures, default=None))

    has_reference = any(p.reference is not None for p in points)
    has_breach = any(p.breached and p.value is not None for p in points)
    # Labels may be lazy translations: kept as given, read here in the language the chart is drawn in.
    legend_items = [("value", str(value_label))] if value_label else []
    if has_reference and reference_label:
        legend_items.append(("reference", str(reference_label)))
    if has_breach and breached_label:
        legend_items.append(("breached", str(breached_label)))

    frame = layout(ticks, [p.label for p in points], legend_items, width, height, font_size, measure, axis_title)
    f, y_of = font_size, frame.y_of
    xs = [frame.x_of(i) for i in range(len(points))]

    markers = [Marker(xs[i], y_of(p.value), p.label, number_text(p.value), number_text(p.reference), p.breached,
                      _r(y_of(p.value) - f * 0.8)) for i, p in enumerate(points) if p.value is not None]
    value_segments = [[(xs[i], y_of(points[i].value)) for i in run] for run in _runs([p.value for p in points])]
    reference_segments = []
    for run in _runs([p.reference for p in points]):
        step = []
        for i in run:
            y, start, end = y_of(points[i].reference), frame.edge(i), frame.edge(i + 1)
            if step and step[-1][1] == y:
                step[-1] = (end, y)  # the same level goes on: extend the last stretch
            else:
                step += [(start, y), (end, y)]  # after (end, old level) at the same x: the riser
        reference_segments.append(step)

    return LineChart(
        **frame_fields(frame), value_label=value_label, reference_label=reference_label,
        breached_label=breached_label, points=points, value_segments=value_segments,
        reference_segments=reference_segments, markers=markers)
