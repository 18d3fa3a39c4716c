"""A laid-out chart as inline SVG for pages: classes only (the CSP forbids style attributes), no script."""
from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .bars import BarChart
from .geometry import LineChart

BREACH_MARK = "!"


def _n(number: float) -> str:
    return f"{round(number, 1):g}"


def _points(run) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in run)


def _text(x, y, text, cls, anchor="start") -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" class="{cls}" text-anchor="{anchor}">{escape(text)}</text>')


def point_tooltip(chart: LineChart, marker) -> str:
    """What hovering over a point says: its label and value, the reference, and the breach."""
    value = f"{marker.value} {chart.measure}".strip()
    lines = [_("%(label)s: %(value)s", label=marker.label, value=value)]
    if marker.reference is not None:
        reference = f"{marker.reference} {chart.measure}".strip()
        lines.append(_("%(label)s: %(value)s", label=chart.reference_label, value=reference))
    if marker.breached:
        lines.append(str(chart.breached_label))
    return "\n".join(lines)


def _legend(chart) -> list[str]:
    f = chart.font_size
    out = []
    for item in chart.legend:
        x, y, sample = item.x, item.y, f * 2.2
        if item.kind == "value":
            out.append(f'<line x1="{_n(x)}" x2="{_n(x + f * 1.6)}" y1="{_n(y)}" y2="{_n(y)}" class="chart-value"/>')
            out.append(f'<circle cx="{_n(x + f * 0.8)}" cy="{_n(y)}" r="{_n(chart.point_radius)}" '
                       f'class="chart-point"/>')
        elif item.kind == "reference":
            out.append(f'<line x1="{_n(x)}" x2="{_n(x + f * 1.6)}" y1="{_n(y)}" y2="{_n(y)}" '
                       f'class="chart-reference"/>')
        elif item.kind == "breached":
            out.append(f'<circle cx="{_n(x + f * 0.6)}" cy="{_n(y)}" r="{_n(chart.breach_radius)}" '
                       f'class="chart-point chart-breached"/>')
            out.append(_text(x + f * 1.3, y + f * 0.35, BREACH_MARK, "chart-mark"))
        else:  # a bar series
            out.append(f'<rect x="{_n(x)}" y="{_n(y - f * 0.45)}" width="{_n(f * 1.6)}" height="{_n(f * 0.9)}" '
                       f'class="chart-bar chart-{item.kind}"/>')
        out.append(_text(x + sample, y + f * 0.35, item.text, "chart-legend"))
    return out


def _line(chart: LineChart) -> list[str]:
    parts = []
    for run in (r for r in chart.reference_segments if len(r) > 1):
        parts.append(f'<polyline points="{_points(run)}" class="chart-reference"/>')
    for run in (r for r in chart.value_segments if len(r) > 1):  # a lone value is its marker
        parts.append(f'<polyline points="{_points(run)}" class="chart-value"/>')
    for m in chart.markers:
        radius, cls = (chart.breach_radius, "chart-point chart-breached") if m.breached else \
            (chart.point_radius, "chart-point")
        parts.append(f'<circle cx="{_n(m.x)}" cy="{_n(m.y)}" r="{_n(radius)}" class="{cls}">'
                     f'<title>{escape(point_tooltip(chart, m))}</title></circle>')
        if m.breached:
            parts.append(_text(m.x, m.mark_y, BREACH_MARK, "chart-mark", "middle"))
    return parts


def _bars(chart: BarChart) -> list[str]:
    parts = []
    for bar in chart.bars:
        name = chart.series[bar.series].name
        tooltip = _("%(label)s: %(value)s", label=f"{bar.category} {name}".strip(),
                    value=f"{bar.value} {chart.measure}".strip())
        parts.append(f'<rect x="{_n(bar.x)}" y="{_n(bar.y)}" width="{_n(bar.width)}" height="{_n(bar.height)}" '
                     f'class="chart-bar chart-series-{bar.series}"><title>{escape(tooltip)}</title></rect>')
    return parts


def svg(chart, *, title: str, desc: str, id: str | None = None, width: float | None = None,
        variant: str | None = None) -> Markup:
    """CHART (a LineChart or BarChart) as an accessible inline SVG (role img, title and desc) that fills
    its container's width.

    WIDTH lays it out again in a narrower box (a phone's, where the wide one's text would shrink to
    nothing); VARIANT adds the class chart-VARIANT, which app.css shows or hides by screen width.
    """
    chart = chart.resized(width or chart.width, chart.height, chart.font_size)
    if id is None:
        seed = "|".join([str(title), str(desc), str(chart.width), repr(chart.rows)])
        id = "chart-" + hashlib.sha1(seed.encode()).hexdigest()[:10]
    f = chart.font_size
    classes = f"chart-svg chart-{variant}" if variant else "chart-svg"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" viewBox="0 0 {_n(chart.width)} '
        f'{_n(chart.height)}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc">',
        f'<title id="{id}-title">{escape(title)}</title>',
        f'<desc id="{id}-desc">{escape(desc)}</desc>',
    ]
    if chart.axis_text:
        parts.append(_text(0, f * 1.1, chart.axis_text, "chart-axis-title"))
    for tick in chart.ticks:
        parts.append(f'<line x1="{_n(chart.left)}" x2="{_n(chart.right)}" y1="{_n(tick.y)}" y2="{_n(tick.y)}" '
                     f'class="{"chart-zero" if tick.value == 0 else "chart-grid"}"/>')
        parts.append(_text(chart.left - f * 0.5, tick.y + f * 0.35, tick.text, "chart-tick", "end"))
    for label in chart.x_labels:
        parts.append(_text(label.x, label.y, label.text, "chart-tick", "middle"))
    parts += _bars(chart) if chart.kind == "bar" else _line(chart)
    if chart.empty:
        parts.append(_text((chart.left + chart.right) / 2, (chart.top + chart.bottom) / 2, _("No values recorded."),
                           "chart-empty", "middle"))
    if chart.legend:
        parts += ['<g class="chart-key">', *_legend(chart), "</g>"]
    parts.append("</svg>")
    return Markup("\n".join(parts))
