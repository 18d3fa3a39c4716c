"""Notices in the browser: the inspector issues a 效能监察通知书 from the project page (a refused one keeps what
was typed), the notice is stored as typed, its PDF and the filing form PDF open from the page."""
import re

from playwright.sync_api import expect

from browser import ARTIFACTS, check_page, screenshots, sign_in
from conftest import sql
from test_reports import pdf_text
from test_supervision import fire, new_project


def test_the_inspector_issues_a_notice_from_the_project_page(server, browser_page, company, make, app):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    project = new_project(company.inspector)
    assert fire(company.inspector, "supervision-projects", project["id"], "file").status_code == 200
    sign_in(page, server, "inspector")
    page.goto(f"{server}/supervision/{project['id']}")
    expect(page.get_by_role("heading", name="效能监察通知书", exact=True)).to_be_visible()
    expect(page.get_by_text("尚无通知书。")).to_be_visible()
    check_page(page)

    # A bad value first: the subject left empty. Every typed value comes back, the error sits at its field.
    page.get_by_label("主送单位").select_option("BJ")
    page.get_by_label("通知内容").fill("请于30日内完成逾期应收账款的清理，并报送清欠台账。")
    page.get_by_role("button", name="下达通知书").click()
    expect(page.locator("#issue-notice .error-summary")).to_be_visible()
    expect(page.locator("#notice-subject-error")).to_be_visible()
    expect(page.locator("#notice-subject")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("主送单位")).to_have_value("BJ")
    expect(page.get_by_label("通知内容")).to_have_value("请于30日内完成逾期应收账款的清理，并报送清欠台账。")
    assert sql(app, "SELECT count(*) FROM supervision_notices") == [(0,)]
    assert [e for e in page.console_errors if "422" not in e] == []
    page.console_errors.clear()  # the refusal's 422, expected
    check_page(page)

    page.get_by_label("事由").fill("关于开展应收账款清欠工作的通知")
    page.get_by_role("button", name="下达通知书").click()
    expect(page.locator(".flash").filter(has_text=re.compile(r"通知书监通〔\d{4}〕1号已下达"))).to_be_visible()
    stored = company.inspector.get(f"/supervision-projects/{project['id']}/notices").get_json()["items"]
    assert [{k: n[k] for k in ("recipient_unit", "subject", "content")} for n in stored] == [
        {"recipient_unit": "BJ", "subject": "关于开展应收账款清欠工作的通知",
         "content": "请于30日内完成逾期应收账款的清理，并报送清欠台账。"}]
    number = stored[0]["number"]
    assert re.fullmatch(r"监通〔\d{4}〕1号", number)
    row = page.locator("#notices tbody tr").first
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("北京销售分公司")
    expect(row).to_contain_text("关于开展应收账款清欠工作的通知")
    check_page(page)

    # The PDF link opens the notice; the filing form link the 立项呈报表.
    pdf = page.request.get(server + page.get_by_role("link", name=number).get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.body())
    assert number in text and "致：北京销售分公司" in text and "事由：关于开展应收账款清欠工作的通知" in text
    filing = page.request.get(server + page.get_by_role("link", name="立项呈报表（PDF）").get_attribute("href"))
    assert filing.status == 200 and "效能监察立项呈报表" in pdf_text(filing.body())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "notices-notice.pdf").write_bytes(pdf.body())
    (ARTIFACTS / "notices-filing-form.pdf").write_bytes(filing.body())

    overflow = screenshots(page, server, f"/supervision/{project['id']}", "notices-project")
    assert set(overflow.values()) == {0}, overflow


def test_a_unit_head_sees_the_notice_to_the_unit_but_no_form(server, browser_page, company, make):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    project = new_project(company.inspector, participating_units=[])
    assert fire(company.inspector, "supervision-projects", project["id"], "file").status_code == 200
    notice = company.inspector.post(f"/supervision-projects/{project['id']}/notices", {
        "recipient_unit": "BJ", "subject": "关于开展应收账款清欠工作的通知", "content": "请报送清欠台账。"}).get_json()
    sign_in(page, server, "head_bj")
    page.goto(f"{server}/supervision/{project['id']}")
    expect(page.locator("#notices tbody tr").first).to_contain_text(notice["number"])
    expect(page.get_by_role("button", name="下达通知书")).to_have_count(0)
    check_page(page)
