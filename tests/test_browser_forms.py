"""Every form of the register, reports, settings and profile pages, driven in Chromium as a person would:
a bad value comes back with every typed value kept, the error at the field and nothing stored; a good one
is stored, checked through the API or the database."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from browser import ARTIFACTS, check_page, screenshots, sign_in
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
    page.get_by_label("风险名称", exact=True).fill("大客户回款逾期")
    page.get_by_label("责任人").fill("李明")
    page.get_by_label("应对策略").select_option(label="风险降低")
    page.get_by_label("风险源").fill("重点客户资金紧张")
    page.get_by_label("风险成因").fill("信用审批不严")
    page.get_by_label("控制措施").fill("每周对账，逾期停货")
    check_page(page)
    page.get_by_role("button", name="保存").click()
    expect_refused(page, "category", "请选择风险分类。")
    expect(page.get_by_label("风险名称", exact=True)).to_have_value("大客户回款逾期")
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
    page.get_by_label("风险名称", exact=True).fill("区域价格战")
    page.get_by_label("风险分类").select_option("market")
    page.get_by_role("button", name="保存").click()
    expect_refused(page, "unit", "请选择单位。")
    expect(page.get_by_label("风险名称", exact=True)).to_have_value("区域价格战")
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
    expect_refused(page, "cell_2_3", "可能性2 × 影响3：单元格 可能性3×影响3（重要风险）的等级低于单元格 可能性2×影响3（重大风险），"
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


def test_a_wrong_password_at_sign_in_keeps_the_name_and_says_so_at_the_field(server, browser_page, company):
    page = browser_page
    page.goto(server + "/login")
    page.get_by_label("用户名").fill("officer_bj")
    page.get_by_label("密码").fill("wrong-horse")
    page.get_by_role("button", name="登录").click()
    expect_refused(page, "password", "用户名或密码错误。")
    expect(page.get_by_label("用户名")).to_have_value("officer_bj")
    expect(page.get_by_label("密码")).to_have_value("")  # a password is never sent back
    # The refusal is a 401, which Chromium logs; nothing else went wrong.
    assert [e for e in page.console_errors if "401" not in e] == []
    page.console_errors.clear()
    check_page(page)


def test_indicator_forms_redraw_with_what_was_typed(server, browser_page, company, app):
    created = company.indicator("COLL-BJ", "北京回款率", rule="below_target", annual=95, unit="BJ",
                                years=(int(this_month()[:4]),))
    ind = created["id"]
    page = browser_page
    sign_in(page, server, "manager")
    page.goto(f"{server}/indicators/sheet?unit=BJ&period={this_month()}")
    page.locator(f"#v_{ind}").fill("九十")
    page.locator(f"#v_{ind}").press("Enter")
    expect_refused(page, f"v_{ind}", "必须是数字。")
    expect(page.locator(f"#v_{ind}")).to_have_value("九十")
    assert sql(app, "SELECT count(*) FROM indicator_values") == [(0,)]
    check_page(page)
    # The new-indicator form: a risk that does not exist.
    page.goto(server + "/indicators/new")
    page.locator("#code").fill("COLL-SH")
    page.locator("#name").fill("上海回款率")
    page.locator("#rule").select_option("below_target")
    page.locator("#risk").fill("SH-999")
    page.get_by_role("button", name="保存").click()
    expect_refused(page, "risk", "未知风险。")
    expect(page.locator("#code")).to_have_value("COLL-SH")
    expect(page.locator("#name")).to_have_value("上海回款率")
    expect(page.locator("#rule")).to_have_value("below_target")
    expect(page.locator("#risk")).to_have_value("SH-999")
    assert company.manager.get("/indicators").get_json()["total"] == 1
    check_page(page)
    # A good value is stored, and the sheet says it breached.
    page.goto(f"{server}/indicators/sheet?unit=BJ&period={this_month()}")
    page.locator(f"#v_{ind}").fill("92.5")
    page.locator(f"#v_{ind}").press("Enter")
    expect(page.locator(".flash-error")).to_have_text("超出预警：COLL-BJ。")
    assert sql(app, "SELECT period, value, breached FROM indicator_values") == [(this_month(), 92.5, 1)]


def test_the_report_form_keeps_the_kind_and_period_typed(server, browser_page, company, app):
    page = browser_page
    sign_in(page, server, "manager")
    page.goto(server + "/reports")
    page.get_by_label("报告", exact=True).select_option("quarterly")
    page.get_by_label("报告期间").fill("2026-07")
    page.get_by_label("新版本").check()
    page.get_by_role("button", name="生成").click()
    expect_refused(page, "period", "季度资料包的期间应为季度，例如 2026-Q3。")
    expect(page.get_by_label("报告", exact=True)).to_have_value("quarterly")
    expect(page.get_by_label("报告期间")).to_have_value("2026-07")
    expect(page.get_by_label("新版本")).to_be_checked()
    assert sql(app, "SELECT count(*) FROM reports") == [(0,)]
    assert "quarterly" not in page.locator(".error-summary").inner_text()
    check_page(page)


def test_settings_and_admin_forms_keep_what_was_typed(server, browser_page, company, app):
    page = browser_page
    sign_in(page, server, "manager")
    categories = sql(app, "SELECT count(*) FROM risk_categories")
    page.goto(server + "/categories")
    page.get_by_label("编码").fill("价格 风险")
    page.get_by_label("名称", exact=True).fill("渠道价格风险")
    page.get_by_label("英文名称").fill("Channel price")
    page.get_by_label("上级分类").select_option("market")
    page.get_by_role("button", name="新增").click()
    expect_refused(page, "code")
    expect(page.get_by_label("编码")).to_have_value("价格 风险")
    expect(page.get_by_label("名称", exact=True)).to_have_value("渠道价格风险")
    expect(page.get_by_label("英文名称")).to_have_value("Channel price")
    expect(page.get_by_label("上级分类")).to_have_value("market")
    assert sql(app, "SELECT count(*) FROM risk_categories") == categories
    check_page(page)
    page.get_by_label("编码").fill("channel_price")
    page.get_by_role("button", name="新增").click()
    expect(page.locator(".flash-info")).to_have_text("风险分类 channel_price 已添加。")
    body = [c for c in company.manager.get("/categories").get_json() if c["code"] == "channel_price"]
    assert body == [{"code": "channel_price", "name": "渠道价格风险", "name_en": "Channel price", "parent": "market"}]

    page.get_by_role("button", name="退出").click()
    sign_in(page, server, "admin")
    units = sql(app, "SELECT count(*) FROM units")
    page.goto(server + "/units")
    page.get_by_label("编码").fill("广东")
    page.get_by_label("名称").fill("广东销售分公司")
    page.get_by_label("类型").select_option("management")
    page.get_by_role("button", name="新增").click()
    expect_refused(page, "code")
    expect(page.get_by_label("编码")).to_have_value("广东")
    expect(page.get_by_label("名称")).to_have_value("广东销售分公司")
    expect(page.get_by_label("类型")).to_have_value("management")
    assert sql(app, "SELECT count(*) FROM units") == units
    check_page(page)

    page.goto(server + "/users")
    page.get_by_label("用户名").fill("officer_bj")
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("电子邮箱").fill("lisi@example.com")
    page.get_by_label("角色").select_option("unit_head")
    page.get_by_label("单位").select_option("SH")
    page.get_by_label("初始密码").fill("a-long-password")
    page.get_by_role("button", name="新增").click()
    expect_refused(page, "username", "已被占用。")
    expect(page.get_by_label("用户名")).to_have_value("officer_bj")
    expect(page.get_by_label("姓名")).to_have_value("李四")
    expect(page.get_by_label("电子邮箱")).to_have_value("lisi@example.com")
    expect(page.get_by_label("角色")).to_have_value("unit_head")
    expect(page.get_by_label("单位")).to_have_value("SH")
    assert sql(app, "SELECT count(*) FROM users WHERE display_name = '李四'") == [(0,)]
    check_page(page)


def test_profile_forms_keep_what_was_typed(server, browser_page, company, app):
    page = browser_page
    sign_in(page, server, "officer_bj")
    before = sql(app, "SELECT password_hash FROM users WHERE username = 'officer_bj'")
    page.goto(server + "/profile")
    page.get_by_label("当前密码", exact=True).first.fill("not-my-password")
    page.get_by_label("新密码").fill("another-long-password")
    page.get_by_role("button", name="修改密码").click()
    expect_refused(page, "current_password", "当前密码不正确。")
    assert sql(app, "SELECT password_hash FROM users WHERE username = 'officer_bj'") == before
    check_page(page)


def test_import_and_grade_forms_keep_what_was_typed(server, browser_page, company, app, tmp_path):
    risk = company.risk("浏览器评估的风险")
    page = browser_page
    sign_in(page, server, "officer_bj")
    page.goto(server + "/imports")
    page.get_by_label("文件内容").select_option("assessments")
    page.get_by_label("评估月份（导入评估结果时）").fill("2026-13")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a workbook", encoding="utf-8")
    page.get_by_label("文件（.xlsx 或 .csv）").set_input_files(str(notes))
    page.get_by_role("button", name="导入").click()
    expect_refused(page, "file", "请上传 .xlsx 或 .csv 文件。")
    expect(page.get_by_label("文件内容")).to_have_value("assessments")
    expect(page.get_by_label("评估月份（导入评估结果时）")).to_have_value("2026-13")
    assert sql(app, "SELECT count(*) FROM import_jobs") == [(0,)]
    check_page(page)

    page.goto(f"{server}/risks/{risk['id']}")
    page.get_by_label("月份").fill("2026-13")
    page.get_by_label("发生可能性").select_option("4")
    page.get_by_label("影响程度", exact=True).select_option("2")
    page.get_by_label("评估理由").fill("客户集中度上升")
    page.get_by_role("button", name="保存评估").click()
    expect_refused(page, "period")
    expect(page.get_by_label("月份")).to_have_value("2026-13")
    expect(page.get_by_label("发生可能性")).to_have_value("4")
    expect(page.get_by_label("影响程度", exact=True)).to_have_value("2")
    expect(page.get_by_label("评估理由")).to_have_value("客户集中度上升")
    assert sql(app, "SELECT count(*) FROM assessments") == [(0,)]
    check_page(page)


def test_screenshots_of_the_form_pages(server, browser_page, company):
    page = browser_page
    risk = company.risk("截图用的风险")
    company.indicator("COLL-BJ", "北京回款率", unit="BJ")
    sign_in(page, server, "manager")
    for path, name in (("/risks/new", "forms-risk-new"), (f"/risks/{risk['id']}/edit", "forms-risk-edit"),
                       (f"/risks/{risk['id']}", "forms-risk-detail"), ("/risks", "forms-risk-list"),
                       ("/standard", "forms-standard"), ("/categories", "forms-categories"),
                       ("/indicators", "forms-indicators"), ("/reports", "forms-reports"),
                       ("/imports", "forms-imports"), ("/profile", "forms-profile")):
        overflow = screenshots(page, server, path, name)
        assert overflow == {(lang, width): 0 for lang in ("zh", "en") for width in ("wide", "phone")}, path
        check_page(page)
    # A refused standard, as the manager sees it.
    page.goto(server + "/standard")
    page.locator("#cell_2_3").select_option("major")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.locator("#cell_2_3-error")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "forms-standard-refused-zh-wide.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(server + "/risks/new")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#category-error")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "forms-risk-new-refused-zh-phone.png"), full_page=True)

