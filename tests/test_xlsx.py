"""The streaming .xlsx writer: what openpyxl reads back is what was written."""
import io

from openpyxl import load_workbook

from riskflow import xlsx


def test_column_letters():
    assert [xlsx.column_letter(n) for n in (0, 12, 25, 26, 27, 701, 702)] == ["A", "M", "Z", "AA", "AB", "ZZ", "AAA"]


def test_values_styles_and_awkward_text_survive_a_round_trip():
    out = io.BytesIO()
    rows = [["R-1", "价格 <风险> & \"报价\"", 3, 2.5, xlsx.Fill("重大风险", "d62828")],
            ["R-2", "  leading space", None, 0, ""],
            ["R-3", "控制\x01字符\x1f被去掉", -4, 1e-3, xlsx.Fill("低风险", "2f6fdb")]]
    count = xlsx.write(out, "登记册 2026/10", ["编号", "名称", "可能性", "系数", "等级"], rows, [10, 30, 8, 8, 12],
                       ["D62828", "2F6FDB"])
    assert count == 3
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet.title == "登记册 2026 10"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["编号", "名称", "可能性", "系数", "等级"],
        ["R-1", "价格 <风险> & \"报价\"", 3, 2.5, "重大风险"],
        ["R-2", "  leading space", None, 0, None],
        ["R-3", "控制字符被去掉", -4, 0.001, "低风险"],
    ]
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert (sheet["E2"].fill.fgColor.rgb, sheet["E4"].fill.fgColor.rgb) == ("FFD62828", "FF2F6FDB")
    assert sheet["B2"].fill.fill_type is None
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 30
