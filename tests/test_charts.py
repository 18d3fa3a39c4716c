"""Server-drawn charts: the geometry (ticks, labels, broken lines, breaches), the SVG and the PDF drawing."""
import io
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest
from flask import render_template_string
from flask_babel import force_locale
from pypdf import PdfReader
from reportlab.graphics.shapes import Circle, String

from riskflow import charts
from riskflow.charts.geometry import label_indexes, number_text

SVG = "{http://www.w3.org/2000/svg}"


def months(n, start_year=2024):
    return [f"{start_year + (m // 12)}-{m % 12 + 1:02d}" for m in range(n)]


def ticks(*figures):
    chart = charts.line_chart([(str(i), D(f) if f is not None else None, None, False) for i, f in enumerate(figures)])
    return [t.value for t in chart.ticks], [t.text for t in chart.ticks]


def test_ticks_are_round_numbers_from_zero_to_past_the_highest_value():
    assert ticks("0", "97") == ([0, 20, 40, 60, 80, 100], ["0", "20", "40", "60", "80", "100"])
    assert ticks("12", "97") == ([0, 20, 40, 60, 80, 100], ["0", "20", "40", "60", "80", "100"])
    assert ticks("0.37")[1] == ["0", "0.1", "0.2", "0.3", "0.4"]
    assert ticks("12345")[1] == ["0", "5,000", "10,000", "15,000"]


def test_the_reference_counts_for_the_axis_like_the_values():
    chart = charts.line_chart([("1月", D("40"), D("130"), False)])
    assert [t.text for t in chart.ticks] == ["0", "50", "100", "150"]


def test_negative_values_take_the_axis_below_zero_and_zero_stays_on_it():
    assert ticks("-35", "120")[1] == ["-50", "0", "50", "100", "150"]
    assert ticks("-12", "-3")[1] == ["-15", "-10", "-5", "0"]


def test_a_chart_without_values_has_an_axis_from_zero_to_one_and_nothing_drawn():
    chart = charts.line_chart([(m, None, None, False) for m in months(3)])
    assert [t.text for t in chart.ticks] == ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    assert chart.empty and chart.value_segments == [] and chart.reference_segments == [] and chart.markers == []
    assert "No values recorded." in charts.svg(chart, title="t", desc="d")
    assert charts.line_chart([]).empty


def test_a_single_point_sits_in_the_middle_of_the_plot():
    chart = charts.line_chart([("2025-06", D("5"), None, False)])
    assert [t.text for t in chart.ticks] == ["0", "1", "2", "3", "4", "5"]
    (marker,) = chart.markers
    assert marker.x == round((chart.left + chart.right) / 2, 1)
    assert marker.y == chart.top  # the highest tick is the value itself
    assert chart.value_segments == [[(marker.x, marker.y)]]
    assert [label.text for label in chart.x_labels] == ["2025-06"]


def test_values_scale_between_the_lowest_and_highest_ticks():
    chart = charts.line_chart([("a", D("0"), None, False), ("b", D("50"), None, False), ("c", D("100"), None, False)])
    a, b, c = chart.markers
    assert (a.y, c.y) == (chart.bottom, chart.top)
    assert b.y == round((chart.top + chart.bottom) / 2, 1)
    assert chart.zero_y == chart.bottom


def test_the_value_line_breaks_where_a_month_is_missing():
    labels = months(6)
    values = [D("10"), D("12"), None, D("15"), D("11"), D("9")]
    chart = charts.line_chart([(m, v, None, False) for m, v in zip(labels, values)])
    where = {m.label: (m.x, m.y) for m in chart.markers}
    assert chart.value_segments == [[where[labels[0]], where[labels[1]]],
                                    [where[labels[3]], where[labels[4]], where[labels[5]]]]
    assert labels[2] not in where
    svg = ET.fromstring(str(charts.svg(chart, title="t", desc="d")))
    assert len(svg.findall(f"{SVG}polyline[@class='chart-value']")) == 2


