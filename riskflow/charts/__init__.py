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
not the only sign. Styling is by CSS classes under /* charts */ in app.css (the CSP forbids style
attributes). Other kinds (bars) add a layout function in geometry.py and a branch in each renderer.
"""
from .geometry import LineChart, Point, line_chart, nice_ticks, number_text
from .render_pdf import drawing
from .render_svg import svg

__all__ = ["LineChart", "Point", "drawing", "line_chart", "nice_ticks", "number_text", "svg"]
