"""PDF building blocks: a CJK font that embeds and extracts, the shared paragraph styles and a document."""
from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from flask import current_app
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

log = logging.getLogger(__name__)
FONT_NAME = "RiskflowCJK"
# Debian's packages, in order of preference; Noto CJK is left out: reportlab cannot read its outlines.
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FALLBACK = "STSong-Light"


@lru_cache(maxsize=4)
def cjk_font(configured: str | None = None) -> tuple[str, bool]:
    """Register the CJK font and return (name, embedded).

    A configured path wins, then Debian's fonts; reportlab's built-in CID font is the last resort:
    it renders in most readers but is not embedded, so a warning is logged.
    """
    paths = ([configured] if configured else []) + list(CANDIDATES)
    for path in paths:
        if path and Path(path).is_file():
            kwargs = {"subfontIndex": 0} if path.endswith(".ttc") else {}
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, **kwargs))
            return FONT_NAME, True
    log.warning("no CJK TrueType font found (install fonts-wqy-microhei or set RISKFLOW_FONT); "
                "PDFs use the non-embedded %s", FALLBACK)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK, False


def styles(font: str) -> dict[str, ParagraphStyle]:
    """Title, heading, body and small styles in FONT, with line breaking for Chinese."""
    base = dict(fontName=font, wordWrap="CJK", leading=18, fontSize=11)
    return {
        "title": ParagraphStyle("title", **{**base, "fontSize": 18, "leading": 26, "alignment": TA_CENTER,
                                            "spaceAfter": 12}),
        "subtitle": ParagraphStyle("subtitle", **{**base, "fontSize": 11, "alignment": TA_CENTER,
                                                  "textColor": colors.HexColor("#52606d"), "spaceAfter": 12}),
        "heading": ParagraphStyle("heading", **{**base, "fontSize": 13, "leading": 20, "spaceBefore": 10,
                                                "spaceAfter": 6}),
        "body": ParagraphStyle("body", **{**base, "spaceAfter": 6}),
        "small": ParagraphStyle("small", **{**base, "fontSize": 9, "leading": 13}),
        "cell": ParagraphStyle("cell", **{**base, "fontSize": 9, "leading": 12}),
    }


def escape(text) -> str:
    """Text safe inside a reportlab Paragraph (which reads a little XML)."""
    return (str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", "<br/>"))


def _is_dark(colour: str) -> bool:
    c = colors.HexColor(colour)
    return 0.299 * c.red + 0.587 * c.green + 0.114 * c.blue < 0.6


class FastTable(Flowable):
    """A plain table drawn straight onto the canvas, for lists that may run to thousands of rows.

    reportlab's Table measures every cell again on each split, so ten thousand rows took ten seconds and
    more; here each cell is broken into lines once, by character width (CJK text breaks anywhere, other
    text at a space), and each page draws its rows with one text object. The header repeats on every
    page; FILLS colours single cells ({(row, column): "#rrggbb"}, rows counted without the header).
    """

    padding = 1.6

    def __init__(self, header, rows, widths, font, size=7.5, fills=None, max_lines=4, _prepared=None):
        super().__init__()
        self.widths, self.font, self.size = list(widths), font, size
        self.leading = size * 1.3
        self.max_lines = max_lines
        if _prepared is None:
            fills = fills or {}
            self.header = self._prepare(header, {})
            _prepared = [self._prepare(row, {col: fills[(n, col)] for col in range(len(row)) if (n, col) in fills})
                         for n, row in enumerate(rows)]
        else:
            self.header = header
        self.rows = _prepared

    def _prepare(self, row, fills):
        cells = [wrap_text(str(text if text is not None else ""), self.font, self.size,
                           width - 2 * self.padding - 1, self.max_lines) for text, width in zip(row, self.widths)]
        height = max(len(lines) for lines in cells) * self.leading + 2 * self.padding
        return cells, height, fills

    def wrap(self, available_width, available_height):
        self.width = sum(self.widths)
        self.height = self.header[1] + sum(height for _cells, height, _fills in self.rows)
        return self.width, self.height

    def split(self, available_width, available_height):
        room = available_height - self.header[1]
        fit = 0
        for _cells, height, _fills in self.rows:
            if height > room:
                break
            room -= height
            fit += 1
        if fit == 0:
            return []
        if fit == len(self.rows):
            return [self]
        return [self._part(self.rows[:fit]), self._part(self.rows[fit:])]

    def _part(self, rows):
        return FastTable(self.header, None, self.widths, self.font, self.size, max_lines=self.max_lines,
                         _prepared=rows)

    def draw(self):
        canvas = self.canv
        edges = [0.0]
        for width in self.widths:
            edges.append(edges[-1] + width)
        text = canvas.beginText()
        text.setFont(self.font, self.size)
        rules = []
        top = self.height
        for index, (cells, height, fills) in enumerate([self.header] + self.rows):
            bottom = top - height
            row_fills = {col: HEADER_FILL for col in range(len(cells))} if index == 0 else fills
            for col, colour in row_fills.items():
                canvas.setFillColor(colors.HexColor(colour))
                canvas.rect(edges[col], bottom, self.widths[col], height, stroke=0, fill=1)
            for col, lines in enumerate(cells):
                dark = col in row_fills and _is_dark(row_fills[col])
                if dark:
                    text.setFillColor(colors.white)
                y = top - self.padding - self.size * 0.9
                for line in lines:
                    text.setTextOrigin(edges[col] + self.padding + 0.5, y)
                    text.textOut(line)
                    y -= self.leading
                if dark:
                    text.setFillColor(colors.black)
            rules.append((0, bottom, edges[-1], bottom))
            top = bottom
        canvas.setFillColor(colors.black)
        canvas.drawText(text)
        rules.append((0, self.height, edges[-1], self.height))
        rules += [(x, 0, x, self.height) for x in edges]
        canvas.setStrokeColor(colors.HexColor(RULE_COLOUR))
        canvas.setLineWidth(0.3)
        canvas.lines(rules)


HEADER_FILL = "#e4ecf7"
RULE_COLOUR = "#9fb3c8"


def wrap_text(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """TEXT broken into lines no wider than WIDTH points; past MAX_LINES the last line ends in "…"."""
    measure = pdfmetrics.getFont(font).stringWidth
    if measure(text, size) <= width and "\n" not in text:
        return [text]
    lines, line, used, last_space = [], [], 0.0, -1
    for ch in text.replace("\r", ""):
        if ch == "\n":
            lines.append("".join(line))
            line, used, last_space = [], 0.0, -1
            continue
        w = measure(ch, size)
        if used + w > width and line:
            if ch != " " and last_space > 0 and ord(ch) < 0x2E80:
                carried = line[last_space + 1:]
                lines.append("".join(line[:last_space]))
                line = carried
            else:
                lines.append("".join(line))
                line = []
            used, last_space = measure("".join(line), size), -1
            if ch == " " and not line:
                continue
        if ch == " ":
            last_space = len(line)
        line.append(ch)
        used += w
    lines.append("".join(line))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and measure(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


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

    def space(self, height):
        self.story.append(Spacer(1, height))

    def keep(self, caption: str, drawing):
        """A chart with its caption, on one page."""
        self.story.append(KeepTogether([Paragraph(escape(caption), self.s["small"]), drawing, Spacer(1, 3 * mm)]))

    def page_break(self):
        self.story.append(PageBreak())

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
