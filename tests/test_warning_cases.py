"""Warning cases (警示案例): marked by the risk manager at the review meeting, read by every unit through their
shared fields only (page and API), announced once to every unit's officers and heads and the risk managers."""
from sqlalchemy import update

from conftest import csrf_token, login, sql
from riskflow import attachments
from riskflow.auth import policy
from riskflow.auth.models import User

PRIVATE = "私密-MARKER-7731"
SHARED_FIELDS = ["code", "title", "kind", "occurred_on", "unit", "unit_name", "cause", "lessons", "gross_loss",
                 "net_loss"]


def bj_incident(company, title="经销商伪造提货单骗取货物", **extra):
    body = {"title": title, "kind": "loss_event", "occurred_on": "2026-10-12", "discovered_on": "2026-10-14",
            "unit": "BJ", "description": f"经办人描述 {PRIVATE}", "cause": "提货单未与合同逐一核对",
            "handling": f"已报案 {PRIVATE}", "lessons": "提货必须核对合同原件与印鉴",
            "corrective_action": f"整改 {PRIVATE}", "action_owner": f"王某 {PRIVATE}",
            "losses": {"financial": 250000}, "recoveries": 50000, **extra}
    response = company.officer_bj.post("/incidents", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def reviewed(company, **extra):
    incident = bj_incident(company, **extra)
    response = company.manager.post(f"/incidents/{incident['id']}/transitions", {"transition": "review"})
    assert response.status_code == 200, response.get_json()
    return incident


def mark(api, incident, value=True):
    return api.post(f"/incidents/{incident['id']}/warning-case", {"warning_case": value})


def expected_case(incident):
    return {"code": incident["code"], "title": "经销商伪造提货单骗取货物", "kind": "loss_event",
            "occurred_on": "2026-10-12", "unit": "BJ", "unit_name": "北京销售分公司",
            "cause": "提货单未与合同逐一核对", "lessons": "提货必须核对合同原件与印鉴", "gross_loss": 250000.0,
            "net_loss": 200000.0}


def test_sh_reads_bj_case_with_exactly_the_shared_fields_and_nothing_private(company, client, run_db, app):
    case = reviewed(company)
    run_db(lambda s: attachments.add(s, policy.SYSTEM, "incident", case["id"], f"证据-{PRIVATE}.txt",
                                     "提货单复印件".encode(), "incident.attach"))
    marked = mark(company.manager, case)
    assert marked.status_code == 200, marked.get_json()
    assert marked.get_json()["warning_case"] is True
    listed = company.officer_sh.get("/warning-cases")
    assert listed.status_code == 200
    assert listed.get_json() == {"items": [expected_case(case)], "total": 1, "page": 1, "per_page": 50}
    assert sorted(listed.get_json()["items"][0]) == sorted(SHARED_FIELDS)
    assert PRIVATE not in listed.get_data(as_text=True)
    # The full incident stays BJ's: 404 for SH through both doors.
    assert company.officer_sh.get(f"/incidents/{case['id']}").status_code == 404
    login(client, "officer_sh")
    assert client.get(f"/incidents/{case['id']}").status_code == 404
    page = client.get("/incidents/cases")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in (case["code"], "经销商伪造提货单骗取货物", "北京销售分公司", "提货单未与合同逐一核对",
                 "提货必须核对合同原件与印鉴", "250,000.00", "200,000.00", f'id="{case["code"]}"'):
        assert text in html, text
    assert PRIVATE not in html
    assert f"/incidents/{case['id']}" not in html  # no way into the full record
    manager = app.test_client()  # the markers are there, in the full record
    login(manager, "manager")
    assert manager.get(f"/incidents/{case['id']}").get_data(as_text=True).count(PRIVATE) == 5
    # Every role reads the shared view, whichever unit it belongs to.
    for name in ("officer_bj", "head_bj", "inspector", "leader", "admin", "manager"):
        assert company.users[name].get("/warning-cases").get_json()["items"] == [expected_case(case)], name


def test_unmarked_incidents_are_absent(company, client):
    never = reviewed(company, title="未列为警示案例的事件")
    taken_off = reviewed(company, title="取消了的警示案例")
    assert mark(company.manager, taken_off).status_code == 200
    assert mark(company.manager, taken_off, False).get_json()["warning_case"] is False
    for api in (company.officer_sh, company.manager):
        assert api.get("/warning-cases").get_json()["total"] == 0
    login(client, "officer_sh")
    html = client.get("/incidents/cases").get_data(as_text=True)
    assert never["code"] not in html and taken_off["code"] not in html and "未列为警示案例的事件" not in html
    assert "尚无共享的警示案例。" in html


def test_the_announcement_reaches_every_units_people_and_the_risk_managers_once(company, app, make, run_db):
    app.config["WEBHOOK_URL"] = "http://127.0.0.1:9/robot"
    make.user("gone_sh", "risk_officer", unit="SH")
    run_db(lambda s: s.execute(update(User).where(User.username == "gone_sh").values(active=False)))
    case = reviewed(company)
    assert mark(company.manager, case).status_code == 200
    assert mark(company.manager, case, False).status_code == 200
    assert mark(company.manager, case).status_code == 200  # marked again: not announced again
    rows = sql(app, "SELECT u.username, n.link, n.entity, n.entity_id FROM notifications n "
                    "JOIN users u ON u.id = n.user_id WHERE n.kind = 'lesson_shared' ORDER BY u.username")
    link = f"/incidents/cases#{case['code']}"
    # The risk manager who marked it is not told (tests/test_eyes16.py: the other risk managers are).
    assert rows == [(name, link, "incident", case["id"]) for name in ("head_bj", "officer_bj", "officer_sh")]
    item = company.officer_sh.get("/notifications").get_json()["items"][0]
    assert (item["kind"], item["title"], item["link"]) == (
        "lesson_shared", f"警示案例 {case['code']}：经销商伪造提货单骗取货物", link)
    # One company-wide group message, to the company's robot.
    assert sql(app, "SELECT unit_id, url, kind FROM webhook_deliveries") == [
        (None, "http://127.0.0.1:9/robot", "lesson_shared")]
    content = sql(app, "SELECT content FROM webhook_deliveries")[0][0]
    assert case["code"] in content and link in content and PRIVATE not in content


def test_only_the_risk_manager_marks_and_only_a_reviewed_incident(company, app):
    case = reviewed(company)
    assert mark(company.officer_bj, case).status_code == 403  # its own unit's: the role may not
    assert mark(company.officer_sh, case).status_code == 404  # another unit's: does not exist for SH
    for name in ("head_bj", "inspector", "leader", "admin"):
        assert mark(company.users[name], case).status_code == 403, name
    assert company.manager.post(f"/incidents/{case['id']}/warning-case", {"warning_case": "yes"}).status_code == 422
    fresh = bj_incident(company, title="尚未审议的事件")
    refused = mark(company.manager, fresh)
    assert refused.status_code == 409 and list(refused.get_json()["errors"]) == ["warning_case"]
    assert sql(app, "SELECT count(*) FROM incidents WHERE warning_case = true") == [(0,)]
    assert sql(app, "SELECT count(*) FROM notifications WHERE kind = 'lesson_shared'") == [(0,)]
    assert mark(company.manager, {"id": 999999}).status_code == 404


def test_a_unit_role_cannot_mark_through_the_page_either(company, client, app):
    case = reviewed(company)
    login(client, "head_bj")
    html = client.get(f"/incidents/{case['id']}").get_data(as_text=True)
    assert "列为警示案例" not in html
    response = client.post(f"/incidents/{case['id']}/warning-case",
                           data={"warning_case": "1", "csrf_token": csrf_token(client, f"/incidents/{case['id']}")})
    assert response.status_code == 403
    assert sql(app, "SELECT count(*) FROM incidents WHERE warning_case = true") == [(0,)]


def test_the_meeting_marks_its_cases_as_it_reviews_them_with_history(company, app):
    case = bj_incident(company)
    other = bj_incident(company, title="只审议不共享")
    recorded = company.manager.post("/review-meetings", {
        "quarter": "2026-Q4", "held_on": "2026-12-01", "attendees": "风险管理部、各单位风险管理员",
        "items": [{"incident_id": case["id"], "warning_case": True}, {"incident_id": other["id"]}]})
    assert recorded.status_code == 201, recorded.get_json()
    assert [i["code"] for i in company.officer_sh.get("/warning-cases").get_json()["items"]] == [case["code"]]
    body = company.manager.get(f"/incidents/{case['id']}").get_json()
    assert (body["state"], body["warning_case"]) == ("reviewed", True)
    assert company.manager.get(f"/incidents/{other['id']}").get_json()["warning_case"] is False
    assert mark(company.manager, case, False).status_code == 200
    history = company.manager.get(f"/history?entity=incident&id={case['id']}").get_json()
    entries = history["items"] if isinstance(history, dict) else history
    marks = [(e["action"], e["actor"], e["changes"]) for e in entries if e["action"].startswith("warning_case")]
    assert sorted(marks) == [("warning_case_marked", "manager", {"warning_case": [False, True]}),
                             ("warning_case_unmarked", "manager", {"warning_case": [True, False]})]
    assert sql(app, "SELECT count(*) FROM notifications WHERE kind = 'lesson_shared'") == [(3,)]  # not the marker
