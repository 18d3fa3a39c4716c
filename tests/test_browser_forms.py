"""Every form of the register, reports, settings and profile pages, driven in Chromium as a person would:
a bad value comes back with every typed value kept, the error at the field and nothing stored; a good one
is stored, checked through the API or the database."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql


def this_month() -> str:
    return datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")


def risk_count(app) -> int:
    return sql(app, "SELECT count(*) FROM risks")[0][0]


def expect_refused(page, field_id, message=None):
    """The field FIELD_ID carries its error, and the form's summary lists it."""
    field = page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{field_id}-error")
    if message is None:
        expect(error).to_be_visible()
    else:
        expect(error).to_have_text(message)
    expect(page.locator(".error-summary")).to_be_visible()


def test_an_officer_registers_a_risk_on_the_web_and_a_forgotten_category_is_asked_for(
        server, browser_page, company, make, app):
    make.unit("JJ", "纪检监察室", kind="inspection")
    page = browser_page
    sign_in(page, server, "officer_bj")
    page.goto(server + "/risks")
    page.get_by_role("link", name="登记风险").click()
    expect(page.get_by_role("heading", name="登记风险")).to_be_visible()
    # The category starts on an empty choice; the officer's only unit is their own.
    expect(page.get_by_label("风险分类")).to_have_value("")
    expect(page.locator("#category option").first).to_have_text("请选择")
    assert page.locator("#unit option").all_inner_texts() == ["BJ 北京销售分公司"]
    expect(page.locator("#status")).to_have_count(0)
    page.get_by_label("风险", exact=True).fill("大客户回款逾期")
    page.get_by_label("责任人").fill("李明")
    page.get_by_label("应对策略").select_option(label="风险降低")
    page.get_by_label("风险源").fill("重点客户资金紧张")
    page.get_by_label("风险成因").fill("信用审批不严")
    page.get_by_label("控制措施").fill("每周对账，逾期停货")
    check_page(page)
    page.get_by_role("button", name="保存").click()
    expect_refused(page, "category", "请选择风险分类。")
    expect(page.get_by_label("风险", exact=True)).to_have_value("大客户回款逾期")
    expect(page.get_by_label("责任人")).to_have_value("李明")
    expect(page.get_by_label("应对策略")).to_have_value("reduce")
    expect(page.get_by_label("风险源")).to_have_value("重点客户资金紧张")
    expect(page.get_by_label("风险成因")).to_have_value("信用审批不严")
    expect(page.get_by_label("控制措施")).to_have_value("每周对账，逾期停货")
    assert risk_count(app) == 0
    check_page(page)
    page.get_by_label("风险分类").select_option("receivables")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-info")).to_have_text("风险 BJ-001 已登记。")
    expect(page.get_by_role("heading", name="BJ-001 大客户回款逾期")).to_be_visible()
    check_page(page)
    items = company.manager.get("/risks").get_json()["items"]
    assert [{k: r[k] for k in ("code", "title", "category", "unit", "owner", "source", "causes",
                                "response_strategy", "measures", "status", "version")} for r in items] == [{
        "code": "BJ-001", "title": "大客户回款逾期", "category": "receivables", "unit": "BJ", "owner": "李明",
        "source": "重点客户资金紧张", "causes": "信用审批不严", "response_strategy": "reduce",
        "measures": "每周对账，逾期停货", "status": "active", "version": 1}]


