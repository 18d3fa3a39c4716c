"""A unit's proposal in the browser: the head proposes through the page (a refused one keeps what was typed), the
inspector sees it on the board and sends it back with a reason, the head reads it, edits and resubmits, the
inspector files it; every step checked in the stored data."""
import re

from playwright.sync_api import expect

from browser import ARTIFACTS, check_page, screenshots, sign_in
from conftest import sql


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def test_a_head_proposes_the_inspector_sends_it_back_and_files_it_once_resubmitted(server, browser_page, company,
                                                                                   app):
    page = browser_page
    api = company.inspector
    sign_in(page, server, "head_bj")
    page.goto(server + "/supervision")
    page.get_by_role("link", name="提出立项建议").click()
    expect(page.get_by_role("heading", name="提出立项建议")).to_be_visible()
    expect(page.get_by_text("北京销售分公司")).to_be_visible()
    check_page(page)

    # A proposal without a title: refused at the field, every typed value kept, nothing stored.
    page.get_by_label("类型").select_option("leasing")
    page.get_by_label("监察方式").select_option("document_analysis")
    page.get_by_label("立项理由").fill("门店租金收取不及时")
    page.get_by_label("关键控制点").fill("合同续签、租金催收")
    page.get_by_label("开始日期").fill("2026-05-01")
    page.get_by_role("button", name="提交立项建议").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#title-error")).to_be_visible()
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("类型")).to_have_value("leasing")
    expect(page.get_by_label("监察方式")).to_have_value("document_analysis")
    expect(page.get_by_label("立项理由")).to_have_value("门店租金收取不及时")
    expect(page.get_by_label("关键控制点")).to_have_value("合同续签、租金催收")
    expect(page.get_by_label("开始日期")).to_have_value("2026-05-01")
    check_page(page)
    assert sql(app, "SELECT count(*) FROM supervision_projects") == [(0,)]

    page.get_by_label("监察项目").fill("门店租赁合同管理效能监察")
    page.get_by_label("监察项目").press("Enter")
    expect(page.locator(".state")).to_have_text("待审核")
    expect(page.get_by_text("所属单位自选立项")).to_be_visible()
    project_id = int(re.search(r"/supervision/(\d+)", page.url).group(1))
    stored = api.get(f"/supervision-projects/{project_id}").get_json()
    assert {k: stored[k] for k in ("state", "origin", "lead_unit", "title", "kind", "reason", "start_date")} == {
        "state": "proposed", "origin": "unit", "lead_unit": "BJ", "title": "门店租赁合同管理效能监察",
        "kind": "leasing", "reason": "门店租金收取不及时", "start_date": "2026-05-01"}
    check_page(page)
    sign_out(page)

    # The inspector: the to-do, the board's lane, and sending it back (a reason is required).
    sign_in(page, server, "inspector")
    page.get_by_role("link", name=re.compile("立项建议待审核")).click()
    lane = page.locator(".lane-proposals")
    expect(lane.get_by_role("heading", name=re.compile("待审核立项建议"))).to_be_visible()
    check_page(page)
    screenshots(page, server, "/supervision", "proposals-board")
    lane.get_by_role("link", name=stored["code"]).click()
    expect(page.locator(".state")).to_have_text("待审核")
    page.locator("#comment-send_back").fill("   ")  # blank: the browser lets it go, the service refuses it
    page.get_by_role("button", name="退回立项建议").click()
    expect(page.locator("#comment-send_back-error")).to_be_visible()
    expect(page.locator("#comment-send_back")).to_have_attribute("aria-invalid", "true")
    assert api.get(f"/supervision-projects/{project_id}").get_json()["state"] == "proposed"
    page.locator("#comment-send_back").fill("请补充工作方案和时间安排")
    page.get_by_role("button", name="退回立项建议").click()
    expect(page.locator(".state")).to_have_text("已退回")
    assert api.get(f"/supervision-projects/{project_id}").get_json()["state"] == "returned"
    sign_out(page)

    # The head reads why beside the edit link, edits and resubmits.
    sign_in(page, server, "head_bj")
    page.get_by_role("link", name=re.compile("立项建议被退回")).click()
    expect(page.get_by_role("link", name="提出立项建议")).to_be_visible()
    screenshots(page, server, "/supervision", "proposals-board-head")
    page.locator("#lane-returned ~ article").get_by_role("link", name=stored["code"]).click()
    expect(page.locator("#return-reason")).to_contain_text("请补充工作方案和时间安排")
    check_page(page)
    screenshots(page, server, f"/supervision/{project_id}", "proposals-returned")
    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_label("监察项目")).to_have_value("门店租赁合同管理效能监察")
    page.get_by_label("监察项目").fill("")
    page.get_by_label("工作方案").fill("5月调阅合同，6月抽查门店")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#title-error")).to_be_visible()
    expect(page.get_by_label("工作方案")).to_have_value("5月调阅合同，6月抽查门店")
    check_page(page)
    screenshots(page, server, f"/supervision/{project_id}/edit", "proposals-edit")
    page.get_by_label("监察项目").fill("门店租赁合同管理效能监察")
    page.get_by_label("工作方案").fill("5月调阅合同，6月抽查门店")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("5月调阅合同，6月抽查门店")).to_be_visible()
    page.get_by_role("button", name="重新提交").click()
    expect(page.locator(".state")).to_have_text("待审核")
    expect(page.locator("#return-reason")).to_have_count(0)
    assert {k: api.get(f"/supervision-projects/{project_id}").get_json()[k] for k in ("state", "plan")} == {
        "state": "proposed", "plan": "5月调阅合同，6月抽查门店"}
    screenshots(page, server, "/supervision/propose", "proposals-propose")
    sign_out(page)

    # The inspector files it: from now on it runs as any project, and its head may no longer edit it.
    sign_in(page, server, "inspector")
    page.goto(f"{server}/supervision/{project_id}")
    page.get_by_role("button", name="立项备案").click()
    expect(page.locator(".state")).to_have_text("立项备案")
    filed = api.get(f"/supervision-projects/{project_id}").get_json()
    assert (filed["state"], filed["origin"]) == ("setup", "unit")
    entries = api.get(f"/history?entity=supervision_project&id={project_id}").get_json()["items"]
    assert [(e["action"], e["to_state"]) for e in entries] == [
        ("propose", "proposed"), ("send_back", "returned"), ("update", None), ("resubmit", "proposed"),
        ("file", "setup")]
    assert entries[1]["comment"] == "请补充工作方案和时间安排"
    assert company.head_bj.patch(f"/supervision-projects/{project_id}",
                                 {"title": "改", "version": filed["version"]}).status_code == 403
    assert ARTIFACTS.joinpath("proposals-board-zh-wide.png").exists()
