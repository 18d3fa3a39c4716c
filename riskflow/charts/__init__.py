"""Charts drawn on the server: the same geometry as inline SVG for pages and as a reportlab Drawing for PDFs.

Lay out once, draw twice::

    from riskflow import charts

    chart = charts.line_chart(
        [("2025-01", Decimal("96.5"), Decimal("100"), True),   # (label, value, reference, breached)
         ("2025-02", None, Decimal("100"), False),              # a missing value breaks the line
         ("2025-03", Decimal("104.2"), Decimal("100"), False)],
        measure="万元", axis_title=_("Sales revenue"), reference_label=_("Monthly budget"))
    charts.svg(chart, title=..., desc=...)      # Markup for a template; or in a template:
    {% import "charts.html" as charts %}{{ charts.chart_with_table(chart, title, desc) }}
    pdf.chart(charts.drawing(chart, 170 * mm, 60 * mm))   # reports.render.Pdf; any story takes the Drawing

Values and references are Decimals (or None); the axis runs over round ticks (1, 2 or 5 × 10^k) from
min(0, lowest) to max(0, highest); breached points get a larger red marker and a "!" mark so colour is
not the only sign. A chart may be built anywhere (a report's collect step): svg() and drawing() lay it
out again where they draw, so its default labels (lazy translations) come out in that language. Styling is by CSS classes under /* charts */ in app.css (the CSP forbids style
attributes).

Bars: ``charts.bar_chart(["北京", "上海"], [("收入", [D(5), D(7)]), ("费用", [D(2), None])], stacked=True,
measure="万元")`` draws with the same svg() and drawing(). Every kind is a Frame (geometry.layout: the
value axis, one band per category, labels, legend) plus its own shapes; a new kind adds a layout function
beside bars.py and a branch in each renderer.
"""
from .bars import BarChart, bar_chart
from .geometry import LineChart, Point, line_chart, nice_ticks, number_text
from .render_pdf import drawing
from .render_svg import svg

__all__ = ["BarChart", "LineChart", "Point", "bar_chart", "drawing", "line_chart", "nice_ticks", "number_text",
           "svg"]
