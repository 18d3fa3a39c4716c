"""The project page's benefits section in the browser: an inspector records benefits through the form, a bad
amount comes back as typed with the error at the field, a benefit recorded by mistake is removed after a
confirmation, and a unit's head sees only the benefits of its own recommendations."""
from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql
from test_benefits import monitoring
from test_supervision import recommend


def fill_benefit(page, amount, kind, rec_label, description):
    page.locator("#benefit-amount").fill(amount)
    page.locator("#benefit-kind").select_option(kind)
    page.locator("#benefit-recommendation_id").select_option(label=rec_label)
    page.locator("#benefit-description").fill(description)
    page.get_by_role("button", name="登记效益").click()


def test_an_inspector_records_two_benefits_and_a_bad_amount_comes_back(server, browser_page, company, make, app):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    inspector = company.inspector
    pid = monitoring(inspector, participating_units=["BJ", "SH"])
    rec_bj = recommend(inspector, pid, unit="BJ", finding="土建工程结算价款偏高")
    rec_sh = recommend(inspector, pid, unit="SH", finding="历史欠费长期未追缴")
    bj_label = f"{rec_bj['letter_no']} 土建工程结算价款偏高"
    sh_label = f"{rec_sh['letter_no']} 历史欠费长期未追缴"
    sign_in(page, server, "inspector")
    page.goto(f"{server}/supervision/{pid}")
    expect(page.get_by_role("heading", name="直接经济效益")).to_be_visible()
    expect(page.get_by_text("尚未登记经济效益。")).to_be_visible()
    check_page(page)

    for bad in ("-5", "abc"):
        fill_benefit(page, bad, "cost_reduction", bj_label, "减少土建施工费用约170万元")
        expect(page.locator("#record-benefit .error-summary")).to_be_visible()
        expect(page.locator("#benefit-amount-error")).to_be_visible()
        expect(page.locator("#benefit-amount")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#benefit-amount")).to_have_value(bad)
        expect(page.locator("#benefit-kind")).to_have_value("cost_reduction")
        expect(page.locator("#benefit-recommendation_id")).to_have_value(str(rec_bj["id"]))
        expect(page.locator("#benefit-description")).to_have_value("减少土建施工费用约170万元")
        assert [e for e in page.console_errors if "422" not in e] == []
        page.console_errors.clear()  # the refusal's 422, expected
        check_page(page)
    assert sql(app, "SELECT count(*) FROM supervision_benefits") == [(0,)]

    page.locator("#benefit-amount").fill("1700000.50")
    page.get_by_role("button", name="登记效益").click()
    expect(page.get_by_text("已登记经济效益 1,700,000.50 元。")).to_be_visible()
    fill_benefit(page, "450000", "recovered", sh_label, "完成追缴历史欠费45万元")
    expect(page.locator("#benefit-total")).to_have_text("2,150,000.50")
    expect(page.locator("#benefit-by-kind")).to_contain_text("降本节支")
    expect(page.locator("#benefit-list tbody tr")).to_have_count(2)
    check_page(page)
    listed = inspector.get(f"/supervision-projects/{pid}/benefits").get_json()
    assert [(b["amount"], b["kind"], b["recommendation_id"], b["description"]) for b in listed["items"]] == [
        (1700000.5, "cost_reduction", rec_bj["id"], "减少土建施工费用约170万元"),
        (450000.0, "recovered", rec_sh["id"], "完成追缴历史欠费45万元")]
    assert inspector.get(f"/supervision-projects/{pid}").get_json()["economic_benefit"] == 2150000.5
    # The filing form's 直接经济效益 links to the section.
    expect(page.locator("dl.facts a[href='#benefits']")).to_have_text("2,150,000.50")

    # Evidence for an entry.
    first_row = page.locator("#benefit-list tbody tr").first
    first_row.get_by_label("证明材料", exact=True).set_input_files(
        {"name": "结算审核报告.txt", "mimeType": "text/plain", "buffer": "审减170万元".encode()})
    first_row.get_by_role("button", name="上传").click()
    expect(page.locator("#benefit-list tbody tr").first.get_by_role("link", name="结算审核报告.txt")).to_be_visible()

    screenshots(page, server, f"/supervision/{pid}", "benefits-project")

    # A unit's head sees the BJ benefit only; the project's whole sum stays in the filing form.
    page.context.clear_cookies()
    sign_in(page, server, "head_bj")
    page.goto(f"{server}/supervision/{pid}")
    expect(page.locator("#benefit-list tbody tr")).to_have_count(1)
    expect(page.locator("#benefit-total")).to_have_text("1,700,000.50")
    expect(page.locator("#record-benefit")).to_have_count(0)
    expect(page.get_by_role("button", name="删除…")).to_have_count(0)
    check_page(page)

    # The second was a mistake: removed after a confirmation.
    page.context.clear_cookies()
    sign_in(page, server, "inspector")
    page.goto(f"{server}/supervision/{pid}")
    page.locator("#benefit-list tbody tr").nth(1).get_by_role("button", name="删除…").click()
    expect(page.get_by_text("项目的变更记录仍会保留")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="确认删除").click()
    expect(page.get_by_text("已删除经济效益 450,000.00 元。")).to_be_visible()
    expect(page.locator("#benefit-total")).to_have_text("1,700,000.50")
    assert sql(app, "SELECT amount, kind FROM supervision_benefits") == [(1700000.5, "cost_reduction")] or \
        [tuple(map(str, r)) for r in sql(app, "SELECT amount, kind FROM supervision_benefits")] == [
            ("1700000.50", "cost_reduction")]
