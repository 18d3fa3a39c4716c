"""Fresh eyes on issue 17 in the browser: what a new user of each role found wrong, each kept fixed."""
from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql


def test_the_kinds_list_keeps_its_edit_and_retire_buttons_inside_each_row(server, browser_page, company):
    page = browser_page
    sign_in(page, server, "admin")
    page.goto(server + "/admin/supervision-kinds")
    row = page.locator("#kind-budget")
    expect(row).to_contain_text("预算管理")
    # The buttons' cell is a cell of the row (a flex box there would fall out of the table, off the row's
    # background and lines).
    assert row.locator("td.actions").evaluate("td => getComputedStyle(td).display") == "table-cell"
    cell, whole = row.locator("td.actions").bounding_box(), row.bounding_box()
    table = page.locator("#kinds").bounding_box()
    assert cell["x"] + cell["width"] <= table["x"] + table["width"] + 0.5
    assert abs(cell["y"] - whole["y"]) < 0.5 and abs(cell["height"] - whole["height"]) < 0.5
    check_page(page)
    overflow = screenshots(page, server, "/admin/supervision-kinds", "eyes17-kinds")
    assert set(overflow.values()) == {0}, overflow


def test_a_heads_proposal_keeps_the_risks_it_names_and_refuses_another_units(server, browser_page, company, app):
    page = browser_page
    own, other = company.risk("门店费用超支风险"), company.risk("上海回款风险", unit="SH")
    sign_in(page, server, "head_bj")
    page.goto(server + "/supervision/propose")
    page.get_by_label("监察项目").fill("门店费用效能监察")
    page.get_by_label("类型").select_option("marketing")
    page.get_by_label("立项理由").fill("门店费用超支")
    page.locator("#risk_codes").fill(f"{own['code']}, {other['code']}")
    page.get_by_role("button", name="提交立项建议").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#risk_codes-error")).to_have_text(f"未知风险 {other['code']}。")
    expect(page.locator("#risk_codes")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#risk_codes")).to_have_value(f"{own['code']}, {other['code']}")
    expect(page.get_by_label("监察项目")).to_have_value("门店费用效能监察")
    expect(page.get_by_label("立项理由")).to_have_value("门店费用超支")
    assert sql(app, "SELECT count(*) FROM supervision_projects") == [(0,)]
    page.console_errors.clear()  # the refusal's status, expected
    check_page(page)

    page.locator("#risk_codes").fill(own["code"])
    page.get_by_role("button", name="提交立项建议").click()
    expect(page.locator(".state")).to_have_text("待审核")
    stored = company.inspector.get("/supervision-projects").get_json()["items"]
    assert [(p["title"], p["risk_ids"]) for p in stored] == [("门店费用效能监察", [own["id"]])]
    expect(page.locator("#named-risks")).to_contain_text(own["code"])
    check_page(page)
