"""Incidents' corrective actions and review meetings' decisions are actions: made with the incident or the
meeting (all or nothing), listed on their pages and in the quarterly pack."""
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from conftest import login, sql

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
QUARTER = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"


def _incident(api, **extra):
    body = {"title": "客户信用证逾期", "kind": "loss_event", "occurred_on": TODAY.isoformat(),
            "discovered_on": TODAY.isoformat(), "unit": "BJ", "description": "", "cause": "", "handling": "",
            "losses": {"financial": 1000}, "risk_ids": [], **extra}
    return api.post("/incidents", body)


def _due(days=20):
    return (TODAY + timedelta(days=days)).isoformat()


def test_the_api_corrective_action_with_a_user_as_owner_becomes_an_action(company):
    made = _incident(company.officer_bj, corrective_action="补签担保协议\n并复核授信额度", action_owner="head_bj",
                     action_due=_due(15))
    assert made.status_code == 201, made.get_json()
    incident = made.get_json()
    listed = company.manager.get(f"/actions?incident_id={incident['id']}").get_json()
    assert [(a["title"], a["owner"], a["unit"], a["due_date"], a["state"]) for a in listed["items"]] == [
        ("补签担保协议", "head_bj", "BJ", _due(15), "open")]
    action = company.manager.get(f"/actions/{listed['items'][0]['id']}").get_json()
    assert action["description"] == "补签担保协议\n并复核授信额度"
    # Without a due date: 30 days on.
    second = _incident(company.officer_bj, corrective_action="培训", action_owner="officer_bj").get_json()
    assert [a["due_date"] for a in company.manager.get(f"/actions?incident_id={second['id']}").get_json()["items"]] \
        == [_due(30)]


def test_an_owner_who_is_no_user_keeps_the_text_only_and_a_bad_action_refuses_the_incident(company):
    kept = _incident(company.officer_bj, corrective_action="加强审核", action_owner="张经理").get_json()
    assert company.manager.get(f"/actions?incident_id={kept['id']}").get_json()["total"] == 0
    assert company.manager.get(f"/incidents/{kept['id']}").get_json()["corrective_action"] == "加强审核"
    before = company.manager.get("/incidents").get_json()["total"]
    for owner, due, field in (("officer_sh", _due(), "action_owner"),
                              ("head_bj", (TODAY - timedelta(days=1)).isoformat(), "action_due")):
        refused = _incident(company.officer_bj, corrective_action="加强审核", action_owner=owner, action_due=due)
        assert refused.status_code == 422, refused.get_json()
        assert field in refused.get_json()["errors"], refused.get_json()
    assert company.manager.get("/incidents").get_json()["total"] == before
    assert company.manager.get("/actions").get_json()["total"] == 0


def test_a_meeting_records_its_decisions_as_actions_and_the_pack_lists_them(company, client, app):
    incident = _incident(company.officer_bj, corrective_action="复核合同", action_owner="officer_bj",
                         action_due=_due(10)).get_json()
    bad = company.manager.post("/review-meetings", {
        "quarter": QUARTER, "held_on": TODAY.isoformat(), "attendees": "风险部、北京",
        "items": [{"incident_id": incident["id"]}],
        "decisions": [{"title": "修订授信制度", "owner": "manager", "due_date": _due()},
                      {"title": "全员培训", "owner": "nobody", "due_date": _due()}]})
    assert bad.status_code == 422 and list(bad.get_json()["errors"]) == ["decisions.1.owner"], bad.get_json()
    assert company.manager.get(f"/incidents/{incident['id']}").get_json()["state"] == "reported"
    made = company.manager.post("/review-meetings", {
        "quarter": QUARTER, "held_on": TODAY.isoformat(), "attendees": "风险部、北京",
        "items": [{"incident_id": incident["id"]}],
        "decisions": [{"title": "修订授信制度", "owner": "manager", "due_date": _due(40)},
                      {"title": "北京开展合同培训", "owner": "head_bj", "due_date": _due(20)}]})
    assert made.status_code == 201, made.get_json()
    meeting_id = made.get_json()["id"]
    actions = company.manager.get("/actions").get_json()["items"]
    decided = [(a["title"], a["owner"], a["unit"], a["due_date"]) for a in actions if a["incident_id"] is None]
    assert decided == [("北京开展合同培训", "head_bj", "BJ", _due(20)), ("修订授信制度", "manager", None, _due(40))]
    # The officer of BJ sees the unit's decision only.
    assert [a["title"] for a in company.officer_bj.get("/actions").get_json()["items"]] == ["复核合同", "北京开展合同培训"]
    login(client, "manager")
    page = client.get(f"/incidents/meetings?quarter={QUARTER}").get_data(as_text=True)
    assert "北京开展合同培训" in page and "修订授信制度" in page
    pdf = client.get(f"/incidents/pack.pdf?quarter={QUARTER}")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "北京开展合同培训" in text and "修订授信制度" in text and "复核合同" in text
    assert sql(app, "SELECT title FROM actions WHERE meeting_id = :m ORDER BY id", m=meeting_id) == [
        ("修订授信制度",), ("北京开展合同培训",)]
