"""Fresh eyes on closing the loop (issue 15), in Chromium: what the risk manager, the officer and the leader
found wrong when doing a month's work, each with the page as they read it."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MONTH = TODAY.strftime("%Y-%m")


def test_the_heat_map_flags_the_top_three_risks_that_have_no_action(server, browser_page, company):
    """The month's top 3 major risks must each have an owned action: the heat map page says which have none,
    and the flag goes once an action is assigned."""
    covered = company.risk("渠道压货风险")
    bare = company.risk("大客户欠款风险", unit="SH")
    low = company.risk("差旅费超标风险")
    company.grade(covered["id"], MONTH, 5, 5)
    company.grade(bare["id"], MONTH, 5, 4)
    company.grade(low["id"], MONTH, 1, 1)
    due = (TODAY + timedelta(days=10)).isoformat()
    assert company.manager.post("/actions", {"title": "清理渠道库存", "owner": "officer_bj", "due_date": due,
                                             "risk_id": covered["id"]}).status_code == 201
    page = browser_page
    sign_in(page, server, "manager")
    page.goto(f"{server}/heatmap?period={MONTH}")
    rows = page.locator("table.ranking tbody tr")
    expect(rows.nth(0)).not_to_contain_text("尚无措施")
    expect(rows.nth(1).locator(".no-action")).to_have_text("尚无措施")
    expect(rows.nth(2).locator(".no-action")).to_have_text("尚无措施")  # the third needs one, whatever its level
    check_page(page)
    overflow = screenshots(page, server, f"/heatmap?period={MONTH}", "eyes15-heatmap")
    assert set(overflow.values()) == {0}, overflow
    assert company.manager.post("/actions", {"title": "催收欠款", "owner": "officer_sh", "due_date": due,
                                             "risk_id": bare["id"]}).status_code == 201
    page.reload()
    expect(page.locator("table.ranking .no-action")).to_have_count(1)


def test_the_leader_reads_the_report_list_on_a_phone_as_cards(server, browser_page, company):
    """At 390 px the report list is one card per report, each value under its heading, not seven columns
    squeezed one character wide."""
    from test_reports import graded_company

    graded_company(company)
    made = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"}).get_json()
    assert company.manager.post(f"/reports/{made['id']}/issue", {}).status_code == 200
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, server, "leader")
    page.goto(f"{server}/reports")
    kind = page.locator("td[data-label='报告']", has_text="月度风险预警报告")
    expect(kind).to_be_visible()
    assert kind.bounding_box()["width"] > 300
    expect(page.locator("td[data-label='下载']").first.get_by_role("link", name="Word")).to_be_visible()
    check_page(page)
    overflow = screenshots(page, server, "/reports", "eyes15-reports")
    assert set(overflow.values()) == {0}, overflow
