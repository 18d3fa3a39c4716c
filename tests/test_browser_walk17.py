"""Issue 17's walk in the browser, with clicks and keys only: a unit head proposes a project for the unit, the
inspector files it, issues a notice, monitors, records the mid-year inspection and two recommendations (one
raised from it), issues them; the head rectifies, the inspector verifies, records two benefits and closes the
project, then reads the year's figures. The stored results are checked through the API along the way."""
import re
from datetime import timedelta

from playwright.sync_api import expect

from browser import check_page, sign_in
from riskflow import periods
from test_reports import pdf_text


def switch_to(page, server, username):
    page.get_by_role("button", name="退出").click()
    sign_in(page, server, username)


def test_an_inspector_walks_a_units_proposal_through_the_year_to_its_figures(server, browser_page, company, make,
                                                                             app):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    api = company.inspector
    with app.app_context():
        today = periods.today()
    held = today - timedelta(days=1)
    year = held.year  # the project's year holds yesterday's inspection (New Year's Day: last year's project)

    # The unit head proposes a project for the unit.
    sign_in(page, server, "head_bj")
    page.get_by_role("link", name="效能监察", exact=True).click()
    page.get_by_role("link", name="提出立项建议").click()
    expect(page.get_by_role("heading", name="提出立项建议")).to_be_visible()
    page.get_by_label("监察项目").fill("应收账款清欠效能监察")
    page.get_by_label("年度").fill(str(year))
    page.get_by_label("类型").select_option("sales_collection")
    page.get_by_label("立项理由").fill("逾期应收账款占比上升")
    page.get_by_label("关键控制点").fill("客户授信、账龄分析、催收")
    check_page(page)
    page.get_by_role("button", name="提交立项建议").click()
    expect(page.locator(".state")).to_have_text("待审核")
    pid = int(re.search(r"/supervision/(\d+)", page.url).group(1))
    stored = api.get(f"/supervision-projects/{pid}").get_json()
    assert {k: stored[k] for k in ("state", "origin", "lead_unit", "year", "kind", "title")} == {
        "state": "proposed", "origin": "unit", "lead_unit": "BJ", "year": year, "kind": "sales_collection",
        "title": "应收账款清欠效能监察"}
    code = stored["code"]

    # The inspector files it from the board's lane of proposals.
    switch_to(page, server, "inspector")
    page.get_by_role("link", name=re.compile("立项建议待审核")).click()
    page.locator(".lane-proposals").get_by_role("link", name=code).click()
    page.get_by_role("button", name="立项备案").click()
    expect(page.locator(".state")).to_have_text("立项备案")
    assert api.get(f"/supervision-projects/{pid}").get_json()["state"] == "setup"

    # A notice to the unit: its PDF opens and carries the year's first number.
    page.get_by_label("主送单位").select_option("BJ")
    page.get_by_label("事由").fill("关于开展应收账款清欠效能监察的通知")
    page.get_by_label("通知内容").fill("请于30日内报送清欠台账。")
    page.get_by_role("button", name="下达通知书").click()
    number = f"监通〔{today.year}〕1号"
    expect(page.locator(".flash").filter(has_text=f"通知书{number}已下达")).to_be_visible()
    notices = api.get(f"/supervision-projects/{pid}/notices").get_json()["items"]
    assert [(n["number"], n["recipient_unit"], n["subject"]) for n in notices] == [
        (number, "BJ", "关于开展应收账款清欠效能监察的通知")]
    link = page.locator("#notices").get_by_role("link", name=number)
    pdf = page.request.get(server + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert number in pdf_text(pdf.body())
    check_page(page)

    page.get_by_role("button", name="开始监督检查").click()
    expect(page.locator(".state")).to_have_text("监督检查")

    # The mid-year inspection.
    form = page.locator("#record-inspection")
    form.get_by_label("检查日期").fill(held.isoformat())
    form.get_by_label("听取汇报").check()
    form.get_by_label("查阅资料").focus()
    page.keyboard.press("Space")
    form.get_by_label("检查发现").fill("部分客户超信用额度发货")
    form.get_by_label("评价").select_option(label="较好")
    form.get_by_role("button", name="登记检查").click()
    expect(page.get_by_text(f"已登记 {held.isoformat()} 的年中检查。")).to_be_visible()
    inspections = api.get(f"/supervision-projects/{pid}/inspections").get_json()["items"]
    assert [(i["held_on"], i["methods"], i["findings"], i["rating"]) for i in inspections] == [
        (held.isoformat(), ["report", "documents"], "部分客户超信用额度发货", "fair")]

    # Two recommendations, the first raised from the inspection.
    for finding, advice, from_inspection in (("部分客户超信用额度发货", "严格执行客户授信审批", True),
                                              ("逾期账款催收记录不全", "建立催收台账", False)):
        rec_form = page.locator("#record-recommendation")
        rec_form.locator("#rec-finding").fill(finding)
        rec_form.locator("#rec-recommendation").fill(advice)
        rec_form.locator("#rec-responsible_unit").select_option("BJ")
        if from_inspection:
            rec_form.get_by_label("来自年中检查").select_option(label=f"{held.isoformat()} 检查（较好）")
        rec_form.get_by_role("button", name="登记", exact=True).click()
        expect(page.locator(".flash-info")).to_contain_text("已登记")
    recs = api.get(f"/recommendations?project_id={pid}").get_json()["items"]
    recs.sort(key=lambda r: r["id"])
    assert [(r["finding"], r["responsible_unit"], r["inspection_id"], r["state"]) for r in recs] == [
        ("部分客户超信用额度发货", "BJ", inspections[0]["id"], "issued"),
        ("逾期账款催收记录不全", "BJ", None, "issued")]
    check_page(page)
    page.get_by_role("button", name="下达监察建议").click()
    expect(page.locator(".state")).to_have_text("监察建议")
    assert api.get(f"/supervision-projects/{pid}").get_json()["state"] == "recommendation"

    # The unit head accepts each and submits the rectification report.
    switch_to(page, server, "head_bj")
    for rec in recs:
        page.goto(f"{server}/supervision/{pid}")
        page.get_by_role("link", name=rec["letter_no"]).first.click()
        page.get_by_role("button", name="接收并开始整改").click()
        expect(page.locator(".state")).to_have_text("整改中")
        page.get_by_label("整改报告").fill(f"{rec['letter_no']}已整改完毕")
        page.get_by_role("button", name="提交整改报告").click()
        expect(page.locator(".state")).to_have_text("已提交整改报告")
        check_page(page)
    assert [api.get(f"/recommendations/{r['id']}").get_json()["state"] for r in recs] == ["submitted", "submitted"]

    # The inspector verifies both.
    switch_to(page, server, "inspector")
    for rec in recs:
        page.goto(f"{server}/supervision/{pid}")
        page.get_by_role("link", name=rec["letter_no"]).first.click()
        page.get_by_role("button", name="验收通过").click()
        expect(page.locator(".state")).to_have_text("已验收")
    verified = [api.get(f"/recommendations/{r['id']}").get_json() for r in recs]
    assert [(r["state"], r["rectification_report"]) for r in verified] == [
        ("verified", f"{recs[0]['letter_no']}已整改完毕"), ("verified", f"{recs[1]['letter_no']}已整改完毕")]

    # Benefits of two kinds, each from a recommendation.
    page.goto(f"{server}/supervision/{pid}")
    for amount, kind, rec, description in (("1700000", "cost_reduction", recs[0], "减少超额度发货损失约170万元"),
                                           ("450000.50", "recovered", recs[1], "追回历史欠款45万元")):
        page.locator("#benefit-amount").fill(amount)
        page.locator("#benefit-kind").select_option(kind)
        page.locator("#benefit-recommendation_id").select_option(label=f"{rec['letter_no']} {rec['finding']}")
        page.locator("#benefit-description").fill(description)
        page.get_by_role("button", name="登记效益").click()
        expect(page.locator("#benefit-list tbody tr")).to_have_count(1 if kind == "cost_reduction" else 2)
    expect(page.locator("#benefit-total")).to_have_text("2,150,000.50")
    benefits = api.get(f"/supervision-projects/{pid}/benefits").get_json()["items"]
    assert [(b["amount"], b["kind"], b["recommendation_id"]) for b in benefits] == [
        (1700000.0, "cost_reduction", recs[0]["id"]), (450000.5, "recovered", recs[1]["id"])]
    check_page(page)

    # Rectification, then the project is closed.
    page.get_by_role("button", name="进入整改").click()
    expect(page.locator(".state")).to_have_text("整改落实")
    page.locator("#comment-close").fill("两条建议均已整改验收，项目结项。")
    page.get_by_role("button", name="结项归档").click()
    expect(page.locator(".state")).to_have_text("已结项")
    closed = api.get(f"/supervision-projects/{pid}").get_json()
    assert (closed["state"], closed["origin"], closed["economic_benefit"]) == ("closed", "unit", 2150000.5)

    # The year's page.
    page.goto(f"{server}/supervision?year={year}")
    page.get_by_role("link", name="年度汇总").click()
    table = page.locator("#year-figures")
    expect(table.locator("thead th").nth(1)).to_have_text(str(year))

    def first_column(label):
        return table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=label, exact=True)).locator(
            "td").first

    expect(first_column("立项数")).to_have_text("1")
    expect(first_column("所属单位自选立项")).to_have_text("1")
    expect(first_column("已结项")).to_have_text("1")
    expect(first_column("下达效能监察通知书（份）")).to_have_text("1")
    expect(first_column("提出整改建议（条）")).to_have_text("2")
    expect(first_column("已验收")).to_have_text("2")
    expect(first_column("闭环率")).to_have_text("100%")
    expect(first_column("直接经济效益（元）")).to_have_text("2,150,000.50")
    check_page(page)
    figures = api.get(f"/supervision-summary?year={year}").get_json()
    assert figures["projects"]["total"] == 1 and figures["projects"]["by_origin"] == {"company": 0, "unit": 1}
    assert figures["notices"] == 1
    assert (figures["recommendations"]["issued"], figures["recommendations"]["verified"]) == (2, 2)
    assert figures["closed_loop_rate"] == 1.0
    assert figures["economic_benefit"]["total"] == 2150000.5
