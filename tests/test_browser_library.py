"""The review meeting and the recommendation register, in Chromium: a refused form keeps every typed value."""
from playwright.sync_api import expect

from browser import check_page, sign_in
from conftest import sql
from test_incidents import incident
from test_supervision import fire, new_project


def test_a_refused_meeting_keeps_the_ticks_and_conclusions_then_records_them(app, server, browser_page, company):
    page = browser_page
    a = incident(company.manager, occurred_on="2026-04-03", discovered_on="2026-04-03").get_json()
    b = incident(company.manager, occurred_on="2026-04-05", discovered_on="2026-04-05").get_json()
    sign_in(page, server, "manager")
    page.goto(server + "/incidents/meetings?quarter=2026-Q2")
    page.get_by_label("会议日期").fill("2026-07-10")
    page.get_by_label(f"结论 {a['code']}").fill("已整改，纳入季度通报")
    page.get_by_label(b["code"], exact=True).uncheck()
    page.get_by_role("button", name="记录会议").click()  # no attendees
    expect(page.locator("#attendees-error")).to_be_visible()
    expect(page.locator("#attendees")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_contain_text("参会人员")
    expect(page.get_by_label("会议日期")).to_have_value("2026-07-10")
    expect(page.get_by_label(f"结论 {a['code']}")).to_have_value("已整改，纳入季度通报")
    expect(page.get_by_label(b["code"], exact=True)).not_to_be_checked()
    expect(page.get_by_label(a["code"], exact=True)).to_be_checked()
    check_page(page)
    assert sql(app, "SELECT count(*) FROM review_meetings") == [(0,)]
    page.get_by_label("参会人员").fill("全体风险管理员")
    page.get_by_role("button", name="记录会议").click()
    expect(page.locator(".flash-info")).to_be_visible()
    assert company.manager.get(f"/incidents/{a['id']}").get_json()["state"] == "reviewed"
    assert company.manager.get(f"/incidents/{b['id']}").get_json()["state"] == "reported"
    assert sql(app, "SELECT conclusion FROM review_meeting_items") == [("已整改，纳入季度通报",)]


def test_a_refused_recommendation_keeps_what_the_inspector_typed(app, server, browser_page, company, make):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    project = new_project(company.inspector, participating_units=["BJ"])
    fire(company.inspector, "supervision-projects", project["id"], "file")
    fire(company.inspector, "supervision-projects", project["id"], "start_monitoring")
    sign_in(page, server, "inspector")
    page.goto(f"{server}/supervision/{project['id']}")
    page.get_by_label("发现的问题").fill("部分客户欠款超期")
    page.get_by_label("监察建议", exact=True).fill("清理超期欠款")
    page.get_by_label("整改责任单位").select_option("BJ")
    page.get_by_label("回复期限（默认 30 天）").fill("2020-01-01")  # before today
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#rec-due_date-error")).to_be_visible()
    expect(page.get_by_label("发现的问题")).to_have_value("部分客户欠款超期")
    expect(page.get_by_label("监察建议", exact=True)).to_have_value("清理超期欠款")
    expect(page.get_by_label("整改责任单位")).to_have_value("BJ")
    expect(page.get_by_label("回复期限（默认 30 天）")).to_have_value("2020-01-01")
    check_page(page)
    assert company.inspector.get(f"/recommendations?project_id={project['id']}").get_json()["total"] == 0


def test_a_refused_project_cancel_keeps_the_comment_then_cancels(app, server, browser_page, company, make):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    project = new_project(company.inspector, participating_units=["BJ"])
    sign_in(page, server, "inspector")
    page.goto(f"{server}/supervision/{project['id']}")
    too_long = "因" * 4001
    page.locator("#comment-cancel").fill(too_long)
    page.get_by_role("button", name="撤销").click()
    expect(page.locator("#comment-cancel-error")).to_contain_text("4000")
    expect(page.locator("#comment-cancel")).to_have_value(too_long)
    expect(page.locator("#comment-cancel")).to_have_attribute("aria-invalid", "true")
    check_page(page)
    assert company.inspector.get(f"/supervision-projects/{project['id']}").get_json()["state"] == "draft"
    page.locator("#comment-cancel").fill("立项重复，撤销")
    page.get_by_role("button", name="撤销").click()
    expect(page.locator(".state")).to_have_text("已撤销")
    assert company.inspector.get(f"/supervision-projects/{project['id']}").get_json()["state"] == "cancelled"
    assert sql(app, "SELECT comment FROM change_history WHERE action = 'cancel'") == [("立项重复，撤销",)]
