"""Editing what was recorded, in the browser: a project's filing form filled in after creation and walked to
closed, a recommendation before its unit accepts it, a reported incident, an indicator, and a stale edit
from a second tab refused with the typed values kept."""
import re

from playwright.sync_api import expect

from browser import ARTIFACTS, check_page, screenshots, sign_in
from conftest import sql
from test_incidents import incident


FORM_RIGHT_EDGE = """() => Math.max(...Array.from(document.querySelectorAll('form.card, form.card *'))
  .map(el => el.getBoundingClientRect().right))"""


def expect_refused_at(page, field_id):
    """The form came back with the error at the field and the summary above it."""
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(f"#{field_id}-error")).to_be_visible()
    expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def test_an_inspector_fills_in_a_draft_project_later_and_walks_it_to_closed(server, browser_page, company, make,
                                                                             app):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    sign_in(page, server, "inspector")
    page.goto(server + "/supervision/new")
    page.get_by_label("监察项目").fill("销售费用效能监察")
    page.get_by_label("类型").select_option("budget")
    page.get_by_label("监察方式").select_option("document_analysis")
    page.get_by_label("牵头单位").select_option("JJ")
    page.get_by_label("参与单位").select_option(["BJ"])
    page.get_by_role("button", name="保存为草拟").click()
    expect(page.locator(".state")).to_have_text("草拟")
    project_id = int(re.search(r"/supervision/(\d+)", page.url).group(1))
    api = company.inspector
    assert {k: api.get(f"/supervision-projects/{project_id}").get_json()[k] for k in ("control_points", "plan")} == {
        "control_points": "", "plan": ""}

    # A bad value first: every typed value comes back, the error sits at its field, nothing is stored.
    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_label("监察项目")).to_have_value("销售费用效能监察")
    check_page(page)
    page.get_by_label("年度").fill("1999")
    page.get_by_label("关键控制点").fill("费用审批权限、报销单据真实性")
    page.get_by_label("工作方案").fill("5月调阅凭证，6月抽查网点")
    page.get_by_label("开始日期").fill("2026-05-01")
    page.get_by_role("button", name="保存").click()
    expect_refused_at(page, "year")
    expect(page.get_by_label("年度")).to_have_value("1999")
    expect(page.get_by_label("关键控制点")).to_have_value("费用审批权限、报销单据真实性")
    expect(page.get_by_label("工作方案")).to_have_value("5月调阅凭证，6月抽查网点")
    expect(page.get_by_label("开始日期")).to_have_value("2026-05-01")
    expect(page.get_by_label("参与单位")).to_have_values(["BJ"])
    check_page(page)
    assert sql(app, "SELECT plan, control_points, version FROM supervision_projects") == [("", "", 1)]

    page.get_by_label("年度").fill("2026")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".state")).to_have_text("草拟")
    expect(page.get_by_text("5月调阅凭证，6月抽查网点")).to_be_visible()
    stored = api.get(f"/supervision-projects/{project_id}").get_json()
    assert {k: stored[k] for k in ("year", "title", "control_points", "plan", "start_date", "participating_units",
                                   "version")} == {
        "year": 2026, "title": "销售费用效能监察", "control_points": "费用审批权限、报销单据真实性",
        "plan": "5月调阅凭证，6月抽查网点", "start_date": "2026-05-01", "participating_units": ["BJ"], "version": 2}

    # Through to closed: file, monitor, a recommendation (corrected before it is accepted), issue.
    page.get_by_role("button", name="立项备案").click()
    page.get_by_role("button", name="开始监督检查").click()
    expect(page.locator(".state")).to_have_text("监督检查")
    page.get_by_label("发现的问题").fill("部分网点招待费超标")
    page.get_by_label("监察建议", exact=True).fill("清理超标费用")
    page.get_by_label("整改责任单位").select_option("BJ")
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_role("link", name=re.compile("监建")).click()
    page.get_by_role("link", name="编辑").click()
    check_page(page)
    page.get_by_label("监察建议", exact=True).fill("")
    page.get_by_label("依据").fill("《费用管理办法》第12条")
    page.get_by_role("button", name="保存").click()
    expect_refused_at(page, "recommendation")
    expect(page.get_by_label("依据")).to_have_value("《费用管理办法》第12条")
    page.get_by_label("监察建议", exact=True).fill("清理超标费用并追回")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".state")).to_have_text("已下达")
    rec_url = page.url
    rec_id = int(rec_url.rsplit("/", 1)[1])
    rec = api.get(f"/recommendations/{rec_id}").get_json()
    assert (rec["recommendation"], rec["basis"], rec["version"]) == ("清理超标费用并追回", "《费用管理办法》第12条", 2)
    page.goto(f"{server}/supervision/{project_id}")
    page.get_by_role("button", name="下达监察建议").click()
    expect(page.locator(".state")).to_have_text("监察建议")
    sign_out(page)

    # The responsible unit rectifies; it may not edit the recommendation.
    sign_in(page, server, "head_bj")
    page.goto(rec_url)
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    page.get_by_role("button", name="接收并开始整改").click()
    page.get_by_label("整改报告").fill("已追回超标费用 3.2 万元")
    page.get_by_role("button", name="提交整改报告").click()
    expect(page.locator(".state")).to_have_text("已提交整改报告")
    sign_out(page)

    sign_in(page, server, "inspector")
    page.goto(rec_url)
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)  # accepted: the letter stands
    page.get_by_role("button", name="验收通过").click()
    expect(page.locator(".state")).to_have_text("已验收")
    page.goto(f"{server}/supervision/{project_id}")
    page.get_by_role("button", name="进入整改").click()
    page.locator("#comment-close").fill("整改到位，结项")
    page.get_by_role("button", name="结项归档").click()
    expect(page.locator(".state")).to_have_text("已结项")
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    check_page(page)

    closed = api.get(f"/supervision-projects/{project_id}").get_json()
    assert (closed["state"], closed["plan"], closed["control_points"]) == (
        "closed", "5月调阅凭证，6月抽查网点", "费用审批权限、报销单据真实性")
    entries = api.get(f"/history?entity=supervision_project&id={project_id}").get_json()["items"]
    assert [e["action"] for e in entries] == ["create", "update", "file", "start_monitoring", "recommend",
                                              "issue_recommendations", "start_rectification", "close"]
    assert entries[1]["changes"] == {
        "control_points": ["", "费用审批权限、报销单据真实性"], "plan": ["", "5月调阅凭证，6月抽查网点"],
        "start_date": [None, "2026-05-01"]}
    assert [e["action"] for e in api.get(f"/history?entity=recommendation&id={rec_id}").get_json()["items"]] == [
        "create", "update", "accept", "submit", "verify"]
    page.goto(f"{server}/supervision/{project_id}/edit")
    expect(page.locator(".flash-error")).to_contain_text("已结项")


