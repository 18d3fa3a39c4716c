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
