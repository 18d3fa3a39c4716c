"""Grading sheets signed off, in a real Chromium: the officer grades the last risk and submits, the unit head
confirms, the risk manager returns with a reason, the officer corrects and submits again, the head confirms,
the manager accepts; the refusals (ungraded risks, a return without a reason, a grade on a submitted sheet)."""
import re
from datetime import date, timedelta

from playwright.sync_api import expect

from browser import check_page, screenshots
from browser import sign_in as first_sign_in
from conftest import sql
from test_register_versions import this_month


def sign_in(page, server, username):
    """Sign in as USERNAME, whoever was signed in before."""
    page.context.clear_cookies()
    first_sign_in(page, server, username)


def open_month(app, company):
    """This month's round, with two BJ risks, the first graded by the officer; (month, first, second)."""
    month = this_month(app)
    with app.app_context():
        from riskflow import periods

        deadline = (periods.today() + timedelta(days=10)).isoformat()
    assert company.manager.post("/rounds", {"period": month, "deadline": deadline}).status_code == 201
    first, second = company.risk("甲风险"), company.risk("乙风险")
    company.grade(first["id"], month, 2, 2, api=company.officer_bj)
    return month, first, second


def bj(company, month) -> dict:
    """BJ's entry of the month's round, and whether the round is complete."""
    body = company.manager.get(f"/rounds/{month}").get_json()
    entry = next(u for u in body["units"] if u["unit"] == "BJ")
    return {"state": entry["state"], "reason": entry["returned_reason"], "complete": body["complete"]}


def test_a_month_is_graded_submitted_confirmed_returned_corrected_and_accepted(app, server, browser_page, company):
    page = browser_page
    month, first, second = open_month(app, company)
    b = second["id"]

    # The officer: a submit with a risk left is refused at the button, nothing changes.
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/grading?period={month}")
    expect(page.locator("#sheet-state")).to_have_text("评估中")
    expect(page.locator("#sheet-ungraded")).to_contain_text("还有1项风险未评估")
    check_page(page)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#sheet-step-error")).to_contain_text("1")
    expect(page.get_by_role("button", name="提交审核")).to_have_attribute("aria-describedby", "sheet-step-error")
    assert bj(company, month)["state"] == "grading"
    page.console_errors.clear()  # the refusal's 422, expected
    # The last risk graded, then submitted: the sheet is read-only.
    page.locator(f"#l_{b}").select_option("3")
    page.locator(f"#i_{b}").select_option("2")
    page.locator(f"#r_{b}").fill("新增风险")
    page.get_by_role("button", name="保存全部评估").click()
    expect(page.locator("#sheet-ungraded")).to_have_count(0)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#sheet-state")).to_have_text("已提交待审核")
    expect(page.locator("#sheet-frozen")).to_be_visible()
    expect(page.locator("main select")).to_have_count(0)
    expect(page.locator("main textarea")).to_have_count(0)
    assert bj(company, month) == {"state": "submitted", "reason": "", "complete": False}
    screenshots(page, server, f"/grading?period={month}", "sheets-officer-submitted")

    # The unit head: the to-do leads to the sheet, read-only, confirmed.
    sign_in(page, server, "head_bj")
    page.get_by_role("link", name=re.compile(f"审核本单位{month}评估表")).click()
    expect(page.locator("#sheet-state")).to_have_text("已提交待审核")
    expect(page.locator("main select")).to_have_count(0)
    check_page(page)
    screenshots(page, server, f"/grading?period={month}", "sheets-head")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#sheet-state")).to_have_text("单位负责人已审核")
    assert bj(company, month)["state"] == "confirmed"

    # The risk manager: a return without a reason is refused at the field; with one, the sheet goes back.
    sign_in(page, server, "manager")
    page.goto(f"{server}/rounds")
    cell = page.locator(f"#sheet-{month}-BJ")
    expect(cell).to_contain_text("单位负责人已审核")
    reason = page.locator(f"#sheet-{month}-BJ-comment")
    reason.fill("   ")
    cell.get_by_role("button", name="退回").click()
    reason = page.locator(f"#sheet-{month}-BJ-comment")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#sheet-{month}-BJ-comment-error")).to_be_visible()
    assert bj(company, month)["state"] == "confirmed"
    page.console_errors.clear()  # the refusal's 422, expected
    reason.fill("乙风险理由不足")
    page.locator(f"#sheet-{month}-BJ").get_by_role("button", name="退回").click()
    expect(page.locator(".flash-info")).to_have_text(f"已退回北京销售分公司 {month} 的评估表，并已通知该单位。")
    expect(page.locator(f"#sheet-{month}-BJ")).to_contain_text("已退回修改：乙风险理由不足")
    assert bj(company, month) == {"state": "grading", "reason": "乙风险理由不足", "complete": False}

    # The officer sees why, changes the grade and submits again; the head confirms; the manager accepts.
    sign_in(page, server, "officer_bj")
    page.get_by_role("link", name=re.compile("评估表被退回：乙风险理由不足")).click()
    expect(page.locator("#sheet-returned")).to_contain_text("乙风险理由不足")
    page.locator(f"#l_{b}").select_option("4")
    page.locator(f"#r_{b}").fill("客户集中度上升")
    page.get_by_role("button", name="保存全部评估").click()
    expect(page.locator(f"#row-{b}")).to_contain_text("客户集中度上升")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#sheet-state")).to_have_text("已提交待审核")
    sign_in(page, server, "head_bj")
    page.get_by_role("link", name=re.compile(f"审核本单位{month}评估表")).click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#sheet-state")).to_have_text("单位负责人已审核")
    sign_in(page, server, "manager")
    page.get_by_role("link", name=re.compile(f"{month}待风险管理部门审核的评估表")).click()
    expect(page.locator(f"#round-{month} .round-incomplete")).to_have_text("未完成")
    check_page(page)
    screenshots(page, server, "/rounds", "sheets-rounds")
    page.locator(f"#sheet-{month}-BJ").get_by_role("button", name="审核通过").click()
    expect(page.locator(f"#sheet-{month}-BJ")).to_contain_text("风险管理部门已审核")
    expect(page.locator(f"#round-{month} .round-complete")).to_have_text("完成")
    assert bj(company, month) == {"state": "accepted", "reason": "", "complete": True}
    assert sql(app, "SELECT likelihood, impact, rationale FROM assessments WHERE risk_id = :r AND period = :p",
               r=b, p=month) == [(4, 2, "客户集中度上升")]
    page.goto(f"{server}/")
    expect(page.locator("main")).to_contain_text("风险管理部门已审核")
    screenshots(page, server, "/", "sheets-dashboard")
    page.goto(f"{server}/heatmap?period={month}")
    expect(page.locator("main")).to_contain_text("风险管理部门已审核")


