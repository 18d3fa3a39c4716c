"""End to end in a real headless Chromium: the production server on loopback, driven by Playwright.

Screenshots of the pages a failing test was on are kept in test-artifacts/."""
import re
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from browser import check_page, sign_in
from test_supervision import new_project


def test_an_officer_grades_a_risk_and_sees_it_on_the_heat_map(server, browser_page, company):
    page = browser_page
    risk = company.risk("浏览器中评估的风险")
    sign_in(page, server, "officer_bj")
    check_page(page)
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")  # an officer grades the current month
    page.goto(f"{server}/risks/{risk['id']}")
    page.get_by_label("月份").fill(month)
    page.get_by_label("发生可能性").select_option("4")
    page.get_by_label("影响程度", exact=True).select_option("5")
    page.get_by_label("评估理由").fill("回款持续恶化")
    check_page(page)
    page.get_by_role("button", name="保存评估").click()
    expect(page.locator(".flash-info")).to_contain_text("已保存")
    page.goto(f"{server}/heatmap?period={month}")
    cell = page.get_by_role("link", name=re.compile("可能性 4、影响 5 的风险 1 项"))
    expect(cell).to_have_text("1")
    cell.click()
    expect(page.get_by_role("link", name=risk["code"])).to_be_visible()
    check_page(page)


def test_the_language_switch_and_keyboard_navigation(server, browser_page):
    page = browser_page
    sign_in(page, server, "manager")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(server + "/risks")
    expect(page.get_by_role("heading", name="Risk register")).to_be_visible()
    # From the top of the page, Tab reaches the skip link, then the brand and the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Dashboard"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    check_page(page)


def test_an_inspector_moves_a_project_and_a_unit_head_uploads_evidence(server, browser_page, company, make,
                                                                      tmp_path):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    project = new_project(company.inspector, participating_units=["BJ"])
    sign_in(page, server, "inspector")
    page.goto(f"{server}/supervision/{project['id']}")
    page.get_by_role("button", name="立项备案").click()
    page.get_by_role("button", name="开始监督检查").click()
    expect(page.locator(".state")).to_have_text("监督检查")
    page.get_by_label("发现的问题").fill("部分客户欠款超期")
    page.get_by_label("监察建议", exact=True).fill("清理超期欠款")
    page.get_by_label("整改责任单位").select_option("BJ")
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_role("button", name="下达监察建议").click()
    expect(page.locator(".state")).to_have_text("监察建议")
    check_page(page)
    rec_link = page.get_by_role("link", name=re.compile("监建"))
    rec_url = rec_link.get_attribute("href")
    page.get_by_role("button", name="退出").click()

    sign_in(page, server, "head_bj")
    page.goto(server + rec_url)
    page.get_by_role("button", name="接收并开始整改").click()
    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 rectification report")
    page.get_by_label("证明材料").set_input_files(str(evidence))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("link", name="整改报告.pdf")).to_be_visible()
    page.get_by_label("整改报告").fill("已清理全部超期欠款")
    page.get_by_role("button", name="提交整改报告").click()
    expect(page.locator(".state")).to_have_text("已提交整改报告")
    check_page(page)


def test_the_risk_manager_makes_and_downloads_a_report(server, browser_page, company):
    page = browser_page
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 3, 3)
    sign_in(page, server, "manager")
    page.goto(server + "/reports")
    page.get_by_label("报告", exact=True).select_option("monthly")
    page.get_by_label("报告期间").fill("2026-05")
    page.get_by_role("button", name="生成").click()
    expect(page.locator(".flash-info")).to_contain_text("已生成")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF-")
    check_page(page)


def test_each_role_signs_in_and_sees_only_its_navigation(server, browser_page):
    page = browser_page
    expected = {"admin": "风险数据库", "risk_manager": "月度评估", "risk_officer": "月度评估",
                "inspector": "效能监察", "unit_head": "风险预警", "viewer": "报告"}
    company_users = {"admin": "admin", "risk_manager": "manager", "risk_officer": "officer_bj",
                     "inspector": "inspector", "unit_head": "head_bj", "viewer": "leader"}
    for role, username in company_users.items():
        sign_in(page, server, username)
        nav = page.get_by_role("navigation", name="主导航")
        expect(nav.get_by_role("link", name=expected[role])).to_be_visible()
        if role in ("risk_officer", "unit_head"):  # their unit's version of the issued monthly reports
            expect(nav.get_by_role("link", name="报告")).to_have_attribute("href", "/reports")
        check_page(page)
        page.get_by_role("button", name="退出").click()
        expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_a_user_mints_a_token_with_their_password_sees_it_once_and_it_works(server, browser_page):
    page = browser_page
    sign_in(page, server, "leader")
    page.goto(server + "/profile")
    tokens = page.locator("section", has=page.get_by_role("heading", name="API 令牌"))
    # A wrong password: the error at the field, the typed name kept, no token.
    tokens.get_by_label("令牌名称").fill("月报导出脚本")
    tokens.get_by_label("当前密码").fill("not-my-password")
    tokens.get_by_role("button", name="创建令牌").click()
    expect(page.locator("#token-password-error")).to_have_text("当前密码不正确。")
    expect(page.locator("#token-password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#token-name")).to_have_value("月报导出脚本")
    expect(page.locator("#new-token")).to_have_count(0)
    check_page(page)
    # The right one: the token is in the page, once.
    page.locator("#token-password").fill("correct-horse")
    page.get_by_role("button", name="创建令牌").click()
    token = page.locator("#new-token").inner_text()
    assert re.fullmatch(r"rf_[A-Za-z0-9_-]{40,}", token), token
    expect(page.get_by_role("cell", name="月报导出脚本")).to_be_visible()
    request = urllib.request.Request(server + "/api/v1/units", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    page.goto(server + "/profile")
    expect(page.get_by_role("cell", name="月报导出脚本")).to_be_visible()
    assert token not in page.content()
    assert all(token not in cookie["value"] for cookie in page.context.cookies())
    check_page(page)
