"""The mid-year inspection in the browser: the inspector records it through the project page's section (a
refused one comes back as typed, the errors at the fields), then records a recommendation raised from it."""
from datetime import timedelta

from playwright.sync_api import expect

from browser import ARTIFACTS, check_page, screenshots, sign_in
from conftest import sql
from riskflow import periods
from test_supervision import fire, new_project


def monitored_project(app, company, make):
    """A project of this year (of yesterday's, on New Year's Day) being monitored; returns it and yesterday."""
    make.unit("JJ", "纪检监察室", kind="inspection")
    with app.app_context():
        today = periods.today()
    held = today - timedelta(days=1)
    project = new_project(company.inspector, year=held.year, economic_benefit=0)
    for step in ("file", "start_monitoring"):
        assert fire(company.inspector, "supervision-projects", project["id"], step).status_code == 200
    return project, held, today


def test_the_inspector_records_the_inspection_and_a_recommendation_from_it(server, browser_page, company, make, app):
    page = browser_page
    project, held, today = monitored_project(app, company, make)
    pid = project["id"]
    sign_in(page, server, "inspector")
    page.goto(f"{server}/supervision/{pid}")
    section = page.locator("#inspection")
    expect(section.get_by_role("heading", name="年中督导检查")).to_be_visible()
    expect(section.get_by_text("尚未登记年中检查。")).to_be_visible()
    # Nothing raised from an inspection yet: the recommendation form does not offer the choice.
    expect(page.locator("#rec-inspection_id")).to_have_count(0)
    check_page(page)

    # Refused: a date in the future and no method ticked; the rating and findings typed stay.
    form = page.locator("#record-inspection")
    form.get_by_label("检查日期").fill((today + timedelta(days=1)).isoformat())
    form.get_by_label("评价").select_option(label="较好")
    form.get_by_label("检查发现").fill("工程签证审核不严，存在重复计量")
    form.get_by_role("button", name="登记检查").click()
    form = page.locator("#record-inspection")
    expect(form.locator(".error-summary")).to_be_visible()
    expect(form.locator("#inspection-held_on-error")).to_have_text("检查日期不能晚于今天。")
    expect(form.locator("#inspection-held_on")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#inspection-methods-error")).to_have_text("请至少勾选一种检查方式。")
    expect(form.get_by_label("查勘现场")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("检查日期")).to_have_value((today + timedelta(days=1)).isoformat())
    expect(form.get_by_label("评价")).to_have_value("fair")
    expect(form.get_by_label("检查发现")).to_have_value("工程签证审核不严，存在重复计量")
    assert company.inspector.get(f"/supervision-projects/{pid}/inspections").get_json() == {"items": []}
    assert sql(app, "SELECT count(*) FROM supervision_inspections") == [(0,)]
    assert [e for e in page.console_errors if "422" not in e] == []
    page.console_errors.clear()  # the refusal's 422, expected
    check_page(page)
    form.screenshot(path=str(ARTIFACTS / "inspection-refused-zh-wide.png"))

    # A ticked method stays ticked when something else is refused.
    form.get_by_label("查勘现场").check()
    form.get_by_label("检查发现").fill("")
    form.get_by_role("button", name="登记检查").click()
    form = page.locator("#record-inspection")
    expect(form.locator("#inspection-findings-error")).to_have_text("请写明检查发现的问题。")
    expect(form.get_by_label("查勘现场")).to_be_checked()
    expect(form.get_by_label("听取汇报")).not_to_be_checked()
    expect(form.get_by_label("评价")).to_have_value("fair")
    page.console_errors.clear()  # the refusal's 422, expected

    # Corrected, with the keyboard for one of the boxes.
    form.get_by_label("检查日期").fill(held.isoformat())
    form.get_by_label("听取汇报").focus()
    page.keyboard.press("Space")
    form.get_by_label("检查发现").fill("工程签证审核不严，存在重复计量")
    form.get_by_label("评价").focus()
    form.get_by_label("评价").select_option("fair")
    form.get_by_role("button", name="登记检查").click()
    expect(page.get_by_text(f"已登记 {held.isoformat()} 的年中检查。")).to_be_visible()
    stored = company.inspector.get(f"/supervision-projects/{pid}/inspections").get_json()["items"]
    assert [{k: v for k, v in i.items() if k != "id"} for i in stored] == [{
        "project_id": pid, "held_on": held.isoformat(), "methods": ["report", "site"],
        "findings": "工程签证审核不严，存在重复计量", "rating": "fair", "recommendations": [], "version": 1}]
    record = page.locator("#inspection .inspection-record")
    expect(record).to_contain_text(f"{held.isoformat()} 检查")
    expect(record).to_contain_text("较好")
    expect(record).to_contain_text("听取汇报、查勘现场")  # the methods in the list's order
    check_page(page)

    # A recommendation raised from the inspection.
    rec_form = page.locator("#record-recommendation")
    rec_form.get_by_label("来自年中检查").select_option(label=f"{held.isoformat()} 检查（较好）")
    rec_form.locator("#rec-finding").fill("签证单未经监理复核即结算")
    rec_form.locator("#rec-recommendation").fill("建立工程签证三方复核制度")
    rec_form.locator("#rec-responsible_unit").select_option("BJ")
    rec_form.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".flash-info")).to_contain_text("已登记")
    recs = company.inspector.get(f"/recommendations?project_id={pid}").get_json()["items"]
    assert [(r["finding"], r["responsible_unit"], r["inspection_id"]) for r in recs] == [
        ("签证单未经监理复核即结算", "BJ", stored[0]["id"])]
    assert company.inspector.get(f"/supervision-projects/{pid}/inspections").get_json()["items"][0][
        "recommendations"] == [recs[0]["id"]]
    expect(page.locator("#inspection .inspection-record").get_by_role("link", name=recs[0]["letter_no"])).to_be_visible()
    check_page(page)
    overflow = screenshots(page, server, f"/supervision/{pid}", "inspection-project")
    assert set(overflow.values()) == {0}, overflow


def test_a_units_head_reads_the_inspection_without_the_form(server, browser_page, company, make, app):
    page = browser_page
    project, held, _today = monitored_project(app, company, make)
    response = company.inspector.post(f"/supervision-projects/{project['id']}/inspections", {
        "held_on": held.isoformat(), "methods": ["documents", "forum"], "findings": "合同台账不完整", "rating": "average"})
    assert response.status_code == 201, response.get_json()
    sign_in(page, server, "head_bj")
    page.goto(f"{server}/supervision/{project['id']}")
    record = page.locator("#inspection .inspection-record")
    expect(record).to_contain_text("合同台账不完整")
    expect(record).to_contain_text("查阅资料、座谈")
    expect(record).to_contain_text("一般")
    expect(page.locator("#record-inspection")).to_have_count(0)
    check_page(page)
