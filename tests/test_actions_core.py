"""The core of closing the loop: actions through the API, a warning's progress from its actions, its
confirmation only by the risk manager once every action is done, and grading sheets signed off."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MONTH = TODAY.strftime("%Y-%m")


def _due(days=20):
    return (TODAY + timedelta(days=days)).isoformat()


def _warning(company, period=None):
    """A major risk of BJ graded this month, so it has a warning; (risk, warning)."""
    period = period or MONTH
    risk = company.risk("渠道压货风险")
    company.grade(risk["id"], period, 5, 4)
    warning = company.manager.get(f"/warnings?period={period}").get_json()["items"][0]
    return risk, warning


def test_an_officer_assigns_an_action_on_their_warning_and_it_belongs_to_the_owner_unit(company):
    risk, warning = _warning(company)
    made = company.officer_bj.post("/actions", {"title": "清理渠道库存", "owner": "head_bj", "due_date": _due(),
                                                "warning_id": warning["id"]})
    assert made.status_code == 201, made.get_json()
    action = made.get_json()
    assert (action["code"][:3], action["state"], action["owner"], action["unit"], action["risk_id"],
            action["warning_id"], action["overdue"], action["escalation"]) == (
        "CS-", "open", "head_bj", "BJ", risk["id"], warning["id"], False, None)
    assert action["transitions"] == ["start"]  # the owner's unit starts it
    assert company.officer_sh.get(f"/actions/{action['id']}").status_code == 404
    assert company.officer_sh.get("/actions").get_json()["total"] == 0
    assert company.officer_bj.get("/actions").get_json()["total"] == 1


def test_bad_actions_are_refused_with_the_field_named_and_nothing_saved(company):
    _risk, warning = _warning(company)
    cases = [
        ({"title": "甲", "owner": "officer_sh", "due_date": _due(), "warning_id": warning["id"]}, 422, "owner"),
        ({"title": "甲", "owner": "head_bj", "due_date": (TODAY - timedelta(days=1)).isoformat(),
          "warning_id": warning["id"]}, 422, "due_date"),
        ({"title": "甲", "owner": "manager", "due_date": _due(), "warning_id": warning["id"]}, 422, "owner"),
        ({"title": "甲", "owner": "nobody", "due_date": _due()}, 422, "owner"),
    ]
    for body, status, field in cases:
        response = company.manager.post("/actions", body)
        assert response.status_code == status, (body, response.get_json())
        assert field in response.get_json()["errors"], response.get_json()
    missing = company.manager.post("/actions", {"title": "甲"})
    assert missing.status_code == 422
    refused = company.officer_sh.post("/actions", {"title": "甲", "owner": "officer_sh", "due_date": _due(),
                                                   "warning_id": warning["id"]})
    assert refused.status_code == 422 and "warning_id" in refused.get_json()["errors"]
    assert company.manager.get("/actions").get_json()["total"] == 0


def test_the_warning_progress_comes_from_its_actions_and_done_waits_for_them(company):
    _risk, warning = _warning(company)
    ids = []
    for title in ("清理库存", "调整返利"):
        made = company.manager.post("/actions", {"title": title, "owner": "officer_bj", "due_date": _due(),
                                                 "warning_id": warning["id"]})
        assert made.status_code == 201, made.get_json()
        ids.append(made.get_json()["id"])
    officer = company.officer_bj
    assert officer.post(f"/actions/{ids[0]}/transitions", {"transition": "start"}).status_code == 200
    assert officer.post(f"/actions/{ids[0]}/transitions", {"transition": "submit"}).status_code == 422
    assert officer.post(f"/actions/{ids[0]}/transitions",
                        {"transition": "submit", "report": "库存已清理"}).status_code == 200
    assert officer.post(f"/actions/{ids[0]}/transitions", {"transition": "confirm"}).status_code == 403
    assert company.manager.post(f"/actions/{ids[0]}/transitions", {"transition": "confirm"}).status_code == 200
    period = MONTH
    row = company.manager.get(f"/warnings?period={period}").get_json()["items"][0]
    assert (row["progress"], row["status"]) == (50, "in_progress")
    typed = officer.patch(f"/warnings/{warning['id']}", {"progress": 80})
    assert typed.status_code == 422 and "progress" in typed.get_json()["errors"]
    assert officer.patch(f"/warnings/{warning['id']}", {"status": "done"}).status_code == 403
    early = company.manager.patch(f"/warnings/{warning['id']}", {"status": "done"})
    assert early.status_code == 422 and "status" in early.get_json()["errors"]
    assert company.manager.post(f"/actions/{ids[1]}/transitions",
                                {"transition": "cancel", "comment": "并入第一项"}).status_code == 200
    row = company.manager.get(f"/warnings?period={period}").get_json()["items"][0]
    assert row["progress"] == 100
    assert company.manager.patch(f"/warnings/{warning['id']}", {"status": "done"}).status_code == 200
    late = company.manager.post("/actions", {"title": "再来", "owner": "officer_bj", "due_date": _due(),
                                             "warning_id": warning["id"]})
    assert late.status_code == 409


def test_a_stale_action_edit_is_refused_and_an_edit_is_in_the_history(company):
    made = company.manager.post("/actions", {"title": "核对台账", "owner": "officer_bj", "due_date": _due()})
    action = made.get_json()
    edited = company.officer_bj.patch(f"/actions/{action['id']}", {"title": "核对应收台账",
                                                                   "version": action["version"]})
    assert edited.status_code == 200, edited.get_json()
    stale = company.officer_bj.patch(f"/actions/{action['id']}", {"title": "又改", "version": action["version"]})
    assert stale.status_code == 409
    entries = company.manager.get(f"/history?entity=action&id={action['id']}").get_json()["items"]
    assert [e["action"] for e in entries] == ["create", "update"]
    assert entries[1]["changes"] == {"title": ["核对台账", "核对应收台账"]}


def test_a_sheet_is_submitted_when_every_risk_is_graded_then_frozen_until_returned(company):
    period = MONTH
    deadline = (TODAY + timedelta(days=5)).isoformat()
    assert company.manager.post("/rounds", {"period": period, "deadline": deadline}).status_code in (200, 201)
    first, second = company.risk("甲风险"), company.risk("乙风险")
    company.grade(first["id"], period, 2, 2, api=company.officer_bj)
    path = f"/rounds/{period}/units/BJ/transitions"
    early = company.officer_bj.post(path, {"transition": "submit"})
    assert early.status_code == 422, early.get_json()
    company.grade(second["id"], period, 3, 2, api=company.officer_bj)
    assert company.officer_bj.post(path, {"transition": "submit"}).status_code == 200
    frozen = company.officer_bj.put(f"/risks/{first['id']}/assessments/{period}",
                                    {"likelihood": 4, "impact": 4, "rationale": "改"})
    assert frozen.status_code == 409
    assert company.officer_sh.post(path, {"transition": "confirm"}).status_code == 404
    assert company.head_bj.post(path, {"transition": "confirm"}).status_code == 200
    returned = company.manager.post(path, {"transition": "return", "comment": "乙风险理由不足"})
    assert returned.status_code == 200
    assert returned.get_json()["state"] == "grading"
    again = company.officer_bj.put(f"/risks/{first['id']}/assessments/{period}",
                                   {"likelihood": 4, "impact": 4, "rationale": "改"})
    assert again.status_code == 200, again.get_json()


def test_the_execution_progress_counts_each_unit_actions_and_lists_warnings_without_any(app, company):
    from riskflow.actions import coverage, progress
    from riskflow.auth import policy
    from riskflow.db import get_session

    _risk, warning = _warning(company)
    quiet = company.risk("无措施风险", unit="SH")
    company.grade(quiet["id"], MONTH, 4, 4)
    for title, owner in (("清理库存", "officer_bj"), ("调整返利", "head_bj")):
        assert company.manager.post("/actions", {"title": title, "owner": owner, "due_date": _due(),
                                                 "warning_id": warning["id"]}).status_code == 201
    first = company.manager.get("/actions").get_json()["items"][0]
    company.officer_bj.post(f"/actions/{first['id']}/transitions", {"transition": "start"})
    company.officer_bj.post(f"/actions/{first['id']}/transitions", {"transition": "submit", "report": "完成"})
    company.manager.post(f"/actions/{first['id']}/transitions", {"transition": "confirm"})
    with app.test_request_context():
        session = get_session()
        later = TODAY + timedelta(days=30)
        data = progress.collect(session, policy.SYSTEM, MONTH, later)
        assert [(r.code, r.title, r.owner, r.state, r.overdue) for r in data.rows] == [
            (data.rows[0].code, "清理库存", "officer_bj", "done", False),
            (data.rows[0].code, "调整返利", "head_bj", "open", True)]
        assert [(t.unit, t.warnings, t.actions, t.done, t.overdue, t.done_rate) for t in data.units] == [
            ("上海销售分公司", 1, 0, 0, 0, None), ("北京销售分公司", 1, 2, 1, 1, 50)]
        assert [w.subject for w in data.without_actions] == ["无措施风险"]
        assert [r.assessment.risk.title for r in coverage.without_action(session, policy.SYSTEM, MONTH)] == [
            "无措施风险"]


def test_an_action_submitted_without_saying_what_was_done_is_refused_in_its_own_words(company):
    made = company.manager.post("/actions", {"title": "核对台账", "owner": "officer_bj", "due_date": _due()})
    action_id = made.get_json()["id"]
    assert company.officer_bj.post(f"/actions/{action_id}/transitions", {"transition": "start"}).status_code == 200
    refused = company.officer_bj.post(f"/actions/{action_id}/transitions", {"transition": "submit", "report": " "})
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["report"] == ["请填写完成情况。"]
