"""Rendering the monthly and annual reports as PDFs (the quarterly pack renders in incidents/pack.py)."""
from __future__ import annotations

import io

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .. import charts, periods
from ..pdf import FastTable, cjk_font, escape, styles
from ..register.grading import LEVELS
from ..indicators import rules
from ..indicators.labels import CAUSE_LABELS, COMPARED_LABELS, PLAN_LABELS, RULE_LABELS
from ..register import sheets
from ..register.labels import LEVEL_LABELS, TREND_SYMBOLS, WARNING_REASON_LABELS, WARNING_STATUS_LABELS
from ..supervision.labels import ESCALATION_LABELS
from .collect import AnnualData, MonthlyData, money

LEVEL_COLOURS = {"low": "#2f6fdb", "general": "#f2c200", "significant": "#f08c00", "major": "#d62828"}
ESCALATION_COLOURS = {"blue": "#2f6fdb", "yellow": "#f2c200", "red": "#d62828"}


class Pdf:
    """A document under construction in the CJK font."""

    def __init__(self, title: str):
        self.font, _embedded = cjk_font(current_app.config.get("FONT_PATH"))
        self.s = styles(self.font)
        self.title = title
        self.story = []

    def para(self, text, style="body"):
        self.story.append(Paragraph(escape(text), self.s[style]))

    def table(self, rows, widths, extra=(), header_rows=1):
        table = Table([[Paragraph(escape(c), self.s["cell"]) if isinstance(c, str) and len(c) > 18 else c
                        for c in row] for row in rows], colWidths=widths, repeatRows=header_rows)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.font), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e4ecf7")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9fb3c8")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            *extra]))
        self.story.append(table)

    def rows(self, header, rows, widths, fills=None, size=7.5, max_lines=4):
        """A table that may run to thousands of rows (see pdf.FastTable)."""
        self.story.append(FastTable(header, rows, widths, self.font, size, fills, max_lines))

    def chart(self, drawing):
        """A chart drawn by riskflow.charts.drawing (a Drawing never splits across pages)."""
        self.story.append(drawing)

    def build(self) -> bytes:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=18 * mm,
                                bottomMargin=15 * mm, title=self.title, author="riskflow")
        doc.build(self.story, onFirstPage=self._footer, onLaterPages=self._footer)
        return buffer.getvalue()

    def _footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(self.font, 8)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{self.title} · {doc.page}")
        canvas.restoreState()


def month_title(period: str) -> str:
    year, month = periods.parse(period)
    return _("%(year)s-%(month)s risk assessment and warning response", year=year, month=month)


def progress_title(period: str) -> str:
    year, month = periods.parse(period)
    return _("%(year)s-%(month)s risk assessment and warning response: execution progress", year=year, month=month)


def render_monthly(data: MonthlyData, language: str = "zh_CN") -> bytes:
    with force_locale(language):
        return _monthly(data)


def _level_row(counts):
    return [counts[level] for level in LEVELS] + [sum(counts.values())]


def sheet_state_text(p) -> str:
    """A unit's grading sheet state in section 8: "—" for a month before sign-off."""
    if p.state is None:
        return "—"
    return sheets.label(p.state)


