"""In Chromium: the risk manager reviews last month's draft report, writes the analysis and issues it."""
from email import message_from_bytes
from email import policy as email_policy

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql
from test_report_review import ANALYSIS, subscribers
from test_reports import graded_company, pdf_text


def recipients(home) -> list[str]:
    return sorted(str(message_from_bytes(p.read_bytes(), policy=email_policy.default)["To"])
                  for p in (home / "outbox").glob("*.eml"))


def test_the_risk_manager_writes_the_analysis_and_issues_the_draft(app, home, server, browser_page, company, make,
                                                                   run_db):
    page = browser_page
    subscribers(run_db, make)
    graded_company(company)
    draft = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"}).get_json()
    sign_in(page, server, "manager")
    page.goto(server + "/reports")
    row = page.get_by_role("row").filter(has_text="2026-06")
    expect(row).to_contain_text("草稿")
    expect(row.get_by_role("link", name="Word")).to_be_visible()
    check_page(page)
    row.get_by_role("link", name="审阅并签发").click()
    expect(page.get_by_role("heading", name="审阅报告")).to_be_visible()
    check_page(page)
    # Too long: refused at the field, the typed text kept, nothing stored.
    long_text = "长" * 20001
    page.get_by_label("风险分析与管理建议").fill(long_text)
    page.get_by_role("button", name="保存分析").click()
    box = page.get_by_label("风险分析与管理建议")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#commentary-error")).to_contain_text("最多 20000 个字符")
    assert box.input_value() == long_text
    assert sql(app, "SELECT commentary FROM reports") == [("",)]
    check_page(page)
    box.fill(ANALYSIS)
    page.get_by_role("button", name="保存分析").click()
    expect(page.get_by_text("分析已保存")).to_be_visible()
    expect(page.get_by_label("风险分析与管理建议")).to_have_value(ANALYSIS)
    screenshots(page, server, f"/reports/{draft['id']}", "review-draft")
    page.goto(f"{server}/reports/{draft['id']}")
    pdf = page.request.get(server + page.get_by_role("link", name="PDF").get_attribute("href")).body()
    text = pdf_text(pdf)
    assert "风险分析与管理建议" in text and ANALYSIS[:12] in text
    assert recipients(home) == []
    page.get_by_role("link", name="签发…").click()
    expect(page.get_by_text("签发后报告不能再修改，并将发送给 2 位订阅人。")).to_be_visible()
    check_page(page)
    screenshots(page, server, f"/reports/{draft['id']}/issue", "review-issue")
    page.goto(f"{server}/reports/{draft['id']}/issue")
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.get_by_text("报告已签发，并已发送给订阅人。")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="2026-06")
    expect(row).to_contain_text("manager 于")
    expect(row).not_to_contain_text("草稿")
    check_page(page)
    # One mail per subscriber for the report and one for the execution progress of May's warnings.
    assert recipients(home) == ["boss@example.com"] * 2 + ["manager@example.com"] * 2
    assert sql(app, "SELECT kind, status, issued_by_name FROM reports ORDER BY id") == [
        ("monthly", "issued", "manager"), ("progress", "issued", "manager")]
    screenshots(page, server, "/reports", "review-archive")
