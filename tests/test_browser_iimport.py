"""The indicators' import page in the browser: finance's workbook of targets imported and read back; a bad one
refused with every bad cell named and the kind and year kept; a month's values; the template downloaded."""
import io

from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from browser import ARTIFACTS, check_page, screenshots, sign_in
from conftest import sql

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADINGS = ["指标编码", "指标名称", "年度目标"] + [f"{m}月" for m in range(1, 13)]


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(page, name, data):
    page.get_by_label("文件（.xlsx 或 .csv）").set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    page.get_by_role("button", name="导入", exact=True).click()


def test_the_risk_manager_imports_finances_targets_and_a_bad_workbook_names_every_cell(server, browser_page, company,
                                                                                      app):
    page = browser_page
    revenue = company.indicator("BJ-REV", "销售收入", rule="below_budget", unit="BJ", measure="万元", years=())
    company.indicator("BJ-EXP", "销售费用", rule="above_budget", unit="BJ", measure="万元", carry_over=True, years=())
    sign_in(page, server, "manager")
    page.goto(server + "/indicators/import")
    check_page(page)

    # A bad workbook: nothing is stored, every bad cell is named, the kind and year stay as chosen.
    page.get_by_label("文件内容").select_option("targets")
    page.get_by_label("年度（导入目标时）").fill("2025")
    upload(page, "预算.xlsx", workbook([HEADINGS,
                                       ["BJ-REV", "销售收入", 1200, 100, 100, 100, 100, "一百", *[100] * 7],
                                       ["XX-1", "不存在", "", *[None] * 12],
                                       ["BJ-EXP", "销售费用", "abc", *[20] * 12]]))
    expect(page.locator("#file-error")).to_have_text("未导入任何内容：3 行有错误。")
    expect(page.locator("#file")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary").first).to_be_visible()
    expect(page.locator("#import-cells li")).to_have_text([
        "第 2 行「5月」：必须是数字。", "第 3 行「指标编码」：未知指标 XX-1。", "第 4 行「年度目标」：必须是数字。"])
    expect(page.get_by_label("文件内容")).to_have_value("targets")
    expect(page.get_by_label("年度（导入目标时）")).to_have_value("2025")
    check_page(page)
    assert sql(app, "SELECT count(*) FROM indicator_targets") == [(0,)]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "iimport-refused-zh-wide.png"), full_page=True)
    screenshots(page, server, "/indicators/import", "iimport-form")
    page.goto(server + "/indicators/import")

    # The corrected workbook goes in; the page says so and the API reads the figures back.
    page.get_by_label("年度（导入目标时）").fill("2025")
    upload(page, "预算.xlsx", workbook([HEADINGS, ["BJ-REV", "销售收入", 1200, *[100] * 11, None],
                                       ["BJ-EXP", "销售费用", 240, *[20] * 12]]))
    expect(page.locator(".flash-info")).to_have_text("已导入 2 个指标的 2025 年度目标。")
    expect(page.get_by_label("年度（导入目标时）")).to_have_value("2025")
    body = company.manager.get(f"/indicators/{revenue['id']}/targets/2025").get_json()
    assert (body["annual"], body["monthly"]) == (1200, [100] * 11 + [None])
    check_page(page)


def test_an_officer_imports_a_months_values_and_the_month_is_kept_on_refusal(server, browser_page, company, app):
    page = browser_page
    mine = company.indicator("BJ-REV", "销售收入", rule="below_budget", unit="BJ", measure="万元", years=())
    company.indicator("SH-REV", "销售收入", rule="below_budget", unit="SH", measure="万元", years=())
    assert company.manager.put(f"/indicators/{mine['id']}/targets/2026",
                               {"annual": 1200, "monthly": [100] * 12}).status_code == 200
    sign_in(page, server, "officer_bj")
    page.goto(server + "/indicators/import")
    expect(page.get_by_label("文件内容").locator("option")).to_have_text(["月度指标值"])
    page.get_by_label("月份（导入指标值时），如 2026-07").fill("2026-09")
    upload(page, "values.xlsx", workbook([["指标编码", "本月值"], ["BJ-REV", 95], ["SH-REV", 99]]))
    expect(page.locator("#import-cells li")).to_have_text(["第 3 行「指标编码」：未知指标 SH-REV。"])
    expect(page.get_by_label("月份（导入指标值时），如 2026-07")).to_have_value("2026-09")
    assert sql(app, "SELECT count(*) FROM indicator_values") == [(0,)]

    upload(page, "values.xlsx", workbook([["指标编码", "本月值"], ["BJ-REV", 95]]))
    expect(page.locator(".flash-info")).to_have_text("已导入 2026-09 的 1 个指标值（触发预警 1 个）。")
    values = company.officer_bj.get(f"/indicators/{mine['id']}/values?year=2026").get_json()["items"]
    assert [(v["period"], v["value"], v["compared_with"], v["breached"]) for v in values] == [("2026-09", 95, 100, True)]
    check_page(page)

    # The workbook to fill in lists the officer's own indicators under the headings the import reads.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载指标值导入模板").click()
    assert download.value.suggested_filename == "indicator-values.xlsx"
    rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes())).active.iter_rows(values_only=True))
    assert rows == [("指标编码", "指标名称", "本月值"), ("BJ-REV", "销售收入", None)]
    screenshots(page, server, "/indicators/import", "iimport-values")