def _monthly(d: MonthlyData) -> bytes:
    pdf = Pdf(month_title(d.period))
    pdf.para(pdf.title, "title")
    pdf.para(_("Issued %(date)s by the risk management department", date=d.today.isoformat()), "subtitle")
    pdf.para(_("1. Summary"), "heading")
    pdf.para(_("%(n)s risks were graded for %(period)s: %(major)s major, %(sig)s significant, %(gen)s general and "
               "%(low)s low; %(w)s warnings were raised.", n=d.total, period=d.period, major=d.counts["major"],
               sig=d.counts["significant"], gen=d.counts["general"], low=d.counts["low"], w=len(d.warnings)))
    header = [_("Unit")] + [str(LEVEL_LABELS[level]) for level in LEVELS] + [_("Total")]
    rows = [header] + [[name] + _level_row(counts) for name, counts in d.counts_by_unit]
    rows.append([_("Company")] + _level_row(d.counts))
    pdf.table(rows, [55 * mm] + [25 * mm] * 5)
    _plan(pdf, d)
    pdf.para(_("3. Heat map"), "heading")
    _heatmap(pdf, d.heatmap)
    pdf.para(_("4. Top 10 major risks"), "heading")
    rows = [[_("Rank"), _("Code"), _("Risk"), _("Unit"), "L×I", _("Score"), _("Level"), _("Trend")]]
    for r in d.top:
        rows.append([r.rank, r.code, r.title, r.unit, f"{r.likelihood}×{r.impact}", r.score,
                     str(LEVEL_LABELS[r.level]), TREND_SYMBOLS[r.trend]])
    pdf.table(rows, [11 * mm, 18 * mm, 56 * mm, 30 * mm, 13 * mm, 12 * mm, 22 * mm, 14 * mm],
              [("BACKGROUND", (0, 1), (-1, min(3, len(d.top))), colors.HexColor("#fff1f0"))] if d.top else [])
    pdf.para(_("Trend against last month: ↑ rose, ↓ fell, → unchanged, ★ newly graded."), "small")
    pdf.para(_("5. New, escalated and de-escalated risks"), "heading")
    for label, changes in ((_("New"), d.new), (_("Escalated"), d.escalated), (_("De-escalated"), d.deescalated)):
        pdf.para(f"{label} ({len(changes)})", "body")
        if changes:
            pdf.rows([_("Code"), _("Risk"), _("Unit"), _("Last month"), _("This month")],
                     [[c.code, c.title, c.unit, LEVEL_LABELS[c.previous_level] if c.previous_level else "—",
                       LEVEL_LABELS[c.level]] for c in changes], [22 * mm, 78 * mm, 40 * mm, 20 * mm, 20 * mm])
    pdf.para(_("6. Warnings and responses"), "heading")
    _warnings(pdf, d.warnings)
    _breaches(pdf, d.breaches)
    pdf.para(_("8. Grading completion by unit"), "heading")
    rows = [[_("Unit"), _("Graded"), _("Risks"), _("Completion"), _("Grading sheet")]] + [
        [p.unit.name, p.graded, p.total, f"{p.percent}%", sheet_state_text(p)] for p in d.completion]
    pdf.table(rows, [50 * mm, 22 * mm, 22 * mm, 26 * mm, 60 * mm])
    pdf.para(_("9. Overdue rectifications"), "heading")
    if d.overdue:
        fills = {(n, 3): ESCALATION_COLOURS[colour] for n, (_rec, colour) in enumerate(d.overdue) if colour}
        pdf.rows([_("Letter no."), _("Responsible unit"), _("Due"), _("Escalation")],
                 [[rec.letter_no, rec.responsible_unit.name, rec.due_date.isoformat(),
                   ESCALATION_LABELS[colour] if colour else "—"] for rec, colour in d.overdue],
                 [45 * mm, 60 * mm, 35 * mm, 40 * mm], fills, size=8.5)
    else:
        pdf.para(_("none"))
    pdf.story.append(PageBreak())
    pdf.para(progress_title(d.previous), "title")
    pdf.para(_("How far the responses to the warnings of %(period)s got.", period=d.previous), "subtitle")
    _warnings(pdf, d.previous_warnings)
    pdf.story.append(PageBreak())
    pdf.para(_("Appendix: the register of %(period)s", period=d.period), "heading")
    _register(pdf, d.register)
    return pdf.build()


def figure(value) -> str:
    """A figure as people read it (1,234.5); — when unknown."""
    return charts.number_text(value) or "—"


def percent(value) -> str:
    return "—" if value is None else f"{value}%"


