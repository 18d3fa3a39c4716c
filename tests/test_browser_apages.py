"""Browser walks of the action pages: a warning answered with two actions, carried out, confirmed or sent back,
and the warning confirmed done; the forms' bad values; screenshots."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MONTH = TODAY.strftime("%Y-%m")


def _due(days=20):
    return (TODAY + timedelta(days=days)).isoformat()


def _warning(company):
    risk = company.risk("渠道压货风险")
    company.grade(risk["id"], MONTH, 5, 4)
    return risk, company.manager.get(f"/warnings?period={MONTH}").get_json()["items"][0]


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def _assign_from_warnings(page, server, title, owner, due):
    page.goto(f"{server}/warnings?period={MONTH}")
    page.get_by_role("link", name=re.compile("^新增措施")).click()
    expect(page.get_by_role("heading", name="新增措施")).to_be_visible()
    page.get_by_label("措施", exact=True).fill(title)
    page.get_by_label("措施内容").fill(f"{title}的具体做法")
    page.get_by_label("责任人").select_option(owner)
    page.get_by_label("完成期限").fill(due)
    check_page(page)
    page.get_by_role("button", name="分派").click()
    expect(page.locator(".state")).to_have_text("未开始")
    return page.url.rsplit("/", 1)[1]


def _step(page, name, box=None, text=None):
    form = page.locator("form.transition-form").filter(has=page.get_by_role("button", name=name))
    if box is not None:
        form.get_by_label(box).fill(text)
    form.get_by_role("button", name=name).click()


def test_a_warning_answered_with_actions_carried_out_confirmed_and_then_the_warning_done(
        server, browser_page, company, app, tmp_path):
    page = browser_page
    risk, warning = _warning(company)
    sign_in(page, server, "manager")
    first = _assign_from_warnings(page, server, "清理渠道库存", "officer_bj", _due(10))
    second = _assign_from_warnings(page, server, "调整返利政策", "head_bj", _due(20))
    page.goto(f"{server}/warnings?period={MONTH}")
    row = page.locator(f"#warning-{warning['id']}")
    expect(row.locator(".warning-action-list li")).to_have_count(2)
    check_page(page)
    sign_out(page)

    # The owner's unit starts the first, reports what was done and attaches the evidence.
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/actions")
    expect(page.locator("table.action-list tbody tr")).to_have_count(2)
    page.get_by_role("link", name=re.compile(r"CS-\d{4}-0001")).click()
    _step(page, "开始执行")
    expect(page.locator(".state")).to_have_text("进行中")
    evidence = tmp_path / "库存清理表.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    page.get_by_label("证明材料").set_input_files(str(evidence))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("link", name="库存清理表.pdf")).to_be_visible()
    _step(page, "提交完成情况", "完成情况", "渠道库存已清理至两周用量")
    expect(page.locator(".state")).to_have_text("已提交待确认")
    check_page(page)
    # The second: started and submitted as well.
    page.goto(f"{server}/actions/{second}")
    _step(page, "开始执行")
    _step(page, "提交完成情况", "完成情况", "返利政策已调整")
    expect(page.locator(".state")).to_have_text("已提交待确认")
    sign_out(page)

    # The risk manager confirms the first and sends the second back with a reason.
    sign_in(page, server, "manager")
    page.goto(f"{server}/actions?state=submitted")
    expect(page.locator("table.action-list tbody tr")).to_have_count(2)
    page.goto(f"{server}/actions/{first}")
    _step(page, "确认完成")
    expect(page.locator(".state")).to_have_text("已完成")
    page.goto(f"{server}/actions/{second}")
    _step(page, "退回", "意见", "未附调整后的返利文件")
    expect(page.locator(".state")).to_have_text("进行中")
    sign_out(page)

    # The owner reads the reason beside the report box, where the report waits to be completed.
    sign_in(page, server, "head_bj")
    page.goto(f"{server}/actions?returned=1")
    page.get_by_role("link", name=re.compile(r"CS-\d{4}-0002")).click()
    expect(page.locator(".sent-back")).to_contain_text("未附调整后的返利文件")
    box = page.get_by_label("完成情况")
    expect(box).to_have_value("返利政策已调整")
    box.fill("返利政策已调整，调整文件已上传")
    page.get_by_role("button", name="提交完成情况").click()
    expect(page.locator(".state")).to_have_text("已提交待确认")
    sign_out(page)

    sign_in(page, server, "manager")
    page.goto(f"{server}/actions/{second}")
    _step(page, "确认完成")
    expect(page.locator(".state")).to_have_text("已完成")
    page.goto(f"{server}/warnings?period={MONTH}")
    row = page.locator(f"#warning-{warning['id']}")
    progress = row.locator(f"#w{warning['id']}-progress")
    expect(progress).to_have_value("100")
    expect(progress).to_have_attribute("readonly", "")
    expect(row).to_contain_text("按措施完成情况计算")
    row.locator(f"#w{warning['id']}-status").select_option("done")
    page.get_by_role("button", name="保存全部应对").first.click()
    expect(page.get_by_text("已保存 1 条预警的应对。")).to_be_visible()
    check_page(page)

    stored = company.manager.get(f"/warnings?period={MONTH}").get_json()["items"][0]
    assert (stored["progress"], stored["status"]) == (100, "done")
    actions = company.manager.get(f"/actions?warning_id={warning['id']}").get_json()["items"]
    assert [(a["id"], a["state"], a["owner"], a["risk_id"], a["report"]) for a in actions] == [
        (int(first), "done", "officer_bj", risk["id"], "渠道库存已清理至两周用量"),
        (int(second), "done", "head_bj", risk["id"], "返利政策已调整，调整文件已上传")]
    steps = [(e["action"], e["actor"]) for e in company.manager.get(
        f"/history?entity=action&id={second}").get_json()["items"] if e["to_state"]]
    assert steps == [("create", "manager"), ("start", "officer_bj"), ("submit", "officer_bj"), ("return", "manager"),
                     ("submit", "head_bj"), ("confirm", "manager")]
    assert sql(app, "SELECT filename FROM attachments WHERE entity = 'action' AND entity_id = :id",
               id=int(first)) == [("库存清理表.pdf",)]


def expect_refused_at(page, field_id):
    """The form came back with the error at the field and the summary above it."""
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(f"#{field_id}-error")).to_be_visible()
    expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")


def test_bad_values_on_the_new_and_edit_forms_keep_what_was_typed_and_store_nothing(
        server, browser_page, company, app):
    page = browser_page
    _risk, warning = _warning(company)
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/actions/new?warning_id={warning['id']}")
    expect(page.locator(".linked-items")).to_contain_text(f"{MONTH} ")
    # The officer is offered only the people of their own unit.
    options = page.get_by_label("责任人").locator("option").evaluate_all("els => els.map(e => e.value)")
    assert options == ["", "officer_bj", "head_bj"]

    # No title and a due date already past.
    page.get_by_label("措施内容").fill("逐户核对库存")
    page.get_by_label("责任人").select_option("head_bj")
    page.get_by_label("完成期限").fill((TODAY - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="分派").click()
    expect_refused_at(page, "title")
    expect_refused_at(page, "due_date")
    expect(page.get_by_label("措施内容")).to_have_value("逐户核对库存")
    expect(page.get_by_label("责任人")).to_have_value("head_bj")
    expect(page.get_by_label("完成期限")).to_have_value((TODAY - timedelta(days=1)).isoformat())
    check_page(page)

    # An owner of another unit, slipped into the select by hand.
    page.get_by_label("措施", exact=True).fill("清理渠道库存")
    page.get_by_label("完成期限").fill(_due())
    page.get_by_label("责任人").evaluate(
        "el => { const o = document.createElement('option'); o.value = 'officer_sh'; o.text = 'officer_sh'; "
        "el.add(o); el.value = 'officer_sh'; }")
    page.get_by_role("button", name="分派").click()
    expect_refused_at(page, "owner")
    expect(page.get_by_label("措施", exact=True)).to_have_value("清理渠道库存")
    expect(page.get_by_label("完成期限")).to_have_value(_due())
    assert sql(app, "SELECT count(*) FROM actions") == [(0,)]

    # Assigned, then edited with a bad value, then from a page gone stale.
    page.get_by_label("责任人").select_option("head_bj")
    page.get_by_role("button", name="分派").click()
    expect(page.locator(".state")).to_have_text("未开始")
    action_id = page.url.rsplit("/", 1)[1]
    page.get_by_role("link", name="编辑").click()
    page.get_by_label("措施", exact=True).fill("")
    page.get_by_label("措施内容").fill("逐户核对并清理")
    page.get_by_role("button", name="保存").click()
    expect_refused_at(page, "title")
    expect(page.get_by_label("措施内容")).to_have_value("逐户核对并清理")
    check_page(page)
    page.get_by_label("措施", exact=True).fill("清理渠道库存（第二版）")
    # Meanwhile someone else changes it.
    assert company.manager.patch(f"/actions/{action_id}", {"title": "清理库存", "version": 1}).status_code == 200
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("措施", exact=True)).to_have_value("清理渠道库存（第二版）")
    expect(page.get_by_label("措施内容")).to_have_value("逐户核对并清理")
    stored = company.manager.get(f"/actions/{action_id}").get_json()
    assert (stored["title"], stored["description"], stored["owner"], stored["version"]) == (
        "清理库存", "逐户核对库存", "head_bj", 2)


def test_a_step_refused_on_the_action_page_keeps_its_text_and_says_why_at_its_box(
        server, browser_page, company, app):
    page = browser_page
    _risk, warning = _warning(company)
    made = company.manager.post("/actions", {"title": "清理库存", "owner": "officer_bj", "due_date": _due(),
                                             "warning_id": warning["id"]}).get_json()
    company.officer_bj.post(f"/actions/{made['id']}/transitions", {"transition": "start"})
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/actions/{made['id']}")
    # A report of blanks is no report.
    _step(page, "提交完成情况", "完成情况", "   ")
    expect(page.locator("#report-submit-error")).to_be_visible()
    expect(page.locator("#report-submit")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#report-submit")).to_have_value("   ")
    expect(page.locator(".state")).to_have_text("进行中")
    check_page(page)
    _step(page, "提交完成情况", "完成情况", "库存已清理")
    expect(page.locator(".state")).to_have_text("已提交待确认")
    sign_out(page)

    before = company.manager.get(f"/actions/{made['id']}").get_json()["version"]
    sign_in(page, server, "manager")
    page.goto(f"{server}/actions/{made['id']}")
    _step(page, "退回", "意见", "  ")
    expect(page.locator("#comment-return-error")).to_be_visible()
    expect(page.locator("#comment-return")).to_have_attribute("aria-invalid", "true")
    _step(page, "取消", "意见", " ")
    expect(page.locator("#comment-cancel-error")).to_be_visible()
    expect(page.locator(".state")).to_have_text("已提交待确认")
    check_page(page)
    stored = company.manager.get(f"/actions/{made['id']}").get_json()
    assert (stored["state"], stored["report"], stored["version"]) == ("submitted", "库存已清理", before)


def test_screenshots_of_the_action_pages(server, browser_page, company):
    page = browser_page
    risk, warning = _warning(company)
    made = company.manager.post("/actions", {"title": "清理渠道库存，压降至两周用量", "owner": "officer_bj",
                                             "due_date": _due(5), "warning_id": warning["id"],
                                             "description": "逐户核对经销商库存，超量部分暂停发货"}).get_json()
    company.manager.post("/actions", {"title": "调整返利政策", "owner": "head_bj", "due_date": _due(30),
                                      "warning_id": warning["id"]})
    company.officer_bj.post(f"/actions/{made['id']}/transitions", {"transition": "start"})
    company.officer_bj.post(f"/actions/{made['id']}/transitions", {"transition": "submit", "report": "已清理"})
    company.manager.post(f"/actions/{made['id']}/transitions", {"transition": "return", "comment": "缺少库存盘点表"})
    sign_in(page, server, "officer_bj")
    for path, name in (("/actions", "actions-list"), (f"/actions/{made['id']}", "action-detail"),
                       (f"/actions/new?warning_id={warning['id']}", "action-new"),
                       (f"/risks/{risk['id']}", "risk-actions"), (f"/warnings?period={MONTH}", "warnings-actions")):
        overflow = screenshots(page, server, path, name)
        check_page(page)
        assert set(overflow.values()) == {0}, (name, overflow)
