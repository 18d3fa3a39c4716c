"""The indicator pages in Chromium: a year's targets, a month's sheet of a unit's values, the definition forms,
the list and one indicator's page; a refused save keeps what was typed; another unit's indicator is not found."""
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql


def now() -> datetime:
    return datetime.now(ZoneInfo("Asia/Shanghai"))


def last_month() -> str:
    today = now()
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


def expect_refused(page, field_id, message=None):
    """The field FIELD_ID carries its error, and the form's summary lists it."""
    expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    if message is None:
        expect(page.locator(f"#{field_id}-error")).to_be_visible()
    else:
        expect(page.locator(f"#{field_id}-error")).to_have_text(message)
    expect(page.locator(".error-summary")).to_be_visible()


def cost_indicator(company, code="BJ-COST", unit="BJ", years=()):
    return company.indicator(code, "销售费用", rule="above_budget", carry_over=True, unit=unit, measure="万元",
                             years=years)


BUDGETS = ["100", "100", "120", "120", "110", "110", "130", "130", "100", "100", "90", "150.5"]


def test_the_risk_manager_enters_a_year_of_targets(server, browser_page, company):
    created = cost_indicator(company)
    year = now().year
    page = browser_page
    sign_in(page, server, "manager")
    page.goto(server + "/indicators")
    page.get_by_role("link", name="BJ-COST").click()
    page.get_by_role("link", name=f"{year}年目标").click()
    check_page(page)
    page.get_by_label("年度目标值").fill("1360.5")
    for month, budget in enumerate(BUDGETS, start=1):
        page.get_by_label(f"{month}月", exact=True).fill(budget)
    page.get_by_role("button", name="保存目标").click()
    expect(page.locator(".flash-info")).to_contain_text("BJ-COST")
    expect(page.get_by_label("12月", exact=True)).to_have_value("150.5")
    stored = company.manager.get(f"/indicators/{created['id']}/targets/{year}").get_json()
    assert (stored["year"], stored["annual"], stored["monthly"]) == (
        year, 1360.5, [100, 100, 120, 120, 110, 110, 130, 130, 100, 100, 90, 150.5])
    # With no values yet, nothing is carried over: each effective budget is the month's budget, shown beside it.
    assert stored["effective_budget"] == stored["monthly"]
    expect(page.locator(".effective").nth(2)).to_contain_text("120")
    check_page(page)