def test_the_risk_manager_registers_a_risk_for_a_sales_unit_and_edits_it_past_someone_elses_change(
        server, browser_page, company, make, app):
    make.unit("JJ", "纪检监察室", kind="inspection")
    page = browser_page
    sign_in(page, server, "manager")
    page.goto(server + "/risks/new")
    # Only sales units: the inspection office keeps no risks.
    assert page.locator("#unit option").all_inner_texts() == ["请选择", "BJ 北京销售分公司", "SH 上海销售分公司"]
    page.get_by_label("风险", exact=True).fill("区域价格战")
    page.get_by_label("风险分类").select_option("market")
    page.get_by_role("button", name="保存").click()
    expect_refused(page, "unit", "请选择单位。")
    expect(page.get_by_label("风险", exact=True)).to_have_value("区域价格战")
    expect(page.get_by_label("风险分类")).to_have_value("market")
    assert risk_count(app) == 0
    page.get_by_label("单位").select_option("SH")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-info")).to_have_text("风险 SH-001 已登记。")
    risk_id = company.manager.get("/risks").get_json()["items"][0]["id"]

    # The edit page; meanwhile someone else saves the risk through the API.
    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_label("状态")).to_have_value("active")
    page.get_by_label("责任人").fill("周强")
    page.get_by_label("控制措施").fill("价格联动机制")
    check_page(page)
    assert company.manager.patch(f"/risks/{risk_id}", {"version": 1, "owner": "别人"}).status_code == 200
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error-summary")).to_contain_text("版本已过期")
    expect(page.get_by_label("责任人")).to_have_value("周强")
    expect(page.get_by_label("控制措施")).to_have_value("价格联动机制")
    assert company.manager.get(f"/risks/{risk_id}").get_json()["owner"] == "别人"
    check_page(page)
    # Read again, change again, saved.
    page.goto(f"{server}/risks/{risk_id}/edit")
    expect(page.get_by_label("责任人")).to_have_value("别人")
    page.get_by_label("责任人").fill("周强")
    page.get_by_label("状态").select_option("retired")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-info")).to_have_text("风险 SH-001 已保存。")
    stored = company.manager.get(f"/risks/{risk_id}").get_json()
    assert {k: stored[k] for k in ("code", "title", "category", "unit", "owner", "measures", "status",
                                   "version")} == {
        "code": "SH-001", "title": "区域价格战", "category": "market", "unit": "SH", "owner": "周强",
        "measures": "", "status": "retired", "version": 3}


def test_the_risk_manager_edits_the_standard_with_an_error_then_a_fix(server, browser_page, company):
    page = browser_page
    sign_in(page, server, "manager")
    page.goto(server + "/standard")
    expect(page.locator("li", has_text="第 1 版")).to_contain_text("默认标准（国资委 2006 年指引）")
    page.locator("#l_name_1").fill("罕见")
    page.locator("#band_significant_min").fill("八")
    page.locator("#cell_2_3").select_option(label="重大风险")
    page.get_by_label("版本说明").fill("2027 年标准")
    page.get_by_role("button", name="保存为新版本").click()
    # A number that is not one: refused at its input, everything typed is still there.
    expect_refused(page, "band_significant_min", "必须是整数。")
    expect(page.locator("#l_name_1")).to_have_value("罕见")
    expect(page.locator("#band_significant_min")).to_have_value("八")
    expect(page.locator("#cell_2_3")).to_have_value("major")
    expect(page.get_by_label("版本说明")).to_have_value("2027 年标准")
    expect(page.locator(".flash-error")).to_have_count(0)
    assert company.manager.get("/standard").get_json()["version"] == 1
    check_page(page)
    # The number fixed, the cell colouring is inconsistent: said once, at the cell, with level names.
    page.locator("#band_significant_min").fill("8")
    page.get_by_role("button", name="保存为新版本").click()
    expect_refused(page, "cell_2_3", "单元格 可能性3×影响3（重要风险）的等级低于单元格 可能性2×影响3（重大风险），"
                                     "而后者在两个维度上都不比前者严重 单元格 可能性2×影响4（重要风险）的等级低于"
                                     "单元格 可能性2×影响3（重大风险），而后者在两个维度上都不比前者严重")
    expect(page.locator("#band_significant_min")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#l_name_1")).to_have_value("罕见")
    assert "significant" not in page.locator("main").inner_text()
    assert company.manager.get("/standard").get_json()["version"] == 1
    check_page(page)
    # Fixed: saved as version 2.
    page.locator("#cell_2_3").select_option(label="按分值")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.locator(".flash-info")).to_have_text("第 2 版评估标准已生效；以往的评估结果保留其原有版本。")
    body = company.manager.get("/standard").get_json()
    assert body["version"] == 2
    assert [lv["name"] for lv in body["likelihood"]] == ["罕见", "低", "中等", "高", "极高"]
    assert [(b["code"], b["min_score"]) for b in body["bands"]] == [
        ("low", 1), ("general", 4), ("significant", 8), ("major", 15)]
    assert next(c for c in body["cells"] if (c["likelihood"], c["impact"]) == (2, 3))["level"] == "general"
    expect(page.locator("li", has_text="第 2 版")).to_contain_text("2027 年标准")
    check_page(page)