def _plan(pdf: Pdf, d: MonthlyData) -> None:
    """销售业绩进展: each plan line's month, year to date and year against budget, by unit and for the company."""
    pdf.para(_("2. Sales performance progress"), "heading")
    if not d.plan:
        pdf.para(_("none"))
        return
    month = periods.parse(d.period)[1]
    revenue = next((line.company.progress for line in d.plan if line.line == "revenue"), None)
    if revenue is not None and revenue.ytd_completion is not None:
        pdf.para(_("In January %(percent)s%% of the sales plan was completed.", percent=revenue.ytd_completion)
                 if month == 1 else
                 _("From January to month %(month)s, %(percent)s%% of the sales plan was completed.", month=month,
                   percent=revenue.ytd_completion))
    # Headings wrap at spaces within their narrow columns (English ones are longer than the figures under
    # them; the Chinese ones fit on a line).
    style = ParagraphStyle("plan-heading", parent=pdf.s["cell"], fontSize=8.5, leading=10.5, wordWrap=None)
    header = [Paragraph(escape(text), style) for text in (
        _("Unit"), _("This month"), _("Month's budget"), _("Month's completion"),
        _("Months 1–%(month)s", month=month) if month > 1 else _("January to date"), _("Budget to date"),
        _("Completion to date"), _("Annual target"), _("Year's completion"))]
    for line in d.plan:
        measures = {row.measure for row in line.units + [line.company] if row.measure}
        shared = measures.pop() if len(measures) == 1 else None
        label = PLAN_LABELS[line.line]
        pdf.para(_("%(title)s (%(measure)s)", title=label, measure=shared) if shared else str(label), "body")
        rows = [header]
        if not any(rules.adds_up(row.measure) for row in line.units + [line.company] if row.measure):
            # A rate's month is held against its budget or, without one, the annual target.
            rows = [header[:2] + [Paragraph(escape(_("Target or budget")), style)] + header[3:]]
        for row in line.units + [line.company]:
            name = row.unit.name if row.unit is not None else _("Company")
            if shared is None and row.measure:
                name = _("%(title)s (%(measure)s)", title=name, measure=row.measure)
            p = row.progress
            rows.append([name] + (["—"] * 8 if p is None else [
                figure(p.month_value), figure(p.month_budget), percent(p.month_completion), figure(p.ytd_value),
                figure(p.ytd_budget), percent(p.ytd_completion), figure(p.annual), percent(p.year_completion)]))
        pdf.table(rows, [36 * mm] + [18 * mm] * 8,
                  [("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                   ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#f3f6fa"))])
        pdf.story.append(Spacer(1, 3 * mm))


def _breaches(pdf: Pdf, items) -> None:
    """Every breach of the month: the rule, what it compared with, the variance and the unit's answer."""
    pdf.para(_("7. Indicator breaches"), "heading")
    if not items:
        pdf.para(_("none"))
        return
    rows = []
    for b in items:
        ind, value = b.indicator, b.value
        measured = figure(b.measured)
        if ind.rule == "behind_progress":
            measured = _("Year to date %(value)s", value=measured)
        if b.cause and b.explanation:
            answer = _("%(label)s: %(value)s", label=CAUSE_LABELS[b.cause], value=b.explanation)
        else:
            answer = str(CAUSE_LABELS[b.cause]) if b.cause else b.explanation or _("Not explained")
        variance = figure(value.variance)
        rows.append([f"{ind.code} {ind.name}", ind.unit.name if ind.unit else _("Company"), RULE_LABELS[ind.rule],
                     f"{COMPARED_LABELS[ind.rule]}\n{figure(value.compared_with)}", measured,
                     variance if variance.startswith(("-", "—")) else f"+{variance}", ind.measure or "—",
                     ind.risk.code if ind.risk else "—", answer])
    pdf.rows([_("Indicator"), _("Unit"), _("Rule"), _("Compared with"), _("Value"), _("Variance"), _("Measure"),
              _("Linked risk"), _("Cause and explanation")], rows,
             [30 * mm, 22 * mm, 24 * mm, 22 * mm, 17 * mm, 14 * mm, 13 * mm, 14 * mm, 24 * mm], size=7.5,
             max_lines=30)
    pdf.story.append(Spacer(1, 4 * mm))
    pdf.para(_("The breached indicators over 24 months"), "body")
    for b in items:
        ind = b.indicator
        progress = ind.rule == "behind_progress"
        chart = charts.line_chart(
            [(h["period"], h["ytd"] if progress else h["value"], h["reference"], h["breached"]) for h in b.history],
            measure=ind.measure, value_label=_("Year to date") if progress else _("Value"),
            reference_label=COMPARED_LABELS[ind.rule])
        pdf.story.append(KeepTogether([Paragraph(escape(f"{ind.code} {ind.name}"), pdf.s["small"]),
                                       charts.drawing(chart, 180 * mm, 52 * mm), Spacer(1, 3 * mm)]))


def _register(pdf: Pdf, rows) -> None:
    """Every graded risk in ranking order."""
    pdf.rows([_("Rank"), _("Code"), _("Risk"), _("Unit"), "L×I", _("Score"), _("Level"), _("Trend")],
             [[r.rank, r.code, r.title, r.unit, f"{r.likelihood}×{r.impact}", r.score, LEVEL_LABELS[r.level],
               TREND_SYMBOLS[r.trend]] for r in rows],
             [12 * mm, 20 * mm, 62 * mm, 30 * mm, 12 * mm, 12 * mm, 20 * mm, 12 * mm], max_lines=2)


