"""In Chromium: the risk manager's rounds, an officer's quarterly incident answer, a sent-back rectification."""
import re
from datetime import timedelta

from playwright.sync_api import expect

from browser import ARTIFACTS, check_page, screenshots, sign_in
from conftest import sql
from riskflow import periods


MAIN_OVERFLOW = """() => Math.max(0, ...Array.from(document.querySelectorAll('main *'))
  .map(el => el.getBoundingClientRect().right - document.documentElement.clientWidth))"""


def main_overflow(page):
    """How far the widest element of the page's content reaches past the window's right edge, in pixels."""
    return page.evaluate(MAIN_OVERFLOW)


def dates(app):
    with app.app_context():
        return periods.today(), periods.current()


def test_the_risk_manager_opens_closes_after_confirming_and_reopens_a_whole_round(app, server, browser_page, company):
    page = browser_page
    today, this = dates(app)
    last, following = periods.shift(this, -1), periods.shift(this, 1)
    bj = company.risk("北京应收账款风险")
    company.risk("北京价格风险")
    company.risk("上海合同风险", unit="SH")
    assert company.manager.post("/rounds", {"period": last, "deadline": (today + timedelta(days=3)).isoformat()}).status_code == 201

    sign_in(page, server, "manager")
    page.goto(server + "/rounds")
    # The form proposes the month after the newest round, not the one already open.
    expect(page.get_by_label("月份")).to_have_value(this)
    check_page(page)

    # A deadline that has passed: refused at the field, both typed values kept, nothing opened.
    yesterday = (today - timedelta(days=1)).isoformat()
    page.get_by_label("截止日期", exact=True).fill(yesterday)
    page.get_by_role("button", name="开启").click()
    expect(page.locator("#open-deadline-error")).to_contain_text("截止日期已过")
    expect(page.locator("#open-deadline")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("月份")).to_have_value(this)
    expect(page.get_by_label("截止日期", exact=True)).to_have_value(yesterday)
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page)
    assert company.manager.get(f"/rounds/{this}").status_code == 404

    deadline = (today + timedelta(days=10)).isoformat()
    page.get_by_label("截止日期", exact=True).fill(deadline)
    page.get_by_role("button", name="开启").click()
    expect(page.locator(".flash-info")).to_contain_text(f"{this} 的评估轮次已开启")
    expect(page.get_by_label("月份")).to_have_value(following)
    body = company.manager.get(f"/rounds/{this}").get_json()
    assert (body["deadline"], body["closed"]) == (deadline, False)

    # BJ grades one risk; SH grades nothing: closing asks first, naming SH by its name.
    company.grade(bj["id"], this, 3, 4, api=company.officer_bj)
    page.reload()
    section = page.locator(f"#round-{this}")
    section.get_by_role("button", name="立即关闭并锁定评估结果").click()
    confirm = page.locator(f"#round-{this} .confirm-box")
    expect(confirm).to_contain_text("上海销售分公司尚未评估")
    expect(confirm).not_to_contain_text("北京销售分公司")
    expect(confirm).not_to_contain_text("SH")
    check_page(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rounds-confirm-zh-wide.png"), full_page=True)
    assert company.manager.get(f"/rounds/{this}").get_json()["closed"] is False
    confirm.get_by_role("button", name="仍然关闭并锁定评估结果").click()
    expect(page.locator(".flash-info")).to_contain_text(f"{this} 的评估轮次已关闭")
    body = company.manager.get(f"/rounds/{this}").get_json()
    assert body["closed"] is True
    assert [(u["unit"], u["graded"], u["total"], u["open"]) for u in body["units"]] == [
        ("BJ", 1, 2, False), ("SH", 0, 1, False)]

    # Reopen: every unit is ticked; a missing reason is refused at the field and the choices are kept.
    section = page.locator(f"#round-{this}")
    expect(section.get_by_label("北京销售分公司")).to_be_checked()
    expect(section.get_by_label("上海销售分公司")).to_be_checked()
    section.get_by_label("上海销售分公司").uncheck()
    new_deadline = (today + timedelta(days=4)).isoformat()
    section.get_by_label("新的截止日期").fill(new_deadline)
    section.get_by_role("button", name="为勾选的单位重新开放").click()
    section = page.locator(f"#round-{this}")
    expect(section.locator(f"#reopen-{this}-reason-error")).to_contain_text("请说明重新开放的原因")
    expect(section.locator(f"#reopen-{this}-reason")).to_have_attribute("aria-invalid", "true")
    expect(section.get_by_label("北京销售分公司")).to_be_checked()
    expect(section.get_by_label("上海销售分公司")).not_to_be_checked()
    expect(section.get_by_label("新的截止日期")).to_have_value(new_deadline)
    check_page(page)
    assert company.manager.get("/history?entity=grading_round&id=2").get_json()["items"][-1]["action"] == "close"

    section.get_by_label("上海销售分公司").check()
    section.get_by_label("原因").fill("各单位补报漏评风险")
    section.get_by_role("button", name="为勾选的单位重新开放").click()
    expect(page.locator(".flash-info")).to_contain_text(
        f"{this} 的评估轮次已为北京销售分公司、上海销售分公司重新开放")
    body = company.manager.get(f"/rounds/{this}").get_json()
    assert body["closed"] is True
    assert [(u["unit"], u["open"]) for u in body["units"]] == [("BJ", True), ("SH", True)]
    history = company.manager.get("/history?entity=grading_round&id=2").get_json()["items"]
    assert [(h["action"], h["changes"].get("unit", [None, None])[1], h["comment"]) for h in history] == [
        ("open", None, None), ("close", None, None), ("reopen", "BJ", "各单位补报漏评风险"),
        ("reopen", "SH", "各单位补报漏评风险")]
    company.grade(company.risk("上海新增风险", unit="SH")["id"], this, 1, 1, api=company.officer_sh)
    check_page(page)

    screenshots(page, server, "/rounds", "rounds")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(server + "/rounds")
    assert main_overflow(page) == 0  # the page's own content; the top bar is the layout's


def test_an_officer_reports_an_incident_and_sends_a_nil_report_for_last_quarter(app, server, browser_page, company):
    page = browser_page
    today, _ = dates(app)
    this = periods.quarter_of(today)
    last = periods.quarter_of(periods.quarter_start(this) - timedelta(days=1))
    deadline = (today + timedelta(days=20)).isoformat()
    for quarter in (last, this):
        assert company.manager.post("/incident-rounds", {"quarter": quarter, "deadline": deadline}).status_code == 201

    sign_in(page, server, "officer_bj")
    tasks = page.locator("ul.tasks")
    expect(tasks).to_contain_text(f"报送 {last} 的风险事件或零报告（截止 {deadline}）")
    expect(tasks).to_contain_text(f"报送 {this} 的风险事件或零报告")
    check_page(page)

    # An incident of this quarter, first discovered "before it occurred": refused at the field, all typed values kept.
    page.goto(server + "/incidents/new")
    page.get_by_label("风险事件", exact=True).fill("客户伪造提货单骗取货物")
    page.get_by_label("类型", exact=True).select_option("loss_event")
    page.get_by_label("发生日期").fill(today.isoformat())
    yesterday = (today - timedelta(days=1)).isoformat()
    page.get_by_label("发现日期").fill(yesterday)
    page.get_by_label("损失金额（元）").fill("12000")
    page.get_by_label("原因", exact=True).fill("提货单审核不严")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#discovered_on-error")).to_contain_text("发现日期不能早于发生日期")
    expect(page.locator("#discovered_on")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("风险事件", exact=True)).to_have_value("客户伪造提货单骗取货物")
    expect(page.get_by_label("发生日期")).to_have_value(today.isoformat())
    expect(page.get_by_label("发现日期")).to_have_value(yesterday)
    expect(page.get_by_label("损失金额（元）")).to_have_value("12000")
    expect(page.get_by_label("原因", exact=True)).to_have_value("提货单审核不严")
    check_page(page)
    assert company.manager.get("/incidents").get_json()["total"] == 0

    page.get_by_label("发现日期").fill(today.isoformat())
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".flash-info")).to_contain_text("已登记")
    [stored] = company.manager.get("/incidents").get_json()["items"]
    assert (stored["title"], stored["unit"], stored["quarter"], stored["occurred_on"], stored["discovered_on"],
            stored["losses"]["financial"], stored["cause"]) == (
        "客户伪造提货单骗取货物", "BJ", this, today.isoformat(), today.isoformat(), 12000.0, "提货单审核不严")

    # This quarter's collection: a nil report is refused while the quarter runs (the page says why at the box).
    page.goto(server + "/")
    page.get_by_role("link", name=re.compile(f"报送 {this} ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(this)
    expect(page.locator(".lead").first).to_contain_text("收集中")
    expect(page.locator(".lead").first).not_to_contain_text("未开始")
    expect(page.get_by_text(f"本单位 {this} 已登记风险事件：1 起。")).to_be_visible()
    page.get_by_label(re.compile("没有发生风险事件")).check()
    page.get_by_role("button", name="报送零报告").click()
    expect(page.locator("#nil-nil-error")).to_contain_text(f"须待 {this} 结束后")
    expect(page.get_by_label(re.compile("没有发生风险事件"))).to_be_checked()
    expect(page.get_by_label(re.compile("没有发生风险事件"))).to_have_attribute("aria-invalid", "true")
    check_page(page)
    page.screenshot(path=str(ARTIFACTS / "incident-collection-nil-refused-zh-wide.png"), full_page=True)
    page.get_by_role("button", name="报送本单位风险事件").click()
    expect(page.locator(".flash-info")).to_contain_text(f"{this} 的报送已记录")

    # Last quarter: the nil report asks for the confirmation first, then is recorded.
    page.goto(server + "/")
    page.get_by_role("link", name=re.compile(f"报送 {last} ")).click()
    expect(page.get_by_text(f"本单位 {last} 已登记风险事件：0 起。")).to_be_visible()
    page.get_by_role("button", name="报送零报告").click()
    expect(page.locator("#nil-nil-error")).to_contain_text("请勾选确认")
    check_page(page)
    assert sql(app, "SELECT count(*) FROM incident_returns WHERE nil") == [(0,)]
    page.get_by_label(re.compile("没有发生风险事件")).check()
    page.get_by_role("button", name="报送零报告").click()
    expect(page.locator(".flash-info")).to_contain_text(f"本单位 {last} 的零报告已报送")
    body = company.manager.get(f"/incident-rounds/{last}").get_json()
    assert [(u["unit"], u["status"], u["nil"], u["incidents"], u["submitted_on"]) for u in body["units"]] == [
        ("BJ", "done", True, 0, today.isoformat()), ("SH", "missing", False, 0, None)]
    body = company.manager.get(f"/incident-rounds/{this}").get_json()
    assert [(u["unit"], u["status"], u["nil"], u["incidents"]) for u in body["units"]] == [
        ("BJ", "done", False, 1), ("SH", "missing", False, 0)]

    page.goto(server + "/")
    expect(page.locator("main")).not_to_contain_text("零报告（截止")
    check_page(page)
    screenshots(page, server, f"/incidents/collection?quarter={last}", "incident-collection")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{server}/incidents/collection?quarter={last}")
    assert main_overflow(page) == 0


def test_a_sent_back_rectification_shows_the_reason_and_keeps_the_report_to_edit(server, browser_page, company, make):
    from test_supervision import fire, new_project, recommend

    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    inspector, head = company.inspector, company.head_bj
    project = new_project(inspector)
    for step in ("file", "start_monitoring"):
        assert fire(inspector, "supervision-projects", project["id"], step).status_code == 200
    rec = recommend(inspector, project["id"])
    assert fire(inspector, "supervision-projects", project["id"], "issue_recommendations").status_code == 200
    assert fire(head, "recommendations", rec["id"], "accept").status_code == 200
    first_report = "已清理超期欠款三笔，共计 45 万元。"
    assert fire(head, "recommendations", rec["id"], "submit", report=first_report).status_code == 200

    # The inspector sends it back; a reason too long is refused at its box, with the text kept.
    sign_in(page, server, "inspector")
    page.goto(f"{server}/recommendations/{rec['id']}")
    too_long = "缺" * 4001
    page.locator("#comment-reject").fill(too_long)
    page.get_by_role("button", name="退回整改").click()
    expect(page.locator("#comment-reject-error")).to_contain_text("最多 4000 个字符")
    expect(page.locator("#comment-reject")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#comment-reject")).to_have_value(too_long)
    check_page(page)
    assert head.get(f"/recommendations/{rec['id']}").get_json()["state"] == "submitted"
    reason = "未附银行回单，且未说明剩余两笔欠款的清收计划。"
    page.locator("#comment-reject").fill(reason)
    page.get_by_role("button", name="退回整改").click()
    expect(page.locator(".flash-info")).to_contain_text("退回整改")
    assert head.get(f"/recommendations/{rec['id']}").get_json()["state"] == "in_progress"
    page.get_by_role("button", name="退出").click()

    # The unit head sees the reason beside the form and the previous report in the box.
    sign_in(page, server, "head_bj")
    page.goto(f"{server}/recommendations/{rec['id']}")
    box = page.get_by_label("整改报告")
    expect(page.locator(".sent-back")).to_contain_text(reason)
    expect(page.locator(".sent-back")).to_contain_text("inspector")
    expect(box).to_have_value(first_report)
    check_page(page)
    screenshots(page, server, f"/recommendations/{rec['id']}", "rectification-sent-back")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{server}/recommendations/{rec['id']}")
    assert main_overflow(page) == 0
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{server}/recommendations/{rec['id']}")

    # A report too long: refused at the box, every character kept; then the edited report goes through.
    box = page.get_by_label("整改报告")
    box.fill(first_report + "附" * 4000)
    page.get_by_role("button", name="提交整改报告").click()
    expect(page.locator("#report-submit-error")).to_contain_text("最多 4000 个字符")
    expect(page.get_by_label("整改报告")).to_have_value(first_report + "附" * 4000)
    expect(page.locator(".sent-back")).to_contain_text(reason)
    check_page(page)
    edited = first_report + "\n已补附银行回单；剩余两笔欠款已签订分期还款协议，12 月底前清收。"
    page.get_by_label("整改报告").fill(edited)
    page.get_by_role("button", name="提交整改报告").click()
    expect(page.locator(".flash-info")).to_contain_text("提交整改报告")
    body = head.get(f"/recommendations/{rec['id']}").get_json()
    assert (body["state"], body["rectification_report"]) == ("submitted", edited.replace("\n", "\r\n"))  # as browsers send lines
    history = head.get(f"/history?entity=recommendation&id={rec['id']}").get_json()["items"]
    assert [(h["action"], h["comment"]) for h in history if h["to_state"]][-2:] == [("reject", reason), ("submit", None)]
    expect(page.locator(".sent-back")).to_have_count(0)
