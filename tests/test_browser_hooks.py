"""Group robots in the browser: the administrator sets a unit's robot address on the units page (a bad one
refused at the field with the typed text kept), and reads the undelivered messages, retrying a failed one."""
from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

from browser import check_page, free_port, screenshots, sign_in
from conftest import sql
from riskflow.notifications import delivery
from riskflow.scheduling import scheduler

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


def expect_refused_at(page, field_id):
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(f"#{field_id}-error")).to_be_visible()
    expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")


def test_the_admin_sets_a_units_robot_address_and_a_bad_one_is_refused_at_the_field(server, browser_page, company):
    page = browser_page
    sign_in(page, server, "admin")
    page.get_by_role("link", name="更多").click()
    page.get_by_role("link", name="单位", exact=True).click()
    expect(page.locator("#unit-BJ")).to_contain_text("—")
    check_page(page)
    page.get_by_role("link", name="编辑 BJ").click()
    expect(page.get_by_label("名称")).to_have_value("北京销售分公司")
    check_page(page)

    # A bad address: the page comes back with both typed values and the error at the address.
    page.get_by_label("名称").fill("北京销售分公司（华北）")
    page.get_by_label("群机器人地址").fill("ftp://robot.example.com/hook")
    page.get_by_role("button", name="保存").click()
    expect_refused_at(page, "webhook_url")
    expect(page.locator("#webhook_url-error")).to_have_text("请填写以 http:// 或 https:// 开头的地址（不超过 500 个字符）。")
    expect(page.get_by_label("名称")).to_have_value("北京销售分公司（华北）")
    expect(page.get_by_label("群机器人地址")).to_have_value("ftp://robot.example.com/hook")
    check_page(page)
    bj = next(u for u in company.admin.get("/units").get_json()["items"] if u["code"] == "BJ")
    assert (bj["name"], bj["webhook_url"]) == ("北京销售分公司", None)

    page.get_by_label("群机器人地址").fill(WECOM)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-info")).to_have_text("单位 BJ 已保存。")
    expect(page.locator("#unit-BJ")).to_contain_text("已设置")
    bj = next(u for u in company.admin.get("/units").get_json()["items"] if u["code"] == "BJ")
    assert (bj["name"], bj["webhook_url"]) == ("北京销售分公司（华北）", WECOM)
    assert set(screenshots(page, server, "/units", "hooks-units").values()) == {0}
    assert set(screenshots(page, server, "/units/BJ/edit", "hooks-unit-edit").values()) == {0}


def test_the_admin_reads_a_failed_group_message_and_retries_it(server, browser_page, company, app):
    company.admin.patch("/units/BJ", {"webhook_url": f"http://127.0.0.1:{free_port()}/cgi-bin/webhook/send?key=k"})
    risk = company.risk("重大价格风险", unit="BJ")
    company.grade(risk["id"], "2026-05", 5, 5)  # a warning: news for BJ's group
    now = datetime.now(timezone.utc)
    for step in range(delivery.MAX_ATTEMPTS):
        scheduler.run(app, "notification_delivery", now + timedelta(hours=7 * step))
    [(delivery_id,)] = sql(app, "SELECT id FROM webhook_deliveries WHERE state = 'failed'")

    page = browser_page
    sign_in(page, server, "admin")
    page.get_by_role("link", name="1 条群机器人消息未能送达").click()  # on "waiting on me"
    row = page.locator(f"#delivery-{delivery_id}")
    expect(row).to_contain_text(f"[riskflow] 2026-05 新预警：{risk['code']} 重大价格风险。")
    expect(row).to_contain_text("北京销售分公司")
    expect(row).to_contain_text("已失败")
    expect(row).to_contain_text("Connection refused")
    check_page(page)
    assert set(screenshots(page, server, "/admin/deliveries", "hooks-deliveries").values()) == {0}
    row.get_by_role("button", name="立即重试").click()
    expect(page.locator(".flash-info")).to_have_text("该消息将在一分钟内重新发送。")
    expect(page.locator(f"#delivery-{delivery_id}")).to_contain_text("重试中")
    assert sql(app, "SELECT state, attempts FROM webhook_deliveries") == [("queued", delivery.MAX_ATTEMPTS)]