def test_an_officer_corrects_a_reported_incident(server, browser_page, company):
    page = browser_page
    created = incident(company.officer_bj).get_json()
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/incidents/{created['id']}")
    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_label("风险事件")).to_have_value("客户货款被骗")
    expect(page.get_by_label("损失金额（元）")).to_have_value("120000.00")
    check_page(page)
    page.get_by_label("风险事件").fill("客户以伪造提货单骗取货物")
    page.get_by_label("已挽回（元）").fill("200000")
    page.get_by_label("原因").fill("提货单审核只看印章")
    page.get_by_role("button", name="保存").click()
    expect_refused_at(page, "recoveries")
    page.screenshot(path=str(ARTIFACTS / "edit-incident-refused-zh-wide.png"), full_page=True)
    expect(page.get_by_label("风险事件")).to_have_value("客户以伪造提货单骗取货物")
    expect(page.get_by_label("已挽回（元）")).to_have_value("200000")
    expect(page.get_by_label("原因")).to_have_value("提货单审核只看印章")
    assert company.officer_bj.get(f"/incidents/{created['id']}").get_json()["version"] == 1

    page.get_by_label("已挽回（元）").fill("20000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("客户以伪造提货单骗取货物")
    stored = company.officer_bj.get(f"/incidents/{created['id']}").get_json()
    assert {k: stored[k] for k in ("title", "cause", "recoveries", "net_loss", "state", "version")} == {
        "title": "客户以伪造提货单骗取货物", "cause": "提货单审核只看印章", "recoveries": 20000.0,
        "net_loss": 100000.0, "state": "reported", "version": 2}
    changes = company.officer_bj.get(f"/history?entity=incident&id={created['id']}").get_json()["items"][-1]
    assert (changes["action"], changes["changes"]) == ("update", {
        "title": ["客户货款被骗", "客户以伪造提货单骗取货物"], "cause": ["审核不严", "提货单审核只看印章"],
        "recoveries": ["0.00", "20000.00"]})

    # Reviewed at the meeting: only what was recovered can still change.
    assert company.manager.post(f"/incidents/{created['id']}/transitions",
                                {"transition": "review"}).status_code == 200
    page.goto(f"{server}/incidents/{created['id']}")
    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_label("风险事件")).to_have_count(0)
    page.get_by_label("已挽回（元）").fill("45000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".state")).to_have_text("已审议")
    assert company.manager.get(f"/incidents/{created['id']}").get_json()["net_loss"] == 75000.0


def test_the_risk_manager_edits_an_indicator(server, browser_page, company):
    page = browser_page
    created = company.manager.post("/indicators", {"code": "KRI-01", "name": "货款回收率", "rule": "below_target",
                                                   "unit": "BJ", "measure": "%"}).get_json()
    sign_in(page, server, "manager")
    page.goto(server + "/indicators")
    page.get_by_role("link", name="KRI-01").click()
    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_label("计量单位")).to_have_value("%")
    check_page(page)
    page.get_by_label("名称").fill("月度货款回收率")
    page.get_by_label("预警规则").select_option("above_target")
    page.get_by_label("超支冲减次月预算").check()
    page.get_by_role("button", name="保存").click()
    expect_refused_at(page, "carry_over")
    expect(page.get_by_label("名称")).to_have_value("月度货款回收率")
    expect(page.get_by_label("预警规则")).to_have_value("above_target")
    page.get_by_label("超支冲减次月预算").uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-info")).to_contain_text("KRI-01")
    stored = company.manager.get(f"/indicators/{created['id']}").get_json()
    assert (stored["name"], stored["rule"], stored["carry_over"], stored["active"], stored["version"]) == (
        "月度货款回收率", "above_target", False, True, 2)


