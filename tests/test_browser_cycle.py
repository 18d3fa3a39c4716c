"""The year's supervision plan in the browser: the inspector opens it from the board, a bad date comes back
at its field with every typed value kept and nothing stored, then the corrected plan is saved."""
from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql


def test_the_inspector_edits_the_years_plan_through_the_page(server, browser_page, company, app):
    page = browser_page
    project = company.inspector.post("/supervision-projects", {
        "year": 2027, "title": "工程造价效能监察", "kind": "construction_cost", "method": "efficiency_audit",
        "lead_unit": "BJ"}).get_json()
    sign_in(page, server, "inspector")
    page.goto(server + "/supervision?year=2027")
    page.get_by_role("link", name="年度计划").click()
    expect(page.get_by_role("heading", name="2027年度效能监察计划")).to_be_visible()
    expect(page.locator("#phase-summary")).to_contain_text("2027-12-01 至 2028-01-31")
    expect(page.locator("table.cycle-open")).to_contain_text(project["code"])
    check_page(page)

    # The inspection starting before the tracking phase: refused at its field, the typed values kept.
    page.get_by_label("准备阶段结束日期").fill("2027-03-15")
    page.get_by_label("年中检查开始日期").fill("2027-05-20")
    page.get_by_label("备注").click()
    page.keyboard.type("年中检查由纪检监察室牵头")
    page.get_by_role("button", name="保存计划").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#inspection_start-error")).to_have_text("年中检查须在跟踪督导阶段内开始。")
    expect(page.locator("#inspection_start")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("年中检查开始日期")).to_have_value("2027-05-20")
    expect(page.get_by_label("准备阶段结束日期")).to_have_value("2027-03-15")
    expect(page.get_by_label("备注")).to_have_value("年中检查由纪检监察室牵头")
    assert sql(app, "SELECT count(*) FROM supervision_plans") == [(0,)]
    check_page(page)

    page.get_by_label("年中检查开始日期").fill("2027-06-15")
    page.get_by_role("button", name="保存计划").click()
    expect(page.get_by_text("2027年度效能监察计划已保存。")).to_be_visible()
    expect(page.locator("#phase-inspection")).to_contain_text("2027-06-15 至 2027-07-31")
    stored = company.inspector.get("/supervision-plans/2027").get_json()
    assert {k: stored[k] for k in ("stored", "version", "preparation_end", "inspection_start", "inspection_end",
                                   "notes")} == {
        "stored": True, "version": 1, "preparation_end": "2027-03-15", "inspection_start": "2027-06-15",
        "inspection_end": "2027-07-31", "notes": "年中检查由纪检监察室牵头"}
    screenshots(page, server, "/supervision/plan?year=2027", "cycle-plan")


def test_the_plan_marks_todays_phase_and_a_unit_reads_it_without_the_form(server, browser_page, company, app):
    page = browser_page
    with app.app_context():
        from riskflow import periods
        today = periods.today()
    year = today.year - 1 if today.month == 1 else today.year  # January is the summary of last year's plan
    sign_in(page, server, "head_bj")
    page.goto(server + f"/supervision/plan?year={year}")
    expect(page.get_by_role("heading", name=f"{year}年度效能监察计划")).to_be_visible()
    expect(page.get_by_role("button", name="保存计划")).to_have_count(0)
    expect(page.locator("#still-open")).to_be_visible()
    current = page.locator("li[aria-current='step']")
    expect(current.first).to_contain_text("今日进行中")
    check_page(page)
    screenshots(page, server, f"/supervision/plan?year={year}", "cycle-plan-unit")
