"""Links to the register in the browser: the inspector names risks by code and proposes a new risk from a
recommendation; the risk manager accepts it on /risk-proposals; bad codes and missing reasons come back as
typed, with the error at the field."""
import re

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql
from test_supervision import fire, new_project, recommend

CODES_OF_FINDING = "发现问题关联的风险（填风险编号，如 BJ-001, SH-003）"
CODES_OF_PROJECT = "控制点涉及的风险（填风险编号，如 BJ-001, SH-003）"


def expect_refused_at(page, field_id):
    expect(page.locator(".error-summary").first).to_be_visible()
    expect(page.locator(f"#{field_id}-error")).to_be_visible()
    expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")


def refusal_seen(page):
    """The refused form's page came back with 422, which Chromium logs: that one is expected."""
    assert [e for e in page.console_errors if "422" not in e] == []
    page.console_errors.clear()


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def monitored(company, make, **extra):
    make.unit("JJ", "纪检监察室", kind="inspection")
    project = new_project(company.inspector, **extra)
    for step in ("file", "start_monitoring"):
        fire(company.inspector, "supervision-projects", project["id"], step)
    return project


def test_the_inspector_names_risks_and_proposes_one_the_risk_manager_accepts(server, browser_page, company, make, app):
    page = browser_page
    bj1, bj2 = company.risk("应收账款回收风险"), company.risk("客户信用风险")
    project = monitored(company, make)
    rec = recommend(company.inspector, project["id"])
    sign_in(page, server, "inspector")

    # Naming risks by code on the recommendation's form: an unknown code comes back as typed.
    page.goto(f"{server}/recommendations/{rec['id']}/edit")
    page.get_by_label("依据").fill("《信用管理办法》第8条")
    page.get_by_label(CODES_OF_FINDING).fill("BJ-002, BJ-404")
    page.get_by_role("button", name="保存").click()
    expect_refused_at(page, "risk_codes")
    expect(page.locator("#risk_codes-error")).to_have_text("未知风险 BJ-404。")
    expect(page.get_by_label(CODES_OF_FINDING)).to_have_value("BJ-002, BJ-404")
    expect(page.get_by_label("依据")).to_have_value("《信用管理办法》第8条")
    check_page(page)
    assert sql(app, "SELECT count(*) FROM recommendation_risks") == [(0,)]
    page.get_by_label(CODES_OF_FINDING).fill("bj-002、BJ-001")
    page.get_by_label(CODES_OF_FINDING).press("Enter")
    expect(page.locator(".state")).to_have_text("已下达")
    assert company.inspector.get(f"/recommendations/{rec['id']}").get_json()["risk_ids"] == [bj1["id"], bj2["id"]]
    expect(page.locator("dd").filter(has_text="BJ-001")).to_contain_text("BJ-001 应收账款回收风险、BJ-002 客户信用风险")

    # Proposing a new risk: without a reason it comes back as typed, the error at the reason.
    page.get_by_label("建议类型").select_option("new")
    page.get_by_label("新增风险名称").fill("大客户信用额度失控风险")
    page.get_by_label("新增风险类别").select_option("receivables")
    page.get_by_label("建议可能性").select_option("4")
    page.get_by_label("建议影响程度").select_option("3")
    page.get_by_role("button", name="提出建议").click()
    expect_refused_at(page, "proposal-reason")
    expect(page.get_by_label("新增风险名称")).to_have_value("大客户信用额度失控风险")
    expect(page.get_by_label("建议可能性")).to_have_value("4")
    expect(page.get_by_label("新增风险类别")).to_have_value("receivables")
    refusal_seen(page)
    check_page(page)
    assert sql(app, "SELECT count(*) FROM risk_proposals") == [(0,)]
    page.get_by_label("原因").fill("多家大客户欠款超过信用额度")
    page.get_by_role("button", name="提出建议").click()
    expect(page.locator("#risk-proposals tbody tr")).to_have_count(1)
    expect(page.locator("#risk-proposals tbody")).to_contain_text("大客户信用额度失控风险")
    expect(page.locator("#risk-proposals tbody")).to_contain_text("待决定")
    sign_out(page)

    # The risk manager: the to-do leads to the list; a decline without a reason is refused, then accept.
    sign_in(page, server, "manager")
    page.get_by_role("link", name="待决定的风险建议").click()
    expect(page.get_by_role("heading", name="风险建议", exact=True)).to_be_visible()
    proposal_id = sql(app, "SELECT id FROM risk_proposals")[0][0]
    page.get_by_role("button", name="退回").click()
    expect_refused_at(page, f"p{proposal_id}-comment")
    refusal_seen(page)
    check_page(page)
    page.get_by_label("意见（退回时必填）").fill("同意纳入")
    page.get_by_role("button", name="采纳入风险库").click()
    expect(page.locator(".flash, .flashes").first).to_contain_text("已采纳入风险库")
    proposal = company.manager.get(f"/risk-proposals/{proposal_id}").get_json()
    assert (proposal["state"], proposal["decision_comment"], proposal["risk_code"]) == ("accepted", "同意纳入", "BJ-003")
    created = company.manager.get(f"/risks/{proposal['risk_id']}").get_json()
    assert (created["title"], created["unit"], created["category"], created["latest"]["score"]) == (
        "大客户信用额度失控风险", "BJ", "receivables", 12)
    assert company.inspector.get(f"/recommendations/{rec['id']}").get_json()["risk_ids"] == [
        bj1["id"], bj2["id"], proposal["risk_id"]]

    # The risk's page lists the recommendation naming it.
    page.goto(f"{server}/risks/{proposal['risk_id']}")
    links = page.locator("#supervision-links")
    expect(links).to_contain_text(rec["letter_no"])
    links.get_by_role("link", name=rec["letter_no"]).click()
    expect(page).to_have_url(re.compile(rf"/recommendations/{rec['id']}$"))


