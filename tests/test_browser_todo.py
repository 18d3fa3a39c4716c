"""Each role's to-do list and the warnings page in a real Chromium: the user's clicks and keys, the result
checked through the API."""
import re
from datetime import timedelta

from playwright.sync_api import expect

from browser import check_page, sign_in
from riskflow import periods
from test_supervision import fire, new_project, recommend
from test_todo import now, set_due  # noqa: F401  (now is a fixture)


def task(page, label):
    """The to-do line whose link reads LABEL."""
    return page.locator("ul.tasks > li").filter(has=page.get_by_role("link", name=label, exact=True))


def test_an_inspector_sees_red_and_yellow_recommendations_and_opens_the_red_ones(server, browser_page, app, company,
                                                                                 make, now):
    page, today = browser_page, now[1]
    make.unit("JJ", "纪检监察室", kind="inspection")
    pid = new_project(company.inspector, year=today.year)["id"]
    fire(company.inspector, "supervision-projects", pid, "file")
    fire(company.inspector, "supervision-projects", pid, "start_monitoring")
    red, yellow = recommend(company.inspector, pid), recommend(company.inspector, pid, unit="SH")
    set_due(app, red["id"], today - timedelta(days=40))
    set_due(app, yellow["id"], today - timedelta(days=2))
    sign_in(page, server, "inspector")
    expect(task(page, "红色督办的监察建议").locator(".count")).to_have_text("1")
    expect(task(page, "黄色通报的监察建议").locator(".count")).to_have_text("1")
    check_page(page)
    page.get_by_role("link", name="红色督办的监察建议").click()
    expect(page).to_have_url(re.compile(r"/recommendations\?colour=red$"))
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name=red["letter_no"])).to_be_visible()
    expect(page.get_by_role("link", name=yellow["letter_no"])).to_have_count(0)
    check_page(page)


def test_an_officer_sees_the_months_grading_and_a_warning_without_a_response(server, browser_page, company, now):
    page, (month, today) = browser_page, now
    risks = [company.risk(f"北京风险{i}") for i in range(3)]
    company.grade(risks[0]["id"], periods.previous(month), 5, 5)
    assert company.manager.post("/rounds", {"period": month, "deadline": (today + timedelta(days=9)).isoformat()}
                                ).status_code == 201
    sign_in(page, server, "officer_bj")
    grading = page.locator("ul.tasks > li").filter(has_text=f"{month} 风险评估：已评估 0/3")
    expect(grading.locator(".count")).to_have_text("3")
    expect(task(page, "本单位尚未填写应对措施的预警").locator(".count")).to_have_text("1")
    check_page(page)
    page.get_by_role("link", name="本单位尚未填写应对措施的预警").click()
    expect(page).to_have_url(re.compile(r"/warnings\?period=\d{4}-\d\d&todo=respond$"))
    expect(page.get_by_label("待处理")).to_have_value("respond")
    expect(page.locator("tr#warning-1")).to_contain_text(risks[0]["code"])
    check_page(page)
    page.goto(server + "/")
    page.get_by_role("link", name=re.compile(rf"{month} 风险评估")).click()
    expect(page).to_have_url(re.compile(rf"/grading\?period={month}$"))


