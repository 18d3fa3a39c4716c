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
    proposal = page.url.replace(server, "")
    overflow = screenshots(page, server, "/supervision/propose", "eyes17-propose")
    overflow.update(screenshots(page, server, proposal, "eyes17-proposal"))
    assert set(overflow.values()) == {0}, overflow


def test_a_risk_proposal_asks_for_its_grade_instead_of_proposing_one_by_one(server, browser_page, company, make,
                                                                            app):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    own = company.risk("客户信用风险")
    project = company.inspector.post("/supervision-projects", {
        "year": 2026, "title": "应收账款效能监察", "kind": "sales_collection", "method": "efficiency_audit",
        "lead_unit": "JJ", "participating_units": ["BJ"]}).get_json()
    for step in ("file", "start_monitoring"):
        company.inspector.post(f"/supervision-projects/{project['id']}/transitions", {"transition": step})
    rec = company.inspector.post(f"/supervision-projects/{project['id']}/recommendations", {
        "finding": "大客户欠款超过信用额度", "recommendation": "建立客户信用动态评估机制", "responsible_unit": "BJ"}).get_json()
    sign_in(page, server, "inspector")
    page.goto(f"{server}/recommendations/{rec['id']}")
    # Nothing chosen for the user: the grade is theirs to pick.
    expect(page.get_by_label("建议可能性")).to_have_value("")
    expect(page.get_by_label("建议影响程度")).to_have_value("")
    page.get_by_label("建议类型").select_option("regrade")
    page.get_by_label("调整评级的风险（编号）").fill(own["code"])
    page.get_by_label("建议影响程度").select_option("4")
    page.get_by_label("原因").fill("欠款扩大")
    page.get_by_role("button", name="提出建议").click()
    expect(page.locator("#propose-risk .error-summary")).to_be_visible()
    expect(page.locator("#proposal-likelihood-error")).to_have_text("应为 1 至 5 的整数。")
    expect(page.locator("#proposal-likelihood")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("建议影响程度")).to_have_value("4")
    expect(page.get_by_label("调整评级的风险（编号）")).to_have_value(own["code"])
    expect(page.get_by_label("原因")).to_have_value("欠款扩大")
    assert sql(app, "SELECT count(*) FROM risk_proposals") == [(0,)]
    page.console_errors.clear()  # the refusal's 422, expected
    check_page(page)
    page.get_by_label("建议可能性").select_option("3")
    page.get_by_role("button", name="提出建议").click()
    expect(page.locator("#risk-proposals tbody tr")).to_have_count(1)
    stored = company.manager.get("/risk-proposals").get_json()["items"]
    assert [(p["kind"], p["risk_id"], p["likelihood"], p["impact"]) for p in stored] == [
        ("regrade", own["id"], 3, 4)]
    overflow = screenshots(page, server, f"/recommendations/{rec['id']}", "eyes17-recommendation")
    assert set(overflow.values()) == {0}, overflow


def test_a_kind_named_like_another_comes_back_as_typed(server, browser_page, company, app):
    page = browser_page
    sign_in(page, server, "admin")
    page.goto(server + "/admin/supervision-kinds")
    page.get_by_label("编码", exact=True).fill("budget2")
    page.get_by_label("中文名称").fill("预算管理")
    page.get_by_label("英文名称").fill("Budgets")
    page.get_by_label("排列顺序").fill("4")
    page.get_by_role("button", name="新增", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#label_zh-error")).to_have_text("类别budget已使用此名称。")
    expect(page.get_by_label("中文名称")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("编码", exact=True)).to_have_value("budget2")
    expect(page.get_by_label("中文名称")).to_have_value("预算管理")
    expect(page.get_by_label("英文名称")).to_have_value("Budgets")
    expect(page.get_by_label("排列顺序")).to_have_value("4")
    assert sql(app, "SELECT count(*) FROM supervision_kinds WHERE code = 'budget2'") == [(0,)]
    page.console_errors.clear()  # the refusal's status, expected
    check_page(page)
