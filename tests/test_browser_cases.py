"""Warning cases in Chromium: the risk manager marks them at the review meeting and on the incident page; SH's
officer reads BJ's case on /incidents/cases, reached from the library."""
from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql
from test_warning_cases import PRIVATE, bj_incident, reviewed

QUARTER = "2026-Q4"


def test_the_meeting_marks_a_case_and_sh_reads_it(app, server, browser_page, company):
    page = browser_page
    case = bj_incident(company)
    other = bj_incident(company, title="只审议不共享")
    sign_in(page, server, "manager")
    page.goto(f"{server}/incidents/meetings?quarter={QUARTER}")
    page.get_by_label("会议日期").fill("2026-12-01")
    page.get_by_label(f"结论 {case['code']}").fill("典型案例，全公司通报")
    page.get_by_label(f"警示案例 {case['code']}").check()
    # The other row: marked as a case but not reviewed, and no attendees: refused, everything kept.
    page.get_by_label(other["code"], exact=True).uncheck()
    page.get_by_label(f"警示案例 {other['code']}").check()
    page.get_by_role("button", name="记录会议").click()
    expect(page.locator(f"#case_{other['id']}-error")).to_contain_text("请同时勾选“已审议”")
    expect(page.locator(f"#case_{other['id']}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#attendees-error")).to_be_visible()
    expect(page.locator("#attendees")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("会议日期")).to_have_value("2026-12-01")
    expect(page.get_by_label(f"结论 {case['code']}")).to_have_value("典型案例，全公司通报")
    expect(page.get_by_label(f"警示案例 {case['code']}")).to_be_checked()
    expect(page.get_by_label(f"警示案例 {other['code']}")).to_be_checked()
    expect(page.get_by_label(other["code"], exact=True)).not_to_be_checked()
    check_page(page)
    assert sql(app, "SELECT count(*) FROM review_meetings") == [(0,)]
    assert sql(app, "SELECT count(*) FROM incidents WHERE warning_case = true") == [(0,)]
    page.get_by_label("参会人员").fill("风险管理部、各单位风险管理员")
    page.get_by_label(f"警示案例 {other['code']}").uncheck()
    page.get_by_role("button", name="记录会议").click()
    expect(page.locator(".flash-info")).to_be_visible()
    held = page.locator(".meeting-items li", has_text=case["code"])
    expect(held.locator(".warning-case-badge")).to_have_text("警示案例")
    expect(held.get_by_role("button", name=f"取消警示案例 {case['code']}")).to_be_visible()
    check_page(page)
    assert company.manager.get(f"/incidents/{case['id']}").get_json()["warning_case"] is True
    assert company.manager.get(f"/incidents/{other['id']}").get_json()["warning_case"] is False
    overflow = screenshots(page, server, f"/incidents/meetings?quarter={QUARTER}", "cases-meeting")
    assert set(overflow.values()) == {0}, overflow

    page.context.clear_cookies()
    sign_in(page, server, "officer_sh")
    page.goto(f"{server}/incidents")
    page.get_by_role("link", name="警示案例", exact=True).click()
    expect(page.get_by_role("heading", name="警示案例", exact=True)).to_be_visible()
    article = page.locator(f"article#{case['code']}")
    expect(article).to_contain_text("经销商伪造提货单骗取货物")
    expect(article).to_contain_text("北京销售分公司")
    expect(article).to_contain_text("提货必须核对合同原件与印鉴")
    expect(article).to_contain_text("200,000.00")
    expect(page.locator("article.warning-case")).to_have_count(1)
    assert PRIVATE not in page.content()
    expect(article.get_by_role("link", name="查看事件全文")).to_have_count(0)
    check_page(page)
    # The bell's notification leads to the shared case, not the full incident.
    item = company.officer_sh.get("/notifications").get_json()["items"][0]
    page.goto(server + item["link"])
    expect(page.locator(f"article#{case['code']}")).to_be_visible()
    overflow = screenshots(page, server, "/incidents/cases", "cases-list")
    assert set(overflow.values()) == {0}, overflow


def test_the_risk_manager_marks_and_unmarks_on_the_incident_page(app, server, browser_page, company):
    page = browser_page
    case = reviewed(company)
    fresh = bj_incident(company, title="尚未审议的事件")
    sign_in(page, server, "manager")
    page.goto(f"{server}/incidents/{fresh['id']}")
    expect(page.get_by_text("季度会议审议后即可列为警示案例。")).to_be_visible()
    expect(page.get_by_role("button", name="列为警示案例")).to_have_count(0)
    page.goto(f"{server}/incidents/{case['id']}")
    page.get_by_role("button", name="列为警示案例").click()
    expect(page.locator(".flash-info")).to_contain_text(f"{case['code']} 已列为警示案例")
    expect(page.locator("h1 .warning-case-badge")).to_have_text("警示案例")
    expect(page.locator(".timeline")).to_contain_text("列为警示案例")
    check_page(page)
    assert company.officer_sh.get("/warning-cases").get_json()["total"] == 1
    overflow = screenshots(page, server, f"/incidents/{case['id']}", "cases-incident")
    assert set(overflow.values()) == {0}, overflow
    page.goto(f"{server}/incidents")
    expect(page.locator("tr", has_text=case["code"]).locator(".warning-case-badge")).to_have_text("警示案例")
    check_page(page)
    overflow = screenshots(page, server, "/incidents", "cases-library")
    assert set(overflow.values()) == {0}, overflow
    page.goto(f"{server}/incidents/{case['id']}")
    page.get_by_role("button", name="取消警示案例").click()
    expect(page.locator(".flash-info")).to_contain_text(f"{case['code']} 已取消警示案例")
    expect(page.locator("h1 .warning-case-badge")).to_have_count(0)
    check_page(page)
    assert company.officer_sh.get("/warning-cases").get_json()["total"] == 0
    assert company.manager.get(f"/incidents/{case['id']}").get_json()["warning_case"] is False
