"""The officer's monthly grading sheet in a real Chromium: only the rows changed or confirmed are graded,
a refused save keeps every typed row, Enter in a reason box does not submit, and the score shows live."""
import re

from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql
from test_register_versions import this_month

# The right edge of the furthest element of the page's content, in CSS pixels.
WIDEST = "() => Math.max(...Array.from(document.querySelectorAll('main *')).map(e => e.getBoundingClientRect().right))"
# Last month's grades of the six risks: (likelihood, impact).
LAST = [(2, 2), (3, 3), (2, 4), (1, 3), (4, 2), (3, 2)]


def sheet_of_six(app, company):
    """Six BJ risks graded by the risk manager last month; returns (month, risk ids)."""
    from riskflow import periods

    month = this_month(app)
    ids = []
    for n, (likelihood, impact) in enumerate(LAST, start=1):
        risk = company.risk(f"风险{n}")
        company.grade(risk["id"], periods.shift(month, -1), likelihood, impact)
        ids.append(risk["id"])
    return month, ids


def company_code(n):
    return f"BJ-{n:03d}"


def grades(app, month):
    """This month's stored grades: {risk id: (likelihood, impact, rationale)}."""
    rows = sql(app, "SELECT risk_id, likelihood, impact, rationale FROM assessments WHERE period = :p", p=month)
    return {r[0]: tuple(r[1:]) for r in rows}


def test_an_officer_changes_two_rows_confirms_one_and_leaves_the_rest(app, server, browser_page, company):
    from riskflow import periods

    page = browser_page
    month, ids = sheet_of_six(app, company)
    a, b, c = ids[0], ids[1], ids[2]
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/grading?period={month}")
    # Nothing is pre-selected for a month not graded yet: what shows in the selects is what will be saved.
    expect(page.locator(f"#l_{a}")).to_have_value("")
    expect(page.locator(f"#row-{a}")).to_contain_text("4 · 一般风险")  # last month's grade, beside
    check_page(page)
    page.locator(f"#l_{a}").select_option("4")
    page.locator(f"#i_{a}").select_option("4")  # differs from last month and has no reason
    page.locator(f"#l_{b}").select_option("1")
    page.locator(f"#i_{b}").select_option("2")
    page.locator(f"#r_{b}").fill("客户回款改善")
    page.get_by_label(re.compile(f"与上月相同 *{company_code(3)}")).check()
    expect(page.locator(f"#s_{c}")).to_be_checked()
    page.get_by_role("button", name="保存全部评估").click()

    # Refused: the error at the row's reason box, a summary linking to it, every typed value kept.
    error = page.locator(f"#r_{a}-error")
    expect(error).to_have_text("与上月评估不同，须填写评估理由。")
    expect(page.locator(f"#r_{a}")).to_have_attribute("aria-invalid", "true")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("未保存：请更正下列各项。")
    expect(summary.locator(f'a[href="#r_{a}"]')).to_be_visible()
    expect(page.locator(f"#l_{a}")).to_have_value("4")
    expect(page.locator(f"#i_{a}")).to_have_value("4")
    expect(page.locator(f"#l_{b}")).to_have_value("1")
    expect(page.locator(f"#i_{b}")).to_have_value("2")
    expect(page.locator(f"#r_{b}")).to_have_value("客户回款改善")
    expect(page.locator(f"#s_{c}")).to_be_checked()
    for other in ids[3:]:
        expect(page.locator(f"#l_{other}")).to_have_value("")
        expect(page.locator(f"#s_{other}")).not_to_be_checked()
    assert grades(app, month) == {}
    check_page(page)

    page.locator(f"#r_{a}").fill("新客户赊销增加")
    page.get_by_role("button", name="保存全部评估").click()
    expect(page.locator(".flash-info")).to_contain_text(f"{month} 的评估已保存")
    assert grades(app, month) == {a: (4, 4, "新客户赊销增加"), b: (1, 2, "客户回款改善"), c: (2, 4, "与上月相同")}
    history = company.manager.get(f"/risks/{ids[3]}/assessments").get_json()["items"]
    assert [g["period"] for g in history] == [periods.shift(month, -1)]  # untouched: still not graded
    # After the save the sheet shows the month's grades; the untouched rows are still not graded.
    expect(page.locator(f"#l_{a}")).to_have_value("4")
    expect(page.locator(f"#l_{ids[3]}")).to_have_value("")
    check_page(page)


