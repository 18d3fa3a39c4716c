"""An incident recorded with its corrective action, and a review meeting with its decisions, in Chromium: each
becomes an action, listed on its page; a refused form keeps every typed value with the error at its field."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql
from test_incidents import incident

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
QUARTER = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"


def test_an_incident_recorded_with_its_corrective_action_lists_the_action(app, server, browser_page, company):
    page = browser_page
    sign_in(page, server, "officer_bj")
    page.goto(server + "/incidents/new")
    screenshots(page, server, "/incidents/new", "imigrate-incident-new")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(server + "/incidents/new")
    page.locator("#title").fill("经销商串货")
    page.locator("#occurred_on").fill(TODAY.isoformat())
    page.locator("#discovered_on").fill(TODAY.isoformat())
    page.locator("#action_title").fill("清查经销商库存")
    page.locator("#action_owner").select_option("head_bj")
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    page.locator("#action_due").fill(yesterday)
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#action_due-error")).to_contain_text("已")
    expect(page.locator("#action_due")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#title")).to_have_value("经销商串货")
    expect(page.locator("#action_title")).to_have_value("清查经销商库存")
    expect(page.locator("#action_owner")).to_have_value("head_bj")
    expect(page.locator("#action_due")).to_have_value(yesterday)
    check_page(page)
    assert sql(app, "SELECT count(*) FROM incidents") == [(0,)]
    # No owner: refused at the owner's field, the rest kept.
    due = (TODAY + timedelta(days=14)).isoformat()
    page.locator("#action_owner").select_option("")
    page.locator("#action_due").fill(due)
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#action_owner-error")).to_be_visible()
    expect(page.locator("#action_owner")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#action_title")).to_have_value("清查经销商库存")
    expect(page.locator("#action_due")).to_have_value(due)
    check_page(page)
    assert sql(app, "SELECT count(*) FROM incidents") == [(0,)]
    assert sql(app, "SELECT count(*) FROM actions") == [(0,)]
    page.locator("#action_owner").select_option("head_bj")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".flash-info")).to_be_visible()
    row = page.locator("#incident-actions tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("清查经销商库存")
    expect(row).to_contain_text("head_bj")
    expect(row).to_contain_text(due)
    expect(row).to_contain_text("未开始")
    expect(page.get_by_role("link", name="新增措施")).to_have_attribute("href", re_incident_new(page))
    check_page(page)
    incident_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    listed = company.manager.get(f"/actions?incident_id={incident_id}").get_json()
    assert [(a["title"], a["owner"], a["unit"], a["due_date"], a["state"]) for a in listed["items"]] == [
        ("清查经销商库存", "head_bj", "BJ", due, "open")]
    screenshots(page, server, f"/incidents/{incident_id}", "imigrate-incident")


def re_incident_new(page):
    """The link that adds an action to the incident the page shows."""
    incident_id = page.url.rstrip("/").rsplit("/", 1)[1]
    return f"/actions/new?incident_id={incident_id}"


def test_a_meeting_with_two_decisions_makes_two_actions(app, server, browser_page, company):
    page = browser_page
    reviewed = incident(company.manager, occurred_on=TODAY.isoformat(), discovered_on=TODAY.isoformat()).get_json()
    sign_in(page, server, "manager")
    page.goto(f"{server}/incidents/meetings?quarter={QUARTER}")
    page.get_by_label("会议日期").fill(TODAY.isoformat())
    page.get_by_label("参会人员").fill("风险管理部、北京销售分公司")
    page.get_by_label("决定事项 1", exact=True).fill("修订客户授信制度")
    page.get_by_label("决定事项 1 的责任人").select_option("manager")
    page.get_by_label("决定事项 1 的完成期限").fill((TODAY + timedelta(days=30)).isoformat())
    page.get_by_label("决定事项 2", exact=True).fill("北京开展合同培训")
    # No owner for the second decision: refused at its field, everything typed kept.
    page.get_by_label("决定事项 2 的完成期限").fill((TODAY + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="记录会议").click()
    expect(page.locator("#decision_owner_2-error")).to_be_visible()
    expect(page.locator("#decision_owner_2")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("决定事项 1", exact=True)).to_have_value("修订客户授信制度")
    expect(page.get_by_label("决定事项 1 的责任人")).to_have_value("manager")
    expect(page.get_by_label("决定事项 2", exact=True)).to_have_value("北京开展合同培训")
    expect(page.get_by_label("决定事项 2 的完成期限")).to_have_value((TODAY + timedelta(days=20)).isoformat())
    expect(page.get_by_label("参会人员")).to_have_value("风险管理部、北京销售分公司")
    check_page(page)
    assert sql(app, "SELECT count(*) FROM review_meetings") == [(0,)]
    assert sql(app, "SELECT count(*) FROM actions") == [(0,)]
    page.get_by_label("决定事项 2 的责任人").select_option("head_bj")
    page.get_by_role("button", name="记录会议").click()
    expect(page.locator(".flash-info")).to_be_visible()
    rows = page.locator(".meeting-decisions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("北京开展合同培训")
    expect(rows.nth(1)).to_contain_text("修订客户授信制度")
    check_page(page)
    # A date reads as text on SQLite and as a date on PostgreSQL: compared as ISO text.
    assert [(title, owner, str(due)) for title, owner, due in sql(
        app, "SELECT a.title, u.username, a.due_date FROM actions a JOIN users u ON u.id = a.owner_id "
             "WHERE a.meeting_id IS NOT NULL ORDER BY a.id")] == [
        ("修订客户授信制度", "manager", (TODAY + timedelta(days=30)).isoformat()),
        ("北京开展合同培训", "head_bj", (TODAY + timedelta(days=20)).isoformat())]
    assert company.manager.get(f"/incidents/{reviewed['id']}").get_json()["state"] == "reviewed"
    screenshots(page, server, f"/incidents/meetings?quarter={QUARTER}", "imigrate-meeting")