def test_a_stale_edit_from_a_second_tab_is_refused_and_keeps_what_was_typed(server, browser_page, company, make):
    make.unit("JJ", "纪检监察室", kind="inspection")
    from test_supervision import new_project

    project = new_project(company.inspector, control_points="", plan="")
    first = browser_page
    sign_in(first, server, "inspector")
    second = first.context.new_page()
    for page in (first, second):
        page.goto(f"{server}/supervision/{project['id']}/edit")
    second.get_by_label("工作方案").fill("第二个标签页的方案")
    second.get_by_role("button", name="保存").click()
    expect(second.locator(".state")).to_have_text("草拟")

    first.get_by_label("关键控制点").fill("第一个标签页的控制点")
    first.get_by_label("工作方案").fill("第一个标签页的方案")
    first.get_by_role("button", name="保存").click()
    expect(first.locator(".error-summary")).to_contain_text("版本已过期")
    expect(first.locator(".flash-error")).to_contain_text("他人")
    expect(first.get_by_label("关键控制点")).to_have_value("第一个标签页的控制点")
    expect(first.get_by_label("工作方案")).to_have_value("第一个标签页的方案")
    check_page(first)
    ARTIFACTS.mkdir(exist_ok=True)
    first.screenshot(path=str(ARTIFACTS / "edit-project-stale-zh-wide.png"), full_page=True)
    stored = company.inspector.get(f"/supervision-projects/{project['id']}").get_json()
    assert (stored["control_points"], stored["plan"], stored["version"]) == ("", "第二个标签页的方案", 2)


def test_screenshots_of_the_edit_pages(server, browser_page, company, make):
    from test_supervision import fire, new_project, recommend

    make.unit("JJ", "纪检监察室", kind="inspection")
    page = browser_page
    project = new_project(company.inspector)
    for step in ("file", "start_monitoring"):
        fire(company.inspector, "supervision-projects", project["id"], step)
    rec = recommend(company.inspector, project["id"])
    created = incident(company.officer_bj).get_json()
    indicator = company.manager.post("/indicators", {"code": "KRI-01", "name": "货款回收率",
                                                     "rule": "below_target"}).get_json()
    sign_in(page, server, "admin")
    for path, name in ((f"/supervision/{project['id']}/edit", "edit-project"),
                       (f"/recommendations/{rec['id']}/edit", "edit-recommendation"),
                       (f"/incidents/{created['id']}/edit", "edit-incident"),
                       (f"/indicators/{indicator['id']}/edit", "edit-indicator")):
        screenshots(page, server, path, name)
        check_page(page)
        # The form fits a phone's width (the navigation bar above it is the site's own matter).
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(server + path)
        assert page.evaluate(FORM_RIGHT_EDGE) <= 390, name
        page.set_viewport_size({"width": 1366, "height": 900})
