"""An indicator's warning answered in a real Chromium (cause and explanation beside the response, a refused
value kept as typed), and the missing values on the to-do lists and the risk manager's page."""
import re

import pytest
from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from riskflow import periods
from test_browser_todo import task
from test_indicators_api import expense


def stored(company, period, code):
    return next(w for w in company.manager.get(f"/warnings?period={period}").get_json()["items"] if w["code"] == code)


def test_a_unit_head_answers_an_indicator_warning_with_cause_and_explanation(server, browser_page, company):
    page = browser_page
    indicator = expense(company)
    assert company.officer_bj.post(f"/indicators/{indicator['id']}/values",
                                   {"period": "2026-05", "value": 130}).status_code == 201
    wid = stored(company, "2026-05", "BJ-SELL-EXP")["id"]
    sign_in(page, server, "head_bj")
    page.goto(server + "/warnings?period=2026-05")
    row = page.locator(f"tr#warning-{wid}")
    expect(row.locator("dl.figures")).to_contain_text("130 万元")
    expect(row.locator("dl.figures")).to_contain_text("+30 万元")
    expect(row.get_by_role("link", name="BJ-SELL-EXP")).to_have_attribute("href", f"/indicators/{indicator['id']}")
    check_page(page)
    page.get_by_label("应对措施 BJ-SELL-EXP").click()
    page.keyboard.type("压缩下月促销费用")
    page.get_by_label("偏差原因 BJ-SELL-EXP").select_option(label="外部因素")
    page.get_by_label("情况说明 BJ-SELL-EXP").click()
    page.keyboard.type("原材料涨价，促销活动提前")
    page.get_by_label("进度（%） BJ-SELL-EXP").fill("150")
    page.get_by_label("状态 BJ-SELL-EXP").select_option("in_progress")
    page.get_by_role("button", name="保存全部应对").first.click()
    expect(page.locator(".error-summary")).to_contain_text("未保存任何内容：请更正标出的行。")
    expect(page.locator(f"#w{wid}-progress")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#w{wid}-progress-error")).to_be_visible()
    expect(page.locator(f"#w{wid}-progress")).to_have_value("150")
    expect(page.locator(f"#w{wid}-response")).to_have_value("压缩下月促销费用")
    expect(page.locator(f"#w{wid}-cause")).to_have_value("external")
    expect(page.locator(f"#w{wid}-explanation")).to_have_value("原材料涨价，促销活动提前")
    expect(page.locator(f"#w{wid}-status")).to_have_value("in_progress")
    saved = stored(company, "2026-05", "BJ-SELL-EXP")
    assert (saved["response"], saved["progress"], saved["cause"], saved["explanation"]) == ("", 0, None, "")
    check_page(page)
    page.locator(f"#w{wid}-progress").fill("30")
    page.get_by_role("button", name="保存全部应对").first.click()
    expect(page.locator(".flash-info")).to_have_text("已保存 1 条预警的应对。")
    saved = stored(company, "2026-05", "BJ-SELL-EXP")
    assert {k: saved[k] for k in ("response", "progress", "status", "cause", "explanation")} == {
        "response": "压缩下月促销费用", "progress": 30, "status": "in_progress", "cause": "external",
        "explanation": "原材料涨价，促销活动提前"}
    expect(page.locator(f"#w{wid}-cause")).to_have_value("external")
    check_page(page)
    overflow = screenshots(page, server, "/warnings?period=2026-05", "ianswers-warnings")
    assert set(overflow.values()) == {0}, overflow


@pytest.fixture
def listed_at_once(monkeypatch):
    """The server lists last month's missing values from the 1st, whatever today's date."""
    monkeypatch.setenv("RISKFLOW_INDICATOR_DAY", "0")


def test_missing_values_wait_on_the_officer_and_the_risk_manager(listed_at_once, server, browser_page, app, company):
    page = browser_page
    with app.app_context():
        last = periods.previous(periods.current())
    recorded, _missing = expense(company, code="BJ-EXP-1"), expense(company, code="BJ-EXP-2")
    expense(company, unit="SH", code="SH-EXP-1")
    company.officer_bj.post(f"/indicators/{recorded['id']}/values", {"period": last, "value": 80})
    sign_in(page, server, "officer_bj")
    line = task(page, f"尚未填报的 {last} 指标数值")
    expect(line.locator(".count")).to_have_text("1")
    expect(line.get_by_role("link")).to_have_attribute("href", f"/indicators/sheet?period={last}")
    check_page(page)
    screenshots(page, server, "/", "ianswers-todo-officer")
    page.get_by_role("button", name=re.compile("退出")).click()
    sign_in(page, server, "manager")
    line = task(page, f"全公司缺报的 {last} 指标数值")
    expect(line.locator(".count")).to_have_text("2")
    check_page(page)
    screenshots(page, server, "/", "ianswers-todo-manager")
    line.get_by_role("link").click()
    expect(page).to_have_url(f"{server}/indicators/missing")
    expect(page.locator("section.missing-values h2")).to_have_text(["北京销售分公司 (1)", "上海销售分公司 (1)"])
    expect(page.locator("#missing-BJ")).to_contain_text("BJ-EXP-2")
    check_page(page)
    overflow = screenshots(page, server, "/indicators/missing", "ianswers-missing")
    assert set(overflow.values()) == {0}, overflow