def test_an_officer_enters_a_month_of_values_on_the_sheet(server, browser_page, company):
    period = last_month()
    year = int(period[:4])
    month = int(period[5:])
    cost = cost_indicator(company, years=())
    company.manager.put(f"/indicators/{cost['id']}/targets/{year}",
                        {"annual": None, "monthly": [100] * 12})
    collect = company.indicator("BJ-COLLECT", "货款回收率", rule="below_target", annual=95, unit="BJ", measure="%",
                                years=(year,))
    untouched = company.indicator("BJ-TURN", "应收账款周转次数", rule="below_target", annual=6, unit="BJ",
                                  years=(year,))
    other = company.indicator("SH-COLLECT", "上海回款率", rule="below_target", annual=95, unit="SH", years=(year,))
    page = browser_page
    sign_in(page, server, "officer_bj")
    page.goto(server + "/indicators")
    page.get_by_role("link", name="填报月度指标值").click()
    page.goto(f"{server}/indicators/sheet?period={period}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("北京销售分公司")
    expect(page.locator(f"#row-{other['id']}")).to_have_count(0)
    check_page(page)
    page.locator(f"#v_{cost['id']}").fill("112.5")
    page.locator(f"#v_{collect['id']}").fill("96")
    page.get_by_role("button", name="保存指标值").click()
    expect(page.locator(".flash-info")).to_have_text(f"已保存 {period} 的 2 个指标值。")
    expect(page.locator(".flash-error")).to_have_text("超出预警：BJ-COST。")
    expect(page.locator(f"#row-{cost['id']} .breach-mark")).to_be_visible()
    expect(page.locator(f"#v_{cost['id']}")).to_have_value("112.5")
    expect(page.locator(f"#v_{untouched['id']}")).to_have_value("")
    values = company.officer_bj.get(f"/indicators/{cost['id']}/values?year={year}").get_json()["items"]
    assert values == [{"indicator_id": cost["id"], "period": period, "value": 112.5, "ytd": 112.5,
                       "compared_with": 100, "variance": 12.5, "breached": True}]
    values = company.officer_bj.get(f"/indicators/{collect['id']}/values?year={year}").get_json()["items"]
    assert [(v["period"], v["value"], v["breached"]) for v in values] == [(period, 96, False)]
    assert company.officer_bj.get(f"/indicators/{untouched['id']}/values?year={year}").get_json()["items"] == []
    # The breach raised a warning on the indicator (it has no linked risk), listed on its page.
    page.goto(f"{server}/indicators/{cost['id']}")
    expect(page.locator("section", has_text="触发的预警")).to_contain_text(period)
    # Last month's value shows beside the box of the month after.
    if month < 12 and f"{year}-{month + 1:02d}" <= now().strftime("%Y-%m"):
        page.goto(f"{server}/indicators/sheet?period={year}-{month + 1:02d}")
        expect(page.locator(f"#row-{cost['id']}")).to_contain_text("112.5")
    check_page(page)


def test_a_refused_sheet_keeps_every_typed_value_and_saves_nothing(server, browser_page, company, app):
    period = last_month()
    cost = cost_indicator(company)
    collect = company.indicator("BJ-COLLECT", "货款回收率", rule="below_target", unit="BJ", years=())
    page = browser_page
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/indicators/sheet?period={period}")
    page.locator(f"#v_{cost['id']}").fill("112.5")
    page.locator(f"#v_{collect['id']}").fill("九十六")
    page.get_by_role("button", name="保存指标值").click()
    expect_refused(page, f"v_{collect['id']}", "必须是数字。")
    expect(page.locator(f"#row-{collect['id']}")).to_have_class("sheet-row row-error")
    expect(page.locator(f"#v_{cost['id']}")).to_have_value("112.5")
    expect(page.locator(f"#v_{collect['id']}")).to_have_value("九十六")
    assert sql(app, "SELECT count(*) FROM indicator_values") == [(0,)]
    check_page(page)


def test_refused_targets_keep_every_box_and_save_nothing(server, browser_page, company, app):
    created = cost_indicator(company)
    year = now().year
    page = browser_page
    sign_in(page, server, "manager")
    page.goto(f"{server}/indicators/{created['id']}/targets/{year}")
    page.get_by_label("年度目标值").fill("一千")
    page.get_by_label("1月", exact=True).fill("100")
    page.get_by_label("3月", exact=True).fill("1,20")
    page.get_by_role("button", name="保存目标").click()
    expect_refused(page, "annual", "必须是数字。")
    expect_refused(page, "m3", "必须是数字。")
    expect(page.get_by_label("年度目标值")).to_have_value("一千")
    expect(page.get_by_label("1月", exact=True)).to_have_value("100")
    expect(page.get_by_label("3月", exact=True)).to_have_value("1,20")
    assert sql(app, "SELECT count(*) FROM indicator_targets") == [(0,)]
    check_page(page)


def test_refused_definitions_keep_what_was_typed(server, browser_page, company, app):
    company.risk()
    page = browser_page
    sign_in(page, server, "manager")
    page.goto(server + "/indicators")
    page.get_by_role("link", name="定义指标").click()
    page.get_by_label("编码").fill("BJ-ADMIN")
    page.get_by_label("名称").fill("管理费用")
    page.get_by_label("单位", exact=True).select_option("BJ")
    page.get_by_label("计量单位").fill("万元")
    page.get_by_label("预警规则").select_option("below_budget")
    page.get_by_label("超支冲减次月预算").check()
    page.get_by_label("关联风险编号（可选）").fill("SH-999")
    page.get_by_role("button", name="保存").click()
    expect_refused(page, "risk", "未知风险。")
    expect(page.get_by_label("编码")).to_have_value("BJ-ADMIN")
    expect(page.get_by_label("名称")).to_have_value("管理费用")
    expect(page.get_by_label("单位", exact=True)).to_have_value("BJ")
    expect(page.get_by_label("计量单位")).to_have_value("万元")
    expect(page.get_by_label("预警规则")).to_have_value("below_budget")
    expect(page.get_by_label("超支冲减次月预算")).to_be_checked()
    assert sql(app, "SELECT count(*) FROM indicators") == [(0,)]
    check_page(page)
    page.get_by_label("关联风险编号（可选）").fill("BJ-001")
    page.get_by_role("button", name="保存").click()
    expect_refused(page, "carry_over")
    assert sql(app, "SELECT count(*) FROM indicators") == [(0,)]
    page.get_by_label("预警规则").select_option("above_budget")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-info")).to_contain_text("BJ-ADMIN")
    expect(page.get_by_role("heading", level=1)).to_have_text("BJ-ADMIN 管理费用")
    (stored,) = company.manager.get("/indicators").get_json()["items"]
    assert (stored["code"], stored["unit"], stored["measure"], stored["rule"], stored["carry_over"],
            stored["active"]) == ("BJ-ADMIN", "BJ", "万元", "above_budget", True, True)
    # The edit form: a rule that carries nothing over with carry-over kept is refused at the box.
    page.get_by_role("link", name="编辑").click()
    page.get_by_label("名称").fill("管理费用（月度）")
    page.get_by_label("预警规则").select_option("below_target")
    page.get_by_label("启用").uncheck()
    page.get_by_role("button", name="保存").click()
    expect_refused(page, "carry_over")
    expect(page.get_by_label("名称")).to_have_value("管理费用（月度）")
    expect(page.get_by_label("预警规则")).to_have_value("below_target")
    expect(page.get_by_label("启用")).not_to_be_checked()
    stored = company.manager.get(f"/indicators/{stored['id']}").get_json()
    assert (stored["name"], stored["rule"], stored["active"], stored["version"]) == (
        "管理费用", "above_budget", True, 1)
    check_page(page)


def test_another_units_indicator_page_is_not_found(server, browser_page, company):
    created = cost_indicator(company, code="SH-COST", unit="SH")
    page = browser_page
    sign_in(page, server, "officer_bj")
    response = page.goto(f"{server}/indicators/{created['id']}")
    assert response.status == 404
    page.goto(server + "/indicators")
    expect(page.get_by_role("link", name="SH-COST")).to_have_count(0)
    page.console_errors.clear()  # the 404 is logged by Chromium


def test_screenshots_of_the_indicator_pages(server, browser_page, company):
    year, period = now().year, last_month()
    cost = cost_indicator(company, years=())
    company.manager.put(f"/indicators/{cost['id']}/targets/{year}", {"annual": 1360, "monthly": [
        100, 100, 120, 120, 110, 110, 130, 130, 100, 100, 90, 150]})
    company.manager.put(f"/indicators/{cost['id']}/targets/{year - 1}", {"annual": 1300, "monthly": [110] * 12})
    for p in [f"{year - 1}-{m:02d}" for m in range(1, 13)] + [f"{year}-{m:02d}" for m in range(1, now().month)]:
        value = 100 + (int(p[5:]) * 7) % 25
        assert company.officer_bj.post(f"/indicators/{cost['id']}/values", {"period": p, "value": value}).status_code \
            in (200, 201)
    risk = company.risk()
    company.indicator("BJ-COLLECT", "货款回收率", rule="below_target", annual=95, unit="BJ", measure="%",
                      risk_id=risk["id"], years=(year,))
    company.indicator("PROFIT", "利润总额", rule="behind_progress", annual=1200, measure="万元", years=(year,))
    page = browser_page
    sign_in(page, server, "manager")
    for path, name in (("/indicators", "ipages-list"), (f"/indicators/{cost['id']}", "ipages-detail"),
                       (f"/indicators/sheet?unit=BJ&period={period}", "ipages-sheet"),
                       (f"/indicators/{cost['id']}/targets/{year}", "ipages-targets"),
                       ("/indicators/new", "ipages-new"), (f"/indicators/{cost['id']}/edit", "ipages-edit")):
        overflow = screenshots(page, server, path, name)
        assert overflow == {(lang, width): 0 for lang in ("zh", "en") for width in ("wide", "phone")}, path
        check_page(page)
