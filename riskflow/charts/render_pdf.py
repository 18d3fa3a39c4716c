"""A chart as a reportlab Drawing for PDFs: the page's geometry laid out again in points, the page's colours."""
from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String

from ..pdf import cjk_font
from .geometry import LineChart
from .render_svg import BREACH_MARK

# The same colours as app.css /* charts */.
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
GRID = colors.HexColor("#d9e2ec")
ZERO = colors.HexColor("#7b8794")
VALUE = colors.HexColor("#1f5fa8")
REFERENCE = colors.HexColor("#c05600")
BREACH = colors.HexColor("#c62828")
BREACH_EDGE = colors.HexColor("#5c0a0a")
SERIES = [colors.HexColor(c) for c in ("#1f5fa8", "#c05600", "#2f8f4e", "#7a4fb3", "#b8860b", "#5f6b7a")]
PDF_FONT_SIZE = 7.5


def _font() -> str:
    configured = current_app.config.get("FONT_PATH") if has_app_context() else None
    return cjk_font(configured)[0]


def drawing(chart, width: float, height: float, *, font: str | None = None,
            font_size: float = PDF_FONT_SIZE) -> Drawing:
    """CHART (a LineChart or BarChart) as a WIDTH × HEIGHT points Drawing (a flowable: append it to a story,
    or Pdf.chart)."""
    font = font or _font()
    chart = chart.resized(width, height, font_size)
    f = chart.font_size
    d = Drawing(width, height)

    def y(v: float) -> float:  # SVG's y grows downwards, reportlab's upwards
        return height - v

    def text(x, v, value, colour=INK, anchor="start", size=f):
        d.add(String(x, y(v), value, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor))

    def flat(run):
        return [c for x, v in run for c in (x, y(v))]

    if chart.axis_text:
        text(0, f * 1.1, chart.axis_text, size=f * 1.1)
    for tick in chart.ticks:
        zero = tick.value == 0
        d.add(Line(chart.left, y(tick.y), chart.right, y(tick.y), strokeColor=ZERO if zero else GRID,
                   strokeWidth=0.8 if zero else 0.4))
        text(chart.left - f * 0.5, tick.y + f * 0.35, tick.text, MUTED, "end")
    for label in chart.x_labels:
        text(label.x, label.y, label.text, MUTED, "middle")
    if chart.kind == "bar":
        for bar in chart.bars:
            d.add(Rect(bar.x, y(bar.y + bar.height), bar.width, bar.height, fillColor=SERIES[bar.series],
                       strokeColor=colors.white, strokeWidth=0.4))
    else:
        for run in (r for r in chart.reference_segments if len(r) > 1):
            d.add(PolyLine(flat(run), strokeColor=REFERENCE, strokeWidth=1.2, strokeDashArray=[4, 2]))
        for run in (r for r in chart.value_segments if len(r) > 1):  # a lone value is its marker
            d.add(PolyLine(flat(run), strokeColor=VALUE, strokeWidth=1.5))
        for m in chart.markers:
            _marker(d, m.x, y(m.y), chart, m.breached)
            if m.breached:
                text(m.x, m.mark_y, BREACH_MARK, BREACH, "middle")
    if chart.empty:
        text((chart.left + chart.right) / 2, (chart.top + chart.bottom) / 2, _("No values recorded."), MUTED,
             "middle")
    for item in chart.legend:
        x, v = item.x, item.y
        if item.kind == "value":
            d.add(Line(x, y(v), x + f * 1.6, y(v), strokeColor=VALUE, strokeWidth=1.5))
            _marker(d, x + f * 0.8, y(v), chart, False)
        elif item.kind == "reference":
            d.add(Line(x, y(v), x + f * 1.6, y(v), strokeColor=REFERENCE, strokeWidth=1.2, strokeDashArray=[4, 2]))
        elif item.kind == "breached":
            _marker(d, x + f * 0.6, y(v), chart, True)
            text(x + f * 1.3, v + f * 0.35, BREACH_MARK, BREACH)
        else:  # a bar series
            d.add(Rect(x, y(v + f * 0.45), f * 1.6, f * 0.9, fillColor=SERIES[int(item.kind.split("-")[1])],
                       strokeColor=None))
        text(x + f * 2.2, v + f * 0.35, item.text)
    return d


def _marker(d: Drawing, x: float, y: float, chart: LineChart, breached: bool) -> None:
    if breached:
        d.add(Circle(x, y, chart.breach_radius, fillColor=BREACH, strokeColor=BREACH_EDGE, strokeWidth=0.8))
    else:
        d.add(Circle(x, y, chart.point_radius, fillColor=VALUE, strokeColor=colors.white, strokeWidth=0.6))
