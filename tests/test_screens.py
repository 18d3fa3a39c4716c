"""Screenshots of the pages at 1366 px and 390 px in both languages, into test-artifacts/, with no page
scrolling sideways on a phone: the dashboard of each role, the warnings, the risk list, recommendations and
incidents."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from browser import screenshots, sign_in
from riskflow import periods
from test_supervision import fire, new_project, recommend
from test_todo import set_due

NO_OVERFLOW = {(lang, size): 0 for lang in ("zh", "en") for size in ("wide", "phone")}


def test_the_dashboard_fits_a_phone_in_both_languages(server, browser_page, company):
    page = browser_page
    sign_in(page, server, "officer_bj")
    overflow = screenshots(page, server, "/", "dashboard-officer")
    assert overflow == NO_OVERFLOW


@pytest.fixture
def busy_company(app, company, make):
    """A month being graded with warnings, answered and not, long titles, and recommendations in colour."""
    with app.app_context():
        today = periods.today()
    month = periods.of(today)
    last = periods.previous(month)
    titles = ("应收账款回收风险：大客户长期拖欠货款且信用额度管理失效", "油品价格大幅波动导致库存跌价损失",
              "加油站安全生产事故风险", "合同审批流程不规范", "成品油运输能力不足")
    risks = [company.risk(title, unit=unit) for unit in ("BJ", "SH") for title in titles]
    for n, risk in enumerate(risks):
        company.grade(risk["id"], last, 5 - n % 3, 5 - n % 4)
    for risk in risks[:3]:
        company.grade(risk["id"], month, 4, 4, api=company.officer_bj)
    items = company.manager.get(f"/warnings?period={last}").get_json()["items"]
    company.head_bj.patch(f"/warnings/{items[0]['id']}", {
        "response": "成立专项清收小组，逐户核对欠款并按周通报回款进度，对超期客户暂停发货", "progress": 60,
        "status": "in_progress"})
    assert company.manager.post("/rounds", {"period": month, "deadline": (today + timedelta(days=2)).isoformat()}
                                ).status_code == 201
    make.unit("JJ", "纪检监察室", kind="inspection")
    pid = new_project(company.inspector, year=today.year)["id"]
    fire(company.inspector, "supervision-projects", pid, "file")
    fire(company.inspector, "supervision-projects", pid, "start_monitoring")
    for days in (-40, -3, 5):
        set_due(app, recommend(company.inspector, pid)["id"], today + timedelta(days=days))
    company.officer_bj.post("/incidents", {
        "title": "客户欠款逾期未收回", "kind": "loss_event", "occurred_on": (today - timedelta(days=3)).isoformat(),
        "discovered_on": (today - timedelta(days=2)).isoformat(), "unit": "BJ", "description": "某大客户欠款逾期",
        "losses": {"financial": 120000}})
    return {"month": month, "last": last}


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_label("用户名")).to_be_visible()


@pytest.mark.parametrize("user, pages", [
    ("officer_bj", (("/", "dashboard-officer"), ("/warnings", "warnings-officer"), ("/risks", "risks-officer"))),
    ("head_bj", (("/", "dashboard-head"), ("/warnings", "warnings-head"), ("/recommendations", "recommendations-head"))),
    ("manager", (("/", "dashboard-manager"), ("/warnings", "warnings-manager"), ("/incidents", "incidents-manager"))),
    ("inspector", (("/", "dashboard-inspector"), ("/recommendations", "recommendations-inspector"))),
    ("leader", (("/", "dashboard-leader"), ("/risks", "risks-leader"))),
])
def test_each_roles_pages_fit_a_phone_in_both_languages(server, browser_page, busy_company, user, pages):
    page = browser_page
    sign_in(page, server, user)
    for path, name in pages:
        assert (name, screenshots(page, server, path, name)) == (name, NO_OVERFLOW)


def test_every_other_page_is_drawn_at_both_widths_in_both_languages(server, browser_page, busy_company, company):
    """The pages not shown above, as the administrator (who may open them all) and the officer (the incident
    and profile pages a unit user works on): screenshots for a person to look at, and no sideways scrolling."""
    page = browser_page
    incident = company.manager.get("/incidents").get_json()["items"][0]
    project = company.inspector.get("/supervision-projects").get_json()["items"][0]
    recommendation = company.inspector.get("/recommendations").get_json()["items"][0]
    risk = company.manager.get("/risks").get_json()["items"][0]
    month = busy_company["month"]
    pages = {
        "admin": (("/heatmap", "heatmap"), (f"/heatmap?period={busy_company['last']}", "heatmap-last"),
                  ("/supervision", "supervision-board"), (f"/supervision/{project['id']}", "supervision-project"),
                  ("/supervision/new", "supervision-new"), ("/supervision/summary", "supervision-summary"),
                  (f"/recommendations/{recommendation['id']}", "recommendation"),
                  (f"/incidents/{incident['id']}", "incident"), ("/incidents/new", "incident-new"),
                  ("/incidents/meetings", "incident-meetings"), ("/incidents/calibration", "incident-calibration"),
                  ("/incidents/collection", "incident-collection-open"), ("/more", "more"),
                  ("/units", "units"), ("/users", "users"), ("/rounds", "rounds-admin"),
                  (f"/risks/{risk['id']}", "risk-detail"), (f"/grading?period={month}&unit=BJ", "grading-admin")),
        "officer_bj": ((f"/grading?period={month}", "grading-officer"), ("/incidents/new", "incident-new-officer"),
                       ("/profile", "profile-officer")),
    }
    overflow = {}
    seen = screenshots(page, server, "/login", "login")
    if seen != NO_OVERFLOW:
        overflow["login"] = seen
    for user, paths in pages.items():
        sign_in(page, server, user)
        for path, name in paths:
            seen = screenshots(page, server, path, name)
            if seen != NO_OVERFLOW:
                overflow[name] = seen
        page.get_by_role("button", name="退出").click()
        expect(page.get_by_label("用户名")).to_be_visible()
    assert overflow == {}