def test_the_reference_is_a_step_over_each_month_broken_where_it_is_missing():
    points = [("1", D("5"), D("10"), False), ("2", D("5"), D("10"), False), ("3", D("5"), D("20"), False),
              ("4", D("5"), None, False), ("5", D("5"), D("10"), False)]
    chart = charts.line_chart(points)
    band = (chart.right - chart.left) / 5
    edge = [round(chart.left + i * band, 1) for i in range(6)]
    y10, y20 = (next(t.y for t in chart.ticks if t.value == v) for v in (10, 20))
    assert chart.reference_segments == [
        [(edge[0], y10), (edge[2], y10), (edge[2], y20), (edge[3], y20)],
        [(edge[4], y10), (edge[5], y10)],
    ]


def test_the_breached_points_are_exactly_the_flagged_ones():
    labels = months(24)
    flagged = {labels[2], labels[13], labels[23]}
    points = [(m, D(100 + i), D(110), m in flagged) for i, m in enumerate(labels)]
    points.append(("2026-01", None, D(110), True))  # a breach without a value has nowhere to be drawn
    chart = charts.line_chart(points)
    assert [m.label for m in chart.breached] == [labels[2], labels[13], labels[23]]
    assert [(m.value, m.reference) for m in chart.breached] == [("102", "110"), ("113", "110"), ("123", "110")]
    assert [r.label for r in chart.rows if r.breached] == [labels[2], labels[13], labels[23], "2026-01"]
    svg = ET.fromstring(str(charts.svg(chart, title="t", desc="d")))
    red = svg.findall(f"{SVG}circle[@class='chart-point chart-breached']")
    assert [c.find(f"{SVG}title").text.split(":")[0] for c in red] == [labels[2], labels[13], labels[23]]
    marks = svg.findall(f"{SVG}text[@class='chart-mark']")
    assert len(marks) == 3 and all(t.text == "!" for t in marks)
    assert len(svg.findall(f".//{SVG}g[@class='chart-key']/{SVG}text[@class='chart-mark']")) == 1


def test_every_label_is_shown_when_they_fit_else_every_third_with_the_first_and_last():
    short = charts.line_chart([(f"{m}", D(m), None, False) for m in range(1, 25)])
    assert [label.text for label in short.x_labels] == [str(m) for m in range(1, 25)]
    labels = months(24)
    chart = charts.line_chart([(m, D(1), None, False) for m in labels])
    # 2025-10 (index 21) would touch 2025-12 (index 23): the last one wins.
    assert [label.text for label in chart.x_labels] == [labels[i] for i in (0, 3, 6, 9, 12, 15, 18, 23)]
    assert label_indexes(["2024-01"] * 13, band=25, font_size=11) == [0, 3, 6, 9, 12]
    narrow = chart.resized(360, 260, 11)
    assert [label.text for label in narrow.x_labels] == [labels[i] for i in (0, 6, 12, 18, 23)]
    # The first and last labels are kept inside the box rather than centred under their points.
    for laid_out in (chart, narrow):
        half = len("2025-12") * 11 * 0.6 / 2
        assert all(half - 0.1 <= label.x <= laid_out.width - half + 0.1 for label in laid_out.x_labels)
    assert narrow.x_labels[-1].x < narrow.markers[-1].x
    assert label_indexes([], band=25, font_size=11) == []


def test_figures_read_as_people_write_them():
    assert [number_text(D(t)) for t in ("1234.50", "-0.00", "1E+3", "102.970", "-35")] == \
        ["1,234.5", "0", "1,000", "102.97", "-35"]
    with pytest.raises(ValueError):
        charts.line_chart([("a", float("nan"), None, False)])
    assert charts.line_chart([("a", 0.1, 3, False)]).points[0] == charts.Point("a", D("0.1"), D("3"), False)