def test_a_grade_saved_on_a_sheet_submitted_meanwhile_is_refused_and_nothing_is_saved(app, server, browser_page,
                                                                                     company):
    page = browser_page
    month, first, second = open_month(app, company)
    company.grade(second["id"], month, 3, 3, api=company.officer_bj)
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/grading?period={month}")
    page.locator(f"#l_{first['id']}").select_option("4")
    page.locator(f"#r_{first['id']}").fill("上调")
    # Submitted from another tab while this page was open.
    assert company.officer_bj.post(f"/rounds/{month}/units/BJ/transitions", {"transition": "submit"}).status_code == 200
    page.get_by_role("button", name="保存全部评估").click()
    expect(page.locator(".error-summary")).to_contain_text("评估结果已冻结")
    expect(page.locator("#sheet-state")).to_have_text("已提交待审核")
    assert sql(app, "SELECT likelihood, impact FROM assessments WHERE risk_id = :r AND period = :p",
               r=first["id"], p=month) == [(2, 2)]


def test_reopening_a_closed_round_for_a_unit_returns_its_sheet(app, server, browser_page, company):
    page = browser_page
    month, first, second = open_month(app, company)
    company.grade(second["id"], month, 3, 3, api=company.officer_bj)
    path = f"/rounds/{month}/units/BJ/transitions"
    assert company.officer_bj.post(path, {"transition": "submit"}).status_code == 200
    assert company.head_bj.post(path, {"transition": "confirm"}).status_code == 200
    assert company.manager.post(path, {"transition": "accept"}).status_code == 200
    assert company.manager.post(f"/rounds/{month}/close").status_code == 200
    sign_in(page, server, "manager")
    page.goto(f"{server}/rounds")
    section = page.locator(f"#round-{month}")
    expect(section.locator(".round-complete")).to_have_text("完成")
    with app.app_context():
        from riskflow import periods

        later = (periods.today() + timedelta(days=5)).isoformat()
    section.get_by_label("原因").fill("补充评估依据")
    section.get_by_label("新的截止日期").fill(later)
    section.get_by_role("button", name="为勾选的单位重新开放").click()
    expect(page.locator(f"#sheet-{month}-BJ")).to_contain_text("已退回修改：补充评估依据")
    expect(page.locator(f"#round-{month} .round-incomplete")).to_have_text("未完成")
    assert bj(company, month) == {"state": "grading", "reason": "补充评估依据", "complete": False}
