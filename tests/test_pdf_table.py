"""The long-list table of the reports: line breaking by width, pages split with the header repeated."""
import io

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import SimpleDocTemplate

from riskflow.pdf import FastTable, cjk_font, wrap_text


@pytest.fixture(scope="module")
def font():
    return cjk_font(None)[0]


def test_short_text_stays_on_one_line(font):
    assert wrap_text("价格风险", font, 10, 100, 4) == ["价格风险"]


def test_chinese_breaks_between_any_characters_and_keeps_every_character(font):
    text = "应收账款回款不及时导致资金占用增加并引发坏账损失的风险"
    lines = wrap_text(text, font, 10, 60, 10)
    assert "".join(lines) == text
    assert len(lines) == 5  # 27 full-width characters of 10 pt, at most 6 to a 60 pt line
    assert all(pdfmetrics.stringWidth(line, font, 10) <= 60 for line in lines)


def test_other_text_breaks_at_a_space(font):
    width = pdfmetrics.stringWidth("alpha beta", font, 10) + 1
    assert wrap_text("alpha beta alpha beta", font, 10, width, 4) == ["alpha beta", "alpha beta"]


def test_past_the_line_limit_the_last_line_ends_in_an_ellipsis(font):
    lines = wrap_text("风险" * 40, font, 10, 60, 2)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert pdfmetrics.stringWidth(lines[1], font, 10) <= 60


def test_a_table_of_many_rows_spans_pages_in_order_with_its_header_on_each(font):
    rows = [[f"R-{n:04d}", f"第{n}号风险：" + "库存积压" * (n % 4), "重大风险"] for n in range(600)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [FastTable(["编码", "风险", "等级"], rows, [25 * mm, 100 * mm, 25 * mm], font, fills={(3, 2): "#d62828"})])
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(buffer.getvalue())).pages]
    assert len(pages) > 5
    assert all(page.count("编码") == 1 for page in pages)
    text = "".join(pages)
    positions = [text.index(f"R-{n:04d}") for n in range(600)]
    assert positions == sorted(positions)