def test_a_unit_head_answers_three_warnings_in_one_save_and_stays_on_the_filter(server, browser_page, company):
    page = browser_page
    risks = [company.risk(f"北京风险{i}") for i in range(4)]
    for risk, (l, i) in zip(risks, ((5, 5), (5, 4), (4, 4), (2, 2))):
        company.grade(risk["id"], "2026-05", l, i)
    ids = [w["id"] for w in company.manager.get("/warnings?period=2026-05").get_json()["items"]]
    assert len(ids) == 3
    sign_in(page, server, "head_bj")
    page.goto(server + "/warnings?period=2026-05")
    page.get_by_label("风险等级").select_option("major")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"level=major"))
    typed = {ids[0]: ("加强催收", "40", "in_progress"), ids[1]: ("停止赊销", "abc", "in_progress"),
             ids[2]: ("复核客户信用", "10", "open")}
    for wid, (response, progress, status) in typed.items():
        page.locator(f"#w{wid}-response").fill(response)
        page.locator(f"#w{wid}-progress").fill(progress)
        page.locator(f"#w{wid}-status").select_option(status)
    # The unit's roles are not offered `done`: it is the risk manager's confirmation.
    assert page.locator(f"#w{ids[0]}-status option").evaluate_all("os => os.map(o => o.value)") == [
        "open", "in_progress"]
    check_page(page)
    page.get_by_role("button", name="保存全部应对").first.click()
    expect(page.locator(".error-summary")).to_contain_text("未保存任何内容：请更正标出的行。")
    expect(page.locator(f"tr#warning-{ids[1]}")).to_have_class(re.compile("row-error"))
    expect(page.locator(f"#w{ids[1]}-progress")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#w{ids[1]}-progress-error")).to_be_visible()
    for wid, (response, progress, status) in typed.items():
        expect(page.locator(f"#w{wid}-response")).to_have_value(response)
        expect(page.locator(f"#w{wid}-progress")).to_have_value(progress)
        expect(page.locator(f"#w{wid}-status")).to_have_value(status)
    expect(page.locator(f"tr#warning-{ids[0]}")).not_to_have_class(re.compile("row-error"))
    stored = company.manager.get("/warnings?period=2026-05").get_json()["items"]
    assert [(w["response"], w["progress"], w["status"]) for w in stored] == [("", 0, "open")] * 3
    check_page(page)
    page.locator(f"#w{ids[1]}-progress").fill("25")
    page.get_by_role("button", name="保存全部应对").first.click()
    expect(page.locator(".flash-info")).to_have_text("已保存 3 条预警的应对。")
    # Back on the filtered page the user came from, at the first row saved.
    expect(page).to_have_url(f"{server}/warnings?period=2026-05&unit=&level=major&status=&todo=#warning-{ids[0]}")
    expect(page.get_by_label("风险等级")).to_have_value("major")
    stored = {w["id"]: (w["response"], w["progress"], w["status"])
              for w in company.manager.get("/warnings?period=2026-05").get_json()["items"]}
    assert stored == {ids[0]: ("加强催收", 40, "in_progress"), ids[1]: ("停止赊销", 25, "in_progress"),
                      ids[2]: ("复核客户信用", 10, "open")}
    # Nor does the API let the unit confirm.
    assert company.head_bj.patch(f"/warnings/{ids[0]}", {"status": "done", "progress": 100}).status_code == 403
    check_page(page)


def test_the_risk_manager_confirms_a_warning_done_only_at_full_progress(server, browser_page, company):
    page = browser_page
    risks = [company.risk(f"北京风险{i}") for i in range(2)]
    for risk in risks:
        company.grade(risk["id"], "2026-05", 5, 5)
    first, second = (w["id"] for w in company.manager.get("/warnings?period=2026-05").get_json()["items"])
    company.head_bj.patch(f"/warnings/{first}", {"response": "欠款已全部收回", "progress": 100, "status": "in_progress"})
    company.head_bj.patch(f"/warnings/{second}", {"response": "正在催收", "progress": 30, "status": "in_progress"})
    sign_in(page, server, "manager")
    expect(task(page, "已报告完成、待您确认的预警").locator(".count")).to_have_text("1")
    page.goto(server + "/warnings?period=2026-05")
    page.locator(f"#w{second}-status").select_option("done")
    page.get_by_role("button", name="保存全部应对").first.click()
    expect(page.locator(f"#w{second}-status-error")).to_have_text("只有进度达到 100% 的预警才能确认完成；当前进度为 30%。")
    expect(page.locator(f"#w{second}-status")).to_have_value("done")
    expect(page.locator(f"#w{second}-response")).to_have_value("正在催收")
    check_page(page)
    page.locator(f"#w{second}-status").select_option("in_progress")
    page.locator(f"#w{first}-status").select_option("done")
    page.get_by_role("button", name="保存全部应对").first.click()
    expect(page.locator(".flash-info")).to_have_text("已保存 1 条预警的应对。")
    stored = {w["id"]: (w["progress"], w["status"])
              for w in company.manager.get("/warnings?period=2026-05").get_json()["items"]}
    assert stored == {first: (100, "done"), second: (30, "in_progress")}
    check_page(page)
