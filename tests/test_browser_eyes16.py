"""Fresh eyes on the notifications in a real Chromium: a leader's profile on a phone asks only about what a
leader is told; a risk manager opens a company-wide warning from the bell and lands at its row; a unit head
reads that the monthly report was issued and finds the unit's version."""
import re

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql
from test_reports import graded_company


def test_a_leader_on_a_phone_is_asked_only_about_issued_reports(server, browser_page, company):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, server, "leader")
    page.goto(server + "/profile")
    settings = page.locator("#notification-settings select")
    expect(settings).to_have_count(1)
    expect(page.get_by_label("报告已签发")).to_be_visible()
    expect(page.get_by_text("整改待验收")).to_have_count(0)
    check_page(page)
    page.get_by_label("报告已签发").select_option(label="同时汇入每日邮件摘要")
    page.get_by_role("button", name="保存通知方式").click()
    expect(page.get_by_text("通知方式已保存。")).to_be_visible()
    assert company.leader.get("/notifications/channels").get_json()["channels"]["report_issued"] == "digest"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    check_page(page)
    assert set(screenshots(page, server, "/profile", "eyes16-leader-profile").values()) == {0}


def test_the_manager_opens_a_company_wide_warning_at_its_row(server, browser_page, company, app):
    page = browser_page
    # Sixty of BJ's warnings first: the month's list runs to two pages, the company-wide warning not on the first.
    for i in range(60):
        company.grade(company.risk(f"风险{i}")["id"], "2026-06", 5, 4)
    indicator = company.indicator("KRI-COST", "销售费用", rule="above_target", annual=120)
    assert company.manager.post(f"/indicators/{indicator['id']}/values",
                                {"period": "2026-06", "value": 130}).status_code == 201
    [(warning_id,)] = sql(app, "SELECT entity_id FROM notifications WHERE kind = 'warning_raised' AND unit_id IS NULL")
    sign_in(page, server, "manager")
    page.locator("header a.bell").click()
    page.get_by_role("button", name="2026-06 新预警：KRI-COST 销售费用。", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/warnings\?period=2026-06&unit=-#warning-{warning_id}$"))
    expect(page.locator(f"#warning-{warning_id}")).to_be_visible()
    expect(page.locator(f"#warning-{warning_id}")).to_contain_text("KRI-COST")
    expect(page.locator("header a.bell .bell-count")).to_have_count(0)
    check_page(page)


def test_a_unit_head_reads_that_the_report_was_issued_and_downloads_the_units_version(server, browser_page,
                                                                                       company):
    page = browser_page
    graded_company(company)
    draft = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"}).get_json()
    assert company.manager.post(f"/reports/{draft['id']}/issue", {}).status_code == 200
    sign_in(page, server, "head_bj")
    expect(page.locator("header a.bell .bell-count")).not_to_have_count(0)
    page.goto(server + "/notifications")
    page.get_by_role("button", name="《2026年6月风险评估及风险预警应对》已签发。", exact=True).click()
    expect(page).to_have_url(re.compile(r"/reports$"))
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("本单位版 PDF")).first.click()
    assert download.value.suggested_filename.endswith("-BJ.pdf")
    check_page(page)
    assert set(screenshots(page, server, "/notifications", "eyes16-head-inbox").values()) == {0}