def test_the_svg_is_accessible_xml_styled_by_classes_only():
    chart = charts.line_chart([(m, D(i * 10), D(50), i == 3) for i, m in enumerate(months(6))],
                              measure="万元", axis_title="销售收入")
    markup = charts.svg(chart, title="销售收入 <趋势> & 预算", desc="近六个月", id="sales")
    svg = ET.fromstring(str(markup))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img" and svg.get("width") == "100%" and svg.get("viewBox") == "0 0 640 260"
    assert svg.get("aria-labelledby") == "sales-title sales-desc"
    assert svg.find(f"{SVG}title").get("id") == "sales-title"
    assert svg.find(f"{SVG}title").text == "销售收入 <趋势> & 预算"
    assert svg.find(f"{SVG}desc").text == "近六个月"
    assert all(el.get("style") is None for el in svg.iter())
    drawn = [el for el in svg.iter() if el.tag.removeprefix(SVG) in ("line", "polyline", "circle", "text", "g")]
    assert all(el.get("class", "").startswith("chart-") for el in drawn)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "销售收入 (万元)" in texts and "Value" in texts and "Target or budget" in texts
    # Two charts on one page get different ids unless told otherwise.
    other = charts.line_chart([("a", D(1), None, False)])
    assert 'id="chart-' in charts.svg(other, title="x", desc="y")
    assert charts.svg(other, title="x", desc="y") != charts.svg(chart, title="x", desc="y")


def test_the_macro_draws_the_chart_and_its_table_in_chinese(app):
    chart = charts.line_chart([("2025-01", D("96.5"), D("100"), True), ("2025-02", None, D("100"), False),
                               ("2025-03", D("104.2"), None, False)], measure="万元")
    with app.test_request_context("/"), force_locale("zh_CN"):
        html = render_template_string('{% import "charts.html" as c %}{{ c.chart_with_table(chart, t, d) }}',
                                      chart=chart, t="销售收入趋势", d="近三个月")
    assert html.count("<svg") == 2 and "<details" in html
    wide, narrow = (ET.fromstring("<svg" + part.split("</svg>")[0] + "</svg>") for part in html.split("<svg")[1:])
    assert (wide.get("class"), wide.get("viewBox")) == ("chart-svg chart-wide", "0 0 640 260")
    assert (narrow.get("class"), narrow.get("viewBox")) == ("chart-svg chart-narrow", "0 0 360 260")
    assert wide.find(f"{SVG}title").get("id") != narrow.find(f"{SVG}title").get("id")
    assert "指标值（万元）" in html and "目标或预算（万元）" in html and "触发预警" in html
    body = html.split("<tbody>")[1]
    rows = [r.split("</tr>")[0] for r in body.split("<tr>")[1:]]
    assert len(rows) == 3
    assert "2025-01" in rows[0] and "96.5" in rows[0] and "100" in rows[0] and "是" in rows[0]
    assert "—" in rows[1] and "否" in rows[1]
    assert "104.2" in rows[2] and "—" in rows[2]
    assert "Month" not in html and "Value" not in html


def test_a_pdf_with_the_drawing_carries_the_chinese_axis_title_and_the_same_marks(app):
    from riskflow.reports.render import Pdf

    points = [(m, D(90 + i), D(100), i in (4, 7)) for i, m in enumerate(months(24))]
    chart = charts.line_chart(points, measure="万元", axis_title="销售收入", reference_label="月度预算")
    with app.app_context(), force_locale("zh_CN"):
        drawing = charts.drawing(chart, 480, 200)
        pdf = Pdf("指标趋势")
        pdf.chart(drawing)
        data = pdf.build()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "销售收入（万元）" in text
    assert "指标值" in text and "月度预算" in text and "触发预警" in text
    assert "2024-01" in text and "2025-12" in text
    strings = [s.text for s in drawing.contents if isinstance(s, String)]
    assert [t.text for t in chart.ticks] == ["0", "50", "100", "150"]
    assert all(t in strings for t in ["0", "50", "100", "150"])
    breached = [c for c in drawing.contents if isinstance(c, Circle) and c.r == round(7.5 * 0.5, 1)]
    assert len(breached) == 3  # the two breached months and the legend's sample
    assert breached[0].cx == chart.resized(480, 200, 7.5).breached[0].x


