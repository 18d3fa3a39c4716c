"""Fresh eyes on the notifications (issue 16): what a new user of each role found, each fix's test."""

import re

from conftest import csrf_token, login, sql
from riskflow.notifications import kinds
from test_notification_events2 import inbox, told
from test_reports import graded_company
from test_warning_cases import mark, reviewed


def test_an_issued_monthly_report_tells_each_units_people_of_their_own_version(app, company, make):
    """/reports offers a unit's officers and head their unit's version of an issued monthly report: the inbox says
    it was issued, linked to that page, each told as an item of their own unit (the policy's filter)."""
    make.user("head_sh", "unit_head", unit="SH")
    graded_company(company)
    draft = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"}).get_json()
    assert company.manager.post(f"/reports/{draft['id']}/issue", {}).status_code == 200
    assert told(app, "report_issued") == ["admin", "head_bj", "head_sh", "inspector", "leader", "officer_bj",
                                          "officer_sh"]
    [item] = inbox(company.officer_sh, "report_issued")
    assert (item["title"], item["link"]) == ("《2026年6月风险评估及风险预警应对》已签发。", "/reports")
    assert sql(app, "SELECT u.username, n.unit_id, n.entity_id FROM notifications n JOIN users u ON u.id = n.user_id "
                    "WHERE n.kind = 'report_issued' AND n.unit_id IS NOT NULL ORDER BY u.username") == [
        ("head_bj", 1, draft["id"]), ("head_sh", 2, draft["id"]), ("officer_bj", 1, draft["id"]),
        ("officer_sh", 2, draft["id"])]
    # The quarterly pack has no unit version: the units' people are not told of it.
    assert company.manager.post("/reports", {"kind": "quarterly", "period": "2026-Q3"}).status_code == 201
    assert told(app, "report_issued").count("officer_sh") == 1
    assert told(app, "report_issued").count("inspector") == 2


def _offered(app, username) -> list[str]:
    """The kinds whose channel the profile page offers USERNAME (the selects' names)."""
    client = app.test_client()
    login(client, username)
    assert f">{username}<" in client.get("/profile").get_data(as_text=True)
    page = client.get("/profile").get_data(as_text=True)
    return re.findall(r'<select[^>]*name="channel-(\w+)"', page)


def test_the_profile_offers_only_the_kinds_the_role_is_told(app, client, company):
    """A leader is told only that a report was issued: the profile does not ask how a rectification waiting for
    verification or a report draft should reach them; an officer is not asked about the inspectors' and the risk
    managers' own kinds."""
    assert _offered(app, "leader") == ["report_issued"]
    # An admin may propose a risk from a recommendation, and hears of the decision.
    assert _offered(app, "admin") == ["report_issued", "risk_proposal_decided"]
    assert _offered(app, "inspector") == ["rectification_submitted", "report_issued", "supervision_phase",
                                          "proposal_submitted", "risk_proposal_decided"]
    # A unit head is also told that their unit's project proposal was sent back; an officer is not.
    assert _offered(app, "head_bj")[-1] == "proposal_returned"
    officer = _offered(app, "officer_bj")
    assert "report_draft" not in officer and "rectification_submitted" not in officer
    assert officer == ["round_opened", "round_due", "sheet_returned", "warning_raised", "action_assigned", "action_due",
                       "action_overdue", "recommendation_issued", "rectification_returned", "incident_round_opened",
                       "report_issued", "lesson_shared", "supervision_notice"]
    manager = _offered(app, "manager")
    assert "report_draft" in manager and "recommendation_issued" not in manager and "sheet_returned" not in manager
    assert set(kinds.RECEIVERS) == set(kinds.KINDS)


def test_a_warning_case_is_announced_to_the_other_risk_managers_not_to_whoever_marked_it(company, app, make):
    """The risk manager who marked the case at the meeting found it in their own inbox and morning digest; the
    other risk managers and every unit's people are told."""
    make.user("manager2", "risk_manager")
    case = reviewed(company)
    assert mark(company.manager, case).status_code == 200
    assert told(app, "lesson_shared") == ["head_bj", "manager2", "officer_bj", "officer_sh"]


def test_a_warnings_link_opens_the_list_filtered_to_its_unit_at_its_row(app, company, client):
    """The list shows 50 warnings a page; a risk manager's month holds every unit's, so the demo's link to a
    company-wide warning opened a page without it. The link names the warning's unit (or 全公司) and its row."""
    risk = company.risk("重大价格风险")
    company.grade(risk["id"], "2026-05", 5, 4)
    indicator = company.indicator("KRI-COST", "销售费用", rule="above_target", annual=120)
    assert company.manager.post(f"/indicators/{indicator['id']}/values",
                                {"period": "2026-06", "value": 130}).status_code == 201
    links = dict(sql(app, "SELECT u.username, n.link FROM notifications n JOIN users u ON u.id = n.user_id "
                          "WHERE n.kind = 'warning_raised'"))
    ids = dict(sql(app, "SELECT u.username, n.entity_id FROM notifications n JOIN users u ON u.id = n.user_id "
                        "WHERE n.kind = 'warning_raised'"))
    bj_id, co_id = ids["officer_bj"], ids["manager"]
    assert bj_id != co_id
    assert links == {"officer_bj": f"/warnings?period=2026-05&unit=BJ#warning-{bj_id}",
                     "head_bj": f"/warnings?period=2026-05&unit=BJ#warning-{bj_id}",
                     "manager": f"/warnings?period=2026-06&unit=-#warning-{co_id}"}
    login(client, "manager")
    [(mine,)] = sql(app, "SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = "
                         "'manager' AND n.kind = 'warning_raised'")
    opened = client.post(f"/notifications/{mine}/open", data={"csrf_token": csrf_token(client, "/notifications")})
    assert opened.headers["Location"] == links["manager"]
    page = client.get(links["manager"]).get_data(as_text=True)
    assert f'id="warning-{co_id}"' in page and f'id="warning-{bj_id}"' not in page
