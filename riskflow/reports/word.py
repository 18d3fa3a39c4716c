"""The reports as Word documents (python-docx): the same walk over the collected figures as the PDF
(render.py writes to either document), fonts named so that Word substitutes the local ones."""
from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from ..pdf import styles
from ..xlsx import xml_text

# The fonts of Chinese official documents: body 仿宋, headings 黑体, the title 宋体 (Word falls back to what
# the machine has; the Latin names help Word on an English system).
FONTS = {"body": ("FangSong", "仿宋"), "heading": ("SimHei", "黑体"), "title": ("SimSun", "宋体")}
SIZES = {"title": 18, "subtitle": 11, "heading": 14, "body": 11, "small": 9}
CELL_SIZE = 9


def _name_fonts(style, latin: str, east_asia: str) -> None:
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def _text(cell) -> str:
    """A cell as text: reportlab Paragraphs (the plan's headings) by their plain text."""
    plain = getattr(cell, "getPlainText", None)
    return plain() if plain else ("" if cell is None else str(cell))


def _hex(colour) -> str:
    value = colour.hexval() if hasattr(colour, "hexval") else str(colour)
    return value.replace("0x", "").replace("#", "").upper()[-6:]


class Word:
    """A Word document under construction, with the Pdf's methods (para, table, rows, chart, page_break)."""

    s = styles("Helvetica")  # the plan's headings are built as Paragraphs in these; only their text is read

    def __init__(self, title: str):
        self.title = title
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(15)
        section.top_margin, section.bottom_margin = Mm(18), Mm(15)
        self.doc.core_properties.title, self.doc.core_properties.author = title, "riskflow"
        styles = self.doc.styles
        _name_fonts(styles["Normal"], *FONTS["body"])
        styles["Normal"].font.size = Pt(SIZES["body"])
        for name in ("Title", "Heading 1", "Heading 2"):
            style = styles[name]
            _name_fonts(style, *FONTS["title" if name == "Title" else "heading"])
            style.font.color.rgb = RGBColor(0, 0, 0)
        styles["Title"].font.size = Pt(SIZES["title"])
        styles["Heading 1"].font.size = Pt(SIZES["heading"])
        cell = styles.add_style("RiskflowCell", WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = styles["Normal"]
        cell.font.size = Pt(CELL_SIZE)
        cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(0)
        self.tables = []  # (rows, widths, header_rows, fills, inks) of each table, written by build

    def para(self, text, style="body"):
        text = xml_text(text if text is not None else "")
        if style == "title":
            p = self.doc.add_heading(text, 0)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style == "heading":
            self.doc.add_heading(text, 1)
        else:
            p = self.doc.add_paragraph(text)
            if style == "subtitle":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if style in ("small", "subtitle"):
                for run in p.runs:
                    run.font.size = Pt(SIZES[style])

    def table(self, rows, widths, extra=(), header_rows=1):
        """A table; BACKGROUND and TEXTCOLOR commands of EXTRA (reportlab's) colour its cells."""
        fills, inks = {}, {}
        height, width = len(rows), max((len(r) for r in rows), default=0)
        for command in extra:
            if command[0] not in ("BACKGROUND", "TEXTCOLOR"):
                continue
            (c0, r0), (c1, r1) = command[1], command[2]
            c1, r1 = (width - 1 if c1 < 0 else c1), (height - 1 if r1 < 0 else r1)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    (fills if command[0] == "BACKGROUND" else inks)[(r, c)] = _hex(command[3])
        self._table(rows, widths, header_rows, fills, inks)

    def rows(self, header, rows, widths, fills=None, size=7.5, max_lines=4):
        """A long table; FILLS colours single cells ({(row, column): "#rrggbb"}, rows without the header)."""
        self._table([header] + list(rows), widths, 1, {(r + 1, c): _hex(v) for (r, c), v in (fills or {}).items()},
                    {})

    def _table(self, rows, widths, header_rows, fills, inks):
        # A table is written into the file row by row when the document is saved (see build): built as
        # python-docx objects, ten thousand rows took minutes and gigabytes.
        body = self.doc.element.body
        body.insert(len(body) - 1, parse_xml(f'<w:p {nsdecls("w")} w:rsidR="{PLACEHOLDER}{len(self.tables)}"/>'))
        self.tables.append((rows, widths, header_rows, fills, inks))
        self.doc.add_paragraph()

    def chart(self, drawing, caption: str = ""):
        """Charts stay in the PDF; the Word document names them."""

    def space(self, height):
        pass

    def keep(self, caption: str, drawing):
        self.para(caption, "small")

    def page_break(self):
        self.doc.add_page_break()

    def build(self) -> bytes:
        """The .docx: python-docx writes the document, then each table streams into its place."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        out = io.BytesIO()
        with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                if item.filename != "word/document.xml":
                    target.writestr(item, source.read(item.filename))
                    continue
                xml = source.read(item.filename).decode("utf-8")
                with target.open("word/document.xml", "w") as stream:
                    done = 0
                    for found in re.finditer(rf'<w:p w:rsidR="{PLACEHOLDER}(\d+)"\s*/>', xml):
                        stream.write(xml[done:found.start()].encode())
                        for chunk in _table_xml(*self.tables[int(found.group(1))]):
                            stream.write(chunk.encode())
                        done = found.end()
                    stream.write(xml[done:].encode())
        return out.getvalue()


PLACEHOLDER = "RF"  # w:rsidR of an empty paragraph standing for table N until the file is written


def _table_xml(rows, widths, header_rows, fills, inks):
    """A table's WordprocessingML, a row at a time; cells in the RiskflowCell paragraph style."""
    twips = [int(w / 72 * 1440) for w in widths]  # reportlab widths are points
    yield ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
           '<w:tblBorders>' + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="9FB3C8"/>'
                                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
           + '</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
           + "".join(f'<w:gridCol w:w="{t}"/>' for t in twips) + '</w:tblGrid>')
    for r, row in enumerate(rows):
        head = r < header_rows
        out = ['<w:tr><w:trPr><w:tblHeader/></w:trPr>' if head else '<w:tr>']
        for c, cell in enumerate(row):
            fill = fills.get((r, c)) or ("E4ECF7" if head else None)
            ink = inks.get((r, c))
            out.append(f'<w:tc><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>' if fill
                       else '<w:tc>')
            props = ('<w:b/>' if head else '') + (f'<w:color w:val="{ink}"/>' if ink else '')
            props = f'<w:rPr>{props}</w:rPr>' if props else ''
            for line in _text(cell).split("\n"):
                out.append(f'<w:p><w:pPr><w:pStyle w:val="RiskflowCell"/></w:pPr><w:r>{props}'
                           f'<w:t xml:space="preserve">{xml_escape(xml_text(line))}</w:t></w:r></w:p>')
            out.append('</w:tc>')
        out.append('</w:tr>')
        yield "".join(out)
    yield '</w:tbl>'