def _heatmap(pdf: Pdf, heat: dict) -> None:
    size_l = max(c["likelihood"] for c in heat["cells"])
    size_i = max(c["impact"] for c in heat["cells"])
    cells = {(c["likelihood"], c["impact"]): c for c in heat["cells"]}
    rows = [[_("L \\ I")] + [str(i) for i in range(1, size_i + 1)]]
    extra = []
    for row, l in enumerate(range(size_l, 0, -1), 1):
        rows.append([str(l)] + [str(cells[(l, i)]["count"] or "") for i in range(1, size_i + 1)])
        for i in range(1, size_i + 1):
            level = cells[(l, i)]["level"]
            extra.append(("BACKGROUND", (i, row), (i, row), colors.HexColor(LEVEL_COLOURS[level])))
            if level in ("low", "major"):
                extra.append(("TEXTCOLOR", (i, row), (i, row), colors.white))
    extra += [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("FONTSIZE", (1, 1), (-1, -1), 11)]
    pdf.table(rows, [18 * mm] + [16 * mm] * size_i, extra)
    pdf.para(_("Rows: likelihood; columns: impact; each cell counts the risks graded there."), "small")


def _warnings(pdf: Pdf, items) -> None:
    if not items:
        pdf.para(_("none"))
        return
    pdf.rows([_("Code"), _("Risk"), _("Level"), _("Why"), _("Response"), _("Progress"), _("Status")],
             [[w.code, w.title, LEVEL_LABELS.get(w.level, "—") if w.level else "—",
               WARNING_REASON_LABELS[w.reason], w.response or "—", f"{w.progress}%", WARNING_STATUS_LABELS[w.status]]
              # The code column holds an indicator's code too (SC-NET-PROFIT), whole.
              for w in items], [24 * mm, 36 * mm, 20 * mm, 25 * mm, 43 * mm, 14 * mm, 18 * mm], size=8, max_lines=30)


def render_annual(data: AnnualData, language: str = "zh_CN") -> bytes:
    with force_locale(language):
        return _annual(data)


def _annual(d: AnnualData) -> bytes:
    pdf = Pdf(_("%(year)s annual summary of risk work", year=d.year))
    pdf.para(pdf.title, "title")
    pdf.para(_("1. Risks by level, month by month"), "heading")
    rows = [[_("Month")] + [str(LEVEL_LABELS[level]) for level in LEVELS] + [_("Total")]]
    rows += [[period] + _level_row(counts) for period, counts in d.months]
    pdf.table(rows, [30 * mm] + [28 * mm] * 5)
    pdf.para(_("2. Major risks of the year (highest grade)"), "heading")
    rows = [[_("Rank"), _("Code"), _("Risk"), _("Unit"), "L×I", _("Score"), _("Level"), _("Month")]]
    rows += [[r.rank, r.code, r.title, r.unit, f"{r.likelihood}×{r.impact}", r.score, str(LEVEL_LABELS[r.level]),
              r.period] for r in d.top]
    pdf.table(rows, [11 * mm, 18 * mm, 56 * mm, 30 * mm, 13 * mm, 12 * mm, 22 * mm, 18 * mm])
    pdf.para(_("3. Incidents and losses by quarter"), "heading")
    rows = [[_("Quarter"), _("Loss events"), _("Near misses"), _("Gross loss (yuan)"), _("Net loss (yuan)")]]
    rows += [[q, t.loss_events, t.near_misses, money(t.gross), money(t.net)] for q, t in d.incidents_by_quarter]
    pdf.table(rows, [30 * mm, 30 * mm, 30 * mm, 45 * mm, 45 * mm])
    s = d.supervision
    pdf.para(_("4. Efficiency supervision"), "heading")
    pdf.para(_("%(p)s projects filed, %(c)s closed; %(r)s recommendations, %(v)s verified (%(t)s on time), "
               "%(o)s overdue; closed-loop rate %(rate)s%%; direct economic benefit %(money)s yuan.",
               p=s.projects, c=s.closed, r=s.recommendations, v=s.verified, t=s.verified_on_time, o=s.overdue,
               rate=s.closed_loop_rate, money=money(s.economic_benefit)))
    pdf.story.append(Spacer(1, 4 * mm))
    return pdf.build()