def test_the_whole_sheet_confirm_grades_every_ungraded_row_with_last_months_values(app, server, browser_page,
                                                                                   company):
    page = browser_page
    month, ids = sheet_of_six(app, company)
    company.grade(ids[5], month, 5, 5, api=company.officer_bj)  # already graded this month: left as it is
    new = company.risk("本月新登记的风险")["id"]  # no grade last month: nothing to repeat
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/grading?period={month}")
    page.locator(f"#l_{ids[0]}").select_option("5")  # the officer's own change stays theirs
    page.locator(f"#i_{ids[0]}").select_option("1")
    page.locator(f"#r_{ids[0]}").fill("价格回落")
    page.get_by_role("button", name="全部与上月相同").click()
    for risk_id in ids[1:5]:
        expect(page.locator(f"#s_{risk_id}")).to_be_checked()
    expect(page.locator(f"#s_{ids[0]}")).not_to_be_checked()
    expect(page.locator(f"#l_{ids[0]}")).to_have_value("5")
    expect(page.locator(f"#s_{ids[5]}")).to_have_count(0)
    expect(page.locator(f"#s_{new}")).to_have_count(0)
    check_page(page)
    page.get_by_role("button", name="保存全部评估").click()
    expect(page.locator(".flash-info")).to_contain_text("已保存")
    expected = {ids[0]: (5, 1, "价格回落"), ids[5]: (5, 5, "月度评估")}
    expected.update({risk_id: (*LAST[n], "与上月相同") for n, risk_id in enumerate(ids) if 1 <= n <= 4})
    assert grades(app, month) == expected
    assert sql(app, "SELECT revision FROM assessments WHERE risk_id = :r AND period = :p", r=ids[5], p=month) == [(1,)]


def test_the_whole_sheet_confirm_works_without_javascript(app, server, browser_page, company):
    month, ids = sheet_of_six(app, company)
    context = browser_page.context.browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/grading?period={month}")
    page.locator(f"#l_{ids[0]}").select_option("3")
    page.locator(f"#i_{ids[0]}").select_option("3")
    page.locator(f"#r_{ids[0]}").fill("竞争加剧")
    page.get_by_role("button", name="全部与上月相同").click()
    # The server marks the rows and draws the sheet again; nothing is saved until the officer saves.
    expect(page.locator(".flash-info")).to_contain_text("已将 5 项标记为与上月相同")
    expect(page.locator(f"#s_{ids[1]}")).to_be_checked()
    expect(page.locator(f"#l_{ids[1]}")).to_have_value("3")
    expect(page.locator(f"#score_{ids[1]}")).to_have_text("9 · 重要风险")
    expect(page.locator(f"#r_{ids[0]}")).to_have_value("竞争加剧")
    expect(page.locator(f"#score_{ids[0]}")).to_have_text("9 · 重要风险")
    assert grades(app, month) == {}
    page.get_by_role("button", name="保存全部评估").click()
    expect(page.locator(".flash-info")).to_contain_text("已保存")
    expected = {risk_id: (*LAST[n], "与上月相同") for n, risk_id in enumerate(ids)}
    expected[ids[0]] = (3, 3, "竞争加剧")
    assert grades(app, month) == expected
    context.close()


def test_enter_in_a_reason_box_does_not_submit_the_sheet(app, server, browser_page, company):
    page = browser_page
    month, ids = sheet_of_six(app, company)
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/grading?period={month}")
    page.evaluate("""() => { window.submits = 0;
        document.getElementById('grading-sheet').addEventListener('submit', () => { window.submits += 1; }); }""")
    page.locator(f"#l_{ids[0]}").select_option("4")
    page.locator(f"#i_{ids[0]}").select_option("4")
    reason = page.locator(f"#r_{ids[0]}")
    reason.fill("第一行")
    reason.press("Enter")
    reason.press_sequentially("第二行")
    expect(reason).to_have_value("第一行\n第二行")
    assert page.evaluate("window.submits") == 0  # the page is the same one: no submit, no navigation
    assert grades(app, month) == {}