def test_bars_side_by_side_share_each_band_and_a_missing_value_draws_no_bar():
    chart = charts.bar_chart(["北京", "上海"], [("收入", [D("80"), D("40")]), ("费用", [D("20"), None])])
    assert [t.text for t in chart.ticks] == ["0", "20", "40", "60", "80"]
    assert [(b.category, b.series, b.value) for b in chart.bars] == [("北京", 0, "80"), ("北京", 1, "20"),
                                                                      ("上海", 0, "40")]
    income, cost, shanghai = chart.bars
    assert income.width == cost.width and cost.x == round(income.x + income.width, 1)
    assert (income.y, round(income.y + income.height, 1)) == (chart.top, chart.bottom)
    assert cost.y == chart.y_of(D(20)) and round(cost.y + cost.height, 1) == chart.bottom
    assert shanghai.x > chart.x_of(0)
    assert chart.rows == [("北京", ["80", "20"]), ("上海", ["40", None])]


def test_stacked_bars_pile_positives_up_and_negatives_down_from_zero():
    chart = charts.bar_chart(["Q1", "Q2"], [("a", [D(30), D(-20)]), ("b", [D(50), D(10)]), ("c", [D(-5), D(-15)])],
                             stacked=True)
    assert [t.text for t in chart.ticks] == ["-50", "0", "50", "100"]  # from -35 to 80
    q1 = [b for b in chart.bars if b.category == "Q1"]
    a, b, c = q1
    assert round(a.y + a.height, 1) == chart.zero_y and a.y == chart.y_of(D(30))
    assert round(b.y + b.height, 1) == a.y and b.y == chart.y_of(D(80))
    assert c.y == chart.zero_y and round(c.y + c.height, 1) == chart.y_of(D(-5))
    assert len({bar.x for bar in q1}) == 1
    q2 = [b for b in chart.bars if b.category == "Q2"]
    assert round(q2[2].y + q2[2].height, 1) == chart.y_of(D(-35))  # -15 under -20
    with pytest.raises(ValueError):
        charts.bar_chart(["Q1"], [("a", [D(1), D(2)])])


def test_bars_draw_as_svg_rects_and_in_a_pdf(app):
    from riskflow.reports.render import Pdf

    chart = charts.bar_chart(["北京", "上海"], [("收入", [D("80"), D("40")]), ("费用", [D("20"), None])],
                             measure="万元", axis_title="销售业绩")
    svg = ET.fromstring(str(charts.svg(chart, title="t", desc="d")))
    rects = svg.findall(f"{SVG}rect")
    assert [r.get("class") for r in rects] == ["chart-bar chart-series-0", "chart-bar chart-series-1",
                                               "chart-bar chart-series-0"]
    assert rects[0].find(f"{SVG}title").text == "北京 收入: 80 万元"
    with app.app_context(), force_locale("zh_CN"):
        pdf = Pdf("t")
        pdf.chart(charts.drawing(chart, 480, 200))
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.build())).pages)
        html = render_template_string('{% import "charts.html" as c %}{{ c.chart_with_table(chart, "t", "d", "单位") }}',
                                      chart=chart)
    assert "销售业绩（万元）" in text and "收入" in text and "费用" in text and "北京" in text
    assert "收入（万元）" in html and "<td class=\"num\">—</td>" in html


def test_a_chart_built_outside_any_language_draws_in_the_language_it_is_drawn_in(app):
    from flask_babel import lazy_gettext

    chart = charts.line_chart([("2025-01", D(5), D(6), True)], measure="万元", axis_title=lazy_gettext("Value"))
    with app.test_request_context("/"), force_locale("zh_CN"):
        texts = [t.text for t in ET.fromstring(str(charts.svg(chart, title="t", desc="d"))).iter(f"{SVG}text")]
    assert "指标值（万元）" in texts and "目标或预算" in texts and "触发预警" in texts
