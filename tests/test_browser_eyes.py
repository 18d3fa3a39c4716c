"""Fresh eyes on issue 13 in a real Chromium: what a new user of a role met on a phone, by clicks and keys, the
result checked through the API."""
from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from test_supervision import fire, new_project


def test_an_inspector_on_a_phone_sees_why_a_recommendation_was_not_recorded(server, browser_page, company, make):
    page, inspector = browser_page, company.inspector
    make.unit("JJ", "纪检监察室", kind="inspection")
    pid = new_project(inspector)["id"]
    fire(inspector, "supervision-projects", pid, "file")
    fire(inspector, "supervision-projects", pid, "start_monitoring")
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, server, "inspector")
    page.goto(f"{server}/supervision/{pid}")
    page.get_by_label("依据").fill("《应收账款管理办法》第十二条")
    page.get_by_label("整改责任单位").select_option("SH")
    page.get_by_role("button", name="登记", exact=True).click()
    # The form is at the foot of a long page: the page comes back at the form, whose summary says what is wrong.
    summary = page.locator("#record-recommendation .error-summary")
    expect(summary).to_contain_text("发现的问题：该字段是必填字段。")
    expect(summary).to_be_in_viewport()
    expect(page.get_by_label("发现的问题")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("依据")).to_have_value("《应收账款管理办法》第十二条")
    expect(page.get_by_label("整改责任单位")).to_have_value("SH")
    assert inspector.get(f"/recommendations?project_id={pid}").get_json()["total"] == 0
    check_page(page)
    page.get_by_label("发现的问题").fill("部分客户欠款超过信用额度")
    page.get_by_label("监察建议", exact=True).fill("按月清理超期欠款")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".flash-info")).to_contain_text("已登记")
    items = inspector.get(f"/recommendations?project_id={pid}").get_json()["items"]
    assert [(r["finding"], r["basis"], r["responsible_unit"]) for r in items] == [
        ("部分客户欠款超过信用额度", "《应收账款管理办法》第十二条", "SH")]
    # On a phone the project's recommendations are cards whose lines say what they are.
    row = page.locator("table.stack tbody tr").filter(has_text=items[0]["letter_no"])
    expect(row.locator("td").nth(2)).to_have_attribute("data-label", "整改责任单位")
    assert row.bounding_box()["width"] > 300
    assert screenshots(page, server, f"/supervision/{pid}", "eyes-project") == {
        (lang, width): 0 for lang in ("zh", "en") for width in ("wide", "phone")}


def test_the_units_to_reopen_are_ticked_beside_their_names_on_a_phone(server, browser_page, company):
    page = browser_page
    assert company.manager.post("/rounds", {"period": "2026-05", "deadline": "2099-01-01"}).status_code == 201
    for unit in ("BJ", "SH"):  # a risk registered now is a risk of May when graded for it
        company.grade(company.risk(f"{unit}风险", unit=unit)["id"], "2026-05", 2, 2)
    assert company.manager.post("/rounds/2026-05/close", {}).status_code == 200
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, server, "manager")
    page.goto(server + "/rounds")
    for name in ("北京销售分公司", "上海销售分公司"):
        box = page.get_by_label(name).bounding_box()
        label = page.locator("label").filter(has_text=name).bounding_box()
        # The box starts its label's line, and the name is not broken over two lines.
        assert abs(box["x"] - label["x"]) < 4 and label["height"] < 2 * box["height"] + 8, (name, box, label)
    check_page(page)
    page.get_by_label("北京销售分公司").uncheck()
    page.get_by_label("原因").fill("上海补录")
    page.get_by_label("新的截止日期").fill("2099-02-01")
    page.get_by_role("button", name="为勾选的单位重新开放").click()
    expect(page.locator(".flash-info")).to_contain_text("上海销售分公司")
    assert {u["unit"]: u["open"] for u in company.manager.get("/rounds/2026-05").get_json()["units"]} == {
        "BJ": False, "SH": True}
    # The round's heading does not call it simply closed while a unit grades in it again.
    expect(page.locator("#round-2026-05 h2")).to_have_text("2026-05 · 截止 2099-01-01 · 已关闭；已为 1 个单位重新开放")
    assert screenshots(page, server, "/rounds", "eyes-rounds") == {
        (lang, width): 0 for lang in ("zh", "en") for width in ("wide", "phone")}


def test_an_officer_walks_to_a_past_quarter_and_sends_its_nil_report(server, browser_page, company):
    page = browser_page
    assert company.manager.post("/incident-rounds", {"quarter": "2026-Q2", "deadline": "2099-01-01"}
                                ).status_code == 201
    assert company.manager.post("/incident-rounds", {"quarter": "2026-Q3", "deadline": "2099-01-01"}
                                ).status_code == 201
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, server, "officer_sh")
    page.goto(server + "/incidents/collection?quarter=2026-Q3")
    page.get_by_role("link", name="← 2026-Q2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("风险事件季度收集 · 2026-Q2")
    page.get_by_role("button", name="报送零报告").click()
    expect(page.locator(".error-summary")).to_contain_text("请勾选确认本单位本季度没有发生风险事件。")
    check_page(page)
    page.get_by_label("我确认：本单位 2026-Q2 没有发生风险事件或未遂事件。").check()
    page.get_by_role("button", name="报送零报告").click()
    expect(page.locator(".flash-info")).to_have_text("本单位 2026-Q2 的零报告已报送。")
    units = company.manager.get("/incident-rounds/2026-Q2").get_json()["units"]
    assert [(u["unit"], u["status"], u["nil"]) for u in units] == [("BJ", "missing", False), ("SH", "done", True)]
    assert screenshots(page, server, "/incidents/collection?quarter=2026-Q2", "eyes-collection") == {
        (lang, width): 0 for lang in ("zh", "en") for width in ("wide", "phone")}
