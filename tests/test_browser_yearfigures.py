"""Browser walks of the admin's list of project kinds and the year's figures page; screenshots."""
from datetime import date

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql


def switch_to(page, server, username):
    page.get_by_role("button", name="退出").click()
    sign_in(page, server, username)


def test_the_admin_adds_a_kind_and_the_filing_form_offers_it(server, browser_page, app, company):
    page = browser_page
    sign_in(page, server, "admin")
    page.get_by_role("link", name="更多").click()
    page.get_by_role("link", name="监察项目类别").click()
    expect(page.get_by_role("heading", name="监察项目类别", exact=True)).to_be_visible()
    check_page(page)
    # A bad code: the typed values stay, the error is at the code, nothing is stored.
    page.get_by_label("编码", exact=True).fill("Hospitality!")
    page.get_by_label("中文名称").fill("公务接待")
    page.get_by_label("英文名称").fill("Official hospitality")
    page.get_by_label("排列顺序").fill("5")
    page.get_by_role("button", name="新增", exact=True).click()
    expect(page.locator("#code-error")).to_contain_text("小写字母")
    expect(page.get_by_label("编码", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("编码", exact=True)).to_have_value("Hospitality!")
    expect(page.get_by_label("中文名称")).to_have_value("公务接待")
    expect(page.get_by_label("英文名称")).to_have_value("Official hospitality")
    expect(page.get_by_label("排列顺序")).to_have_value("5")
    check_page(page)
    assert sql(app, "SELECT count(*) FROM supervision_kinds WHERE label_zh = '公务接待'") == [(0,)]
    # Corrected, it is added.
    page.get_by_label("编码", exact=True).fill("hospitality")
    page.get_by_label("编码", exact=True).press("Enter")
    expect(page.locator("#kind-hospitality")).to_contain_text("公务接待")
    assert sql(app, "SELECT code, label_zh, label_en, position, active FROM supervision_kinds WHERE code = "
                    "'hospitality'") == [("hospitality", "公务接待", "Official hospitality", 5, 1)]
    assert [k["code"] for k in company.admin.get("/supervision-kinds?per_page=100").get_json()["items"]][-1] == (
        "eight_rules")  # position 5: between the starting kinds
    # Retired, then restored.
    page.get_by_role("button", name="停用公务接待").click()
    expect(page.locator("#kind-hospitality")).to_contain_text("已停用")
    switch_to(page, server, "inspector")
    page.goto(server + "/supervision/new")
    expect(page.get_by_label("类型", exact=True).locator("option", has_text="公务接待")).to_have_count(0)
    switch_to(page, server, "admin")
    page.goto(server + "/admin/supervision-kinds")
    page.get_by_role("button", name="恢复公务接待").click()
    expect(page.locator("#kind-hospitality")).to_contain_text("启用")
    switch_to(page, server, "inspector")
    page.goto(server + "/supervision/new")
    page.get_by_label("类型", exact=True).select_option("hospitality")
    check_page(page)


def test_a_kind_renamed_with_an_empty_name_keeps_the_typed_values(server, browser_page, app, company):
    page = browser_page
    sign_in(page, server, "admin")
    page.goto(server + "/admin/supervision-kinds/budget")
    page.get_by_label("中文名称").fill("")
    page.get_by_label("英文名称").fill("Budgets")
    page.get_by_label("排列顺序").fill("7")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#label_zh-error")).to_be_visible()
    expect(page.get_by_label("中文名称")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("英文名称")).to_have_value("Budgets")
    expect(page.get_by_label("排列顺序")).to_have_value("7")
    check_page(page)
    assert sql(app, "SELECT label_en FROM supervision_kinds WHERE code = 'budget'") != [("Budgets",)]


def test_the_summary_page_shows_three_years(server, browser_page, app, company):
    inspector = company.inspector
    for year, kind in ((2026, "procurement"), (2026, "budget"), (2025, "procurement"), (2024, "eight_rules")):
        body = {"year": year, "title": "效能监察", "kind": kind, "method": "efficiency_audit", "lead_unit": "BJ",
                "economic_benefit": 1000}
        pid = inspector.post("/supervision-projects", body).get_json()["id"]
        assert inspector.post(f"/supervision-projects/{pid}/transitions", {"transition": "file"}).status_code == 200
    page = browser_page
    sign_in(page, server, "inspector")
    page.goto(server + "/supervision/summary?year=2026")
    table = page.locator("#year-figures")
    expect(table.locator("thead th")).to_have_text(["指标", "2026", "2025", "2024"])
    expect(table.locator("tr", has_text="大宗物资采购").locator("td")).to_have_text(["1", "1", "0"])
    expect(table.locator("tr", has_text="八项规定").locator("td")).to_have_text(["0", "0", "1"])
    expect(table.locator("tr", has_text="立项").first.locator("td")).to_have_text(["2", "1", "1"])
    expect(table.locator("tr", has_text="闭环率").locator("td")).to_have_text(["0%", "0%", "0%"])
    check_page(page)
    for path, name in (("/supervision/summary?year=2026", "yearfigures-summary"),
                       ("/supervision?year=2026", "yearfigures-board"),
                       ("/admin/supervision-kinds", "yearfigures-kinds"),
                       ("/admin/supervision-kinds/eight_rules", "yearfigures-kind-edit")):
        if name == "yearfigures-kinds":
            switch_to(page, server, "admin")
        overflow = screenshots(page, server, path, name)
        assert set(overflow.values()) == {0}, overflow
