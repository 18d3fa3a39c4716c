"""In Chromium: a unit head opens the reports page, downloads the unit version (本单位版) of the issued month and
asks for it by mail on the profile page; the risk manager's archive links each unit's version."""
from pathlib import Path

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql
from test_reports import pdf_text
from test_unit_report import draft, world


def test_a_unit_head_downloads_the_units_version_and_subscribes(app, home, server, browser_page, company, make):
    page = browser_page
    world(company, make, app)
    report_id = draft(company)
    assert company.manager.post(f"/reports/{report_id}/issue", {}).status_code == 200
    sign_in(page, server, "head_bj")
    page.get_by_role("navigation").get_by_role("link", name="报告").first.click()
    expect(page.get_by_role("heading", name="报告")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="2026-06")
    expect(row).to_contain_text("2026年6月风险评估及风险预警应对")
    expect(page.get_by_role("link", name="本单位版 PDF")).to_have_count(1)  # its own unit only
    check_page(page)
    with page.expect_download() as caught:
        row.get_by_role("link", name="本单位版 PDF").click()
    download = caught.value
    assert download.suggested_filename == "monthly-2026-06-r1-BJ.pdf"
    text = pdf_text(Path(download.path()).read_bytes()).replace("\n", "")
    assert "北京销售分公司本单位版" in text and "BJ-001" in text
    assert "SH-0" not in text and "上海" not in text
    screenshots(page, server, "/reports", "unitreport-reports")

    # The profile offers the unit version by mail; a tampered choice is refused and stores nothing.
    page.goto(server + "/profile")
    section = page.locator("#report-mail")
    expect(section.get_by_role("heading", name="通过邮件接收本单位版月度报告")).to_be_visible()
    expect(section.get_by_label("按角色默认（单位负责人默认不接收）")).to_be_checked()
    check_page(page)
    page.evaluate("document.querySelector('#report-mail input[value=on]').value = 'always'")
    section.get_by_label("将本单位版发送给我").check()
    section.get_by_role("button", name="保存").click()
    expect(page.get_by_text("未保存：请选择其中一项。")).to_be_visible()
    assert sql(app, "SELECT notify_reports FROM users WHERE username = 'head_bj'") == [(None,)]
    page.goto(server + "/profile")
    section = page.locator("#report-mail")
    section.get_by_label("将本单位版发送给我").check()
    section.get_by_role("button", name="保存").click()
    expect(page.get_by_text("邮件设置已保存。")).to_be_visible()
    expect(page.locator("#report-mail").get_by_label("将本单位版发送给我")).to_be_checked()
    assert sql(app, "SELECT notify_reports FROM users WHERE username = 'head_bj'") == [(True,)]
    check_page(page)
    screenshots(page, server, "/profile", "unitreport-profile")


def test_the_risk_managers_archive_links_each_units_version(app, server, browser_page, company, make):
    page = browser_page
    world(company, make, app)
    report_id = draft(company)
    assert company.manager.post(f"/reports/{report_id}/issue", {}).status_code == 200
    sign_in(page, server, "manager")
    page.goto(server + "/reports")
    row = page.get_by_role("row").filter(has_text="2026-06")
    expect(row).to_contain_text("分单位版：")
    expect(row.get_by_role("link", name="SH", exact=True)).to_be_visible()
    check_page(page)
    response = page.request.get(server + row.get_by_role("link", name="SH", exact=True).get_attribute("href"))
    assert response.status == 200
    text = pdf_text(response.body()).replace("\n", "")
    assert "SH-001" in text and "北京" not in text
    screenshots(page, server, "/reports", "unitreport-archive")