def test_the_score_and_level_show_live_from_the_standard_in_the_database(app, server, browser_page, company,
                                                                        run_db):
    from dataclasses import replace

    from riskflow.auth import policy
    from riskflow.register import grading, standard

    default = grading.default_standard()
    custom = replace(default, bands=tuple(replace(b, min_score=12) if b.code == "major" else b
                                          for b in default.bands))
    run_db(lambda session: standard.save_version(session, policy.SYSTEM, custom))
    page = browser_page
    month, ids = sheet_of_six(app, company)
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/grading?period={month}")
    score = page.locator(f"#score_{ids[0]}")
    expect(score).to_have_text("未评估")
    page.locator(f"#l_{ids[0]}").select_option("3")
    expect(score).to_have_text("未评估")  # only once both are chosen
    page.locator(f"#i_{ids[0]}").select_option("4")
    expect(score).to_have_text("12 · 重大风险")  # 12 is major in this company's standard
    page.locator(f"#i_{ids[0]}").select_option("2")
    expect(score).to_have_text("6 · 一般风险")
    page.locator(f"#s_{ids[1]}").check()  # same as last month: 3 × 3
    expect(page.locator(f"#l_{ids[1]}")).to_have_value("3")
    expect(page.locator(f"#score_{ids[1]}")).to_have_text("9 · 重要风险")
    page.locator(f"#i_{ids[1]}").select_option("4")  # a different grade is no longer "the same"
    expect(page.locator(f"#s_{ids[1]}")).not_to_be_checked()
    expect(page.locator(f"#score_{ids[1]}")).to_have_text("12 · 重大风险")
    page.locator(f"#s_{ids[2]}").check()
    page.locator(f"#s_{ids[2]}").uncheck()  # unticking puts back what the selects held
    expect(page.locator(f"#l_{ids[2]}")).to_have_value("")
    expect(page.locator(f"#score_{ids[2]}")).to_have_text("未评估")
    check_page(page)


def test_a_closed_month_shows_read_only(app, server, browser_page, company):
    from riskflow import periods

    page = browser_page
    month, ids = sheet_of_six(app, company)
    sign_in(page, server, "officer_bj")
    page.goto(f"{server}/grading?period={periods.shift(month, -1)}")
    expect(page.locator(".flash-error")).to_contain_text("本月评估已对贵单位关闭")
    expect(page.locator(f"#row-{ids[0]}")).to_contain_text("4 · 一般风险")
    expect(page.locator(f"#row-{ids[0]}")).to_contain_text("月度评估")
    expect(page.locator("select[id^=l_]")).to_have_count(0)
    expect(page.get_by_role("button", name="保存全部评估")).to_have_count(0)
    check_page(page)
    page.screenshot(path="test-artifacts/grading-closed-zh-wide.png", full_page=True)


def test_the_sheet_at_both_widths_and_in_both_languages(app, server, browser_page, company):
    page = browser_page
    month, ids = sheet_of_six(app, company)
    company.grade(ids[5], month, 5, 5, api=company.officer_bj)
    sign_in(page, server, "officer_bj")
    screenshots(page, server, f"/grading?period={month}", "grading")
    # At 390 px every risk is a block that fits the screen (the top bar is the navigation's own matter).
    page.set_viewport_size({"width": 390, "height": 900})
    for lang in ("en", "zh_CN"):
        page.goto(f"{server}/grading?period={month}&lang={lang}")
        assert page.evaluate(WIDEST) <= 390
        box = page.locator(f"#row-{ids[0]}").bounding_box()
        assert box["width"] <= 390 and box["height"] > 2 * box["width"] / 3  # a block, not a wide table row
    # An error drawn at 390 px: the row's message and the summary fit too.
    page.locator(f"#l_{ids[0]}").select_option("5")
    page.locator(f"#i_{ids[0]}").select_option("5")
    page.get_by_role("button", name="保存全部评估").click()
    expect(page.locator(f"#r_{ids[0]}-error")).to_be_visible()
    assert page.evaluate(WIDEST) <= 390
    page.screenshot(path="test-artifacts/grading-error-zh-phone.png", full_page=True)
    check_page(page)
