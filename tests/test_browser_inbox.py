"""The bell, the inbox and the notification settings in a real Chromium: the user's clicks, the result checked
through the API."""
import re

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from test_notifications_core import DUE, _action


def bell(page):
    return page.locator("header a.bell")


def test_an_officer_reads_an_assigned_action_in_the_inbox_and_opens_it(server, browser_page, company):
    page = browser_page
    action = _action(company)
    sign_in(page, server, "officer_bj")
    expect(bell(page).locator(".bell-count")).to_have_text("1")
    expect(page.get_by_role("link", name="通知，1 条未读")).to_be_visible()
    check_page(page)
    bell(page).click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    expect(page.get_by_role("heading", name="通知")).to_be_visible()
    row = page.locator(f"#notification-{company.officer_bj.get('/notifications').get_json()['items'][0]['id']}")
    expect(row.locator(".inbox-kind")).to_have_text("措施指派给您")
    title = f"措施 {action['code']} 由您负责：催收逾期货款（{DUE} 到期）。"
    expect(row.get_by_role("button", name=title, exact=True)).to_be_visible()
    expect(row.locator(".sr-only").first).to_have_text("未读")
    expect(page.get_by_text("通知告诉您发生了什么；等您处理的事项见工作台的待办清单。")).to_be_visible()
    check_page(page)
    row.get_by_role("button", name=title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/actions/{action['id']}$"))
    expect(bell(page).locator(".bell-count")).to_have_count(0)
    expect(page.get_by_role("link", name="通知", exact=True)).to_be_visible()
    check_page(page)
    assert company.officer_bj.get("/notifications").get_json()["items"][0]["read"] is True


def test_mark_all_read_with_two_unread(server, browser_page, company):
    page = browser_page
    first, second = _action(company), _action(company)
    sign_in(page, server, "officer_bj")
    expect(bell(page).locator(".bell-count")).to_have_text("2")
    page.goto(server + "/notifications?show=unread")
    expect(page.locator("ul.inbox > li.unread")).to_have_count(2)
    expect(page.get_by_role("link", name="未读", exact=True)).to_have_attribute("aria-current", "page")
    check_page(page)
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_text("所有通知已标为已读。")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/notifications\?show=unread$"))
    expect(page.get_by_text("没有未读通知。")).to_be_visible()
    expect(bell(page).locator(".bell-count")).to_have_count(0)
    expect(page.get_by_role("button", name="全部标为已读")).to_have_count(0)
    listed = company.officer_bj.get("/notifications").get_json()
    assert listed["total"] == 2 and [i["read"] for i in listed["items"]] == [True, True]
    assert first["code"] != second["code"]
    page.get_by_role("link", name="全部", exact=True).click()
    expect(page.locator("ul.inbox > li.read")).to_have_count(2)
    check_page(page)


def test_marking_one_read_keeps_the_other_unread(server, browser_page, company):
    page = browser_page
    _action(company), _action(company)
    newest = company.officer_bj.get("/notifications").get_json()["items"][0]["id"]
    sign_in(page, server, "officer_bj")
    page.goto(server + "/notifications")
    page.locator(f"#notification-{newest}").get_by_role("button", name="标为已读").click()
    expect(page.locator(f"#notification-{newest}")).to_have_class("read")
    expect(bell(page).locator(".bell-count")).to_have_text("1")
    assert [i["read"] for i in company.officer_bj.get("/notifications").get_json()["items"]] == [True, False]
    check_page(page)


def test_an_officer_chooses_how_notifications_reach_them(server, browser_page, company):
    page = browser_page
    sign_in(page, server, "officer_bj")
    page.goto(server + "/profile")
    expect(page.get_by_role("heading", name="通知方式")).to_be_visible()
    expect(page.get_by_text("您尚未登记电子邮箱：管理员为您添加邮箱后，邮件方式才会生效。")).to_be_visible()
    assigned = page.get_by_label("措施指派给您")
    expect(assigned).to_have_value("mail")
    check_page(page)
    assigned.select_option(label="仅站内通知")
    page.get_by_role("button", name="保存通知方式").click()
    expect(page.get_by_text("通知方式已保存。")).to_be_in_viewport()
    expect(page.get_by_label("措施指派给您")).to_have_value("app")
    assert company.officer_bj.get("/notifications/channels").get_json()["channels"]["action_assigned"] == "app"

    # A tampered value is refused at its select; the other choices stay as picked and nothing is saved.
    page.get_by_label("评估轮次开放").select_option(label="同时立即发邮件")
    page.get_by_label("措施已逾期").select_option(label="仅站内通知")
    page.evaluate("""() => { const s = document.querySelector('#channel-action_assigned');
                             s.options[s.selectedIndex].value = 'sms'; }""")
    page.get_by_role("button", name="保存通知方式").click()
    refused = page.locator("#channel-action_assigned")
    expect(refused).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#notification-settings .error-summary")).to_be_in_viewport()
    expect(page.locator("#channel-action_assigned-error")).to_contain_text("仅站内通知")
    expect(page.locator(".error-summary")).to_contain_text("措施指派给您")
    expect(page.get_by_label("评估轮次开放")).to_have_value("mail")
    expect(page.get_by_label("措施已逾期")).to_have_value("app")
    assert [e for e in page.console_errors if "422" not in e] == []
    page.console_errors.clear()  # the refusal's 422, expected
    check_page(page)
    channels = company.officer_bj.get("/notifications/channels").get_json()["channels"]
    assert (channels["action_assigned"], channels["round_opened"], channels["action_overdue"]) == (
        "app", "digest", "mail")


def test_screenshots_of_the_inbox_and_the_profile(server, browser_page, company):
    page = browser_page
    for _ in range(3):
        _action(company)
    read = company.officer_bj.get("/notifications").get_json()["items"][-1]["id"]
    assert company.officer_bj.post(f"/notifications/{read}/read").status_code == 200
    sign_in(page, server, "officer_bj")
    assert set(screenshots(page, server, "/notifications", "inbox").values()) == {0}
    assert set(screenshots(page, server, "/profile", "inbox-profile").values()) == {0}
    check_page(page)