def test_a_bad_code_on_the_filing_form_keeps_what_was_typed(server, browser_page, company, make, app):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    risk = company.risk("应收账款回收风险")
    sign_in(page, server, "inspector")
    page.goto(server + "/supervision/new")
    page.get_by_label("监察项目", exact=True).fill("应收账款管理效能监察")
    page.get_by_label("关键控制点", exact=True).fill("回款节点")
    page.get_by_label(CODES_OF_PROJECT).fill("BJ-001 SH-999")
    page.get_by_role("button", name="保存为草拟").click()
    expect_refused_at(page, "risk_codes")
    expect(page.get_by_label(CODES_OF_PROJECT)).to_have_value("BJ-001 SH-999")
    expect(page.get_by_label("监察项目", exact=True)).to_have_value("应收账款管理效能监察")
    expect(page.get_by_label("关键控制点", exact=True)).to_have_value("回款节点")
    check_page(page)
    assert sql(app, "SELECT count(*) FROM supervision_projects") == [(0,)]
    page.get_by_label(CODES_OF_PROJECT).fill("BJ-001")
    page.get_by_label("类型").select_option("sales_collection")  # the form chooses no kind for the user
    page.get_by_role("button", name="保存为草拟").click()
    expect(page.locator("#named-risks")).to_contain_text("BJ-001 应收账款回收风险")
    project_id = int(re.search(r"/supervision/(\d+)", page.url).group(1))
    assert company.inspector.get(f"/supervision-projects/{project_id}").get_json()["risk_ids"] == [risk["id"]]
    entries = company.inspector.get(f"/history?entity=supervision_project&id={project_id}").get_json()["items"]
    assert entries[0]["changes"]["risks"] == [None, ["BJ-001"]]


def test_screenshots_of_the_risk_link_pages(server, browser_page, company, make):
    page = browser_page
    bj1 = company.risk("应收账款回收风险")
    project = monitored(company, make, risk_ids=[bj1["id"]])
    rec = recommend(company.inspector, project["id"], risk_ids=[bj1["id"]])
    company.inspector.post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "new", "title": "大客户信用额度失控风险", "category": "receivables", "likelihood": 4, "impact": 3,
        "reason": "多家大客户欠款超过信用额度"})
    company.inspector.post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "regrade", "risk_id": bj1["id"], "likelihood": 3, "impact": 4, "reason": "回款周期拉长"})
    sign_in(page, server, "manager")
    for path, name in (("/risk-proposals", "risk-proposals"), (f"/risks/{bj1['id']}", "risk-links")):
        overflow = screenshots(page, server, path, name)
        check_page(page)
        assert overflow[("zh", "phone")] <= 0, name
    page.get_by_role("button", name="退出").click()
    sign_in(page, server, "inspector")
    for path, name in ((f"/supervision/{project['id']}", "project-risks"),
                       (f"/recommendations/{rec['id']}", "recommendation-proposals")):
        screenshots(page, server, path, name)
        check_page(page)
