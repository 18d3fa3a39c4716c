"""Links to the register (issue 17): projects and recommendations naming risks, the risk's 监察关联, and risk
proposals accepted into the register or declined."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from conftest import Api, login, sql
from riskflow import periods


def risk(team, title, unit="BJ", category="receivables"):
    response = team["manager"].post("/risks", {"title": title, "unit": unit, "category": category})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def fire(api, kind, item_id, transition, **fields):
    response = api.post(f"/{kind}/{item_id}/transitions", {"transition": transition, **fields})
    assert response.status_code == 200, response.get_json()


def monitored_project(team, **extra):
    inspector = team["inspector"]
    response = inspector.post("/supervision-projects", {
        "year": 2026, "title": "应收账款管理效能监察", "kind": "sales_collection", "method": "efficiency_audit",
        "lead_unit": "JJ", "participating_units": ["BJ"], **extra})
    assert response.status_code == 201, response.get_json()
    project = response.get_json()
    fire(inspector, "supervision-projects", project["id"], "file")
    fire(inspector, "supervision-projects", project["id"], "start_monitoring")
    return project


def recommend(team, project_id, unit="BJ", **extra):
    response = team["inspector"].post(f"/supervision-projects/{project_id}/recommendations", {
        "finding": "大客户欠款超过信用额度", "recommendation": "建立客户信用动态评估机制", "responsible_unit": unit,
        **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def links(api, risk_id):
    response = api.get(f"/risks/{risk_id}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["supervision"]
    return ([p["code"] for p in body["projects"]], [r["letter_no"] for r in body["recommendations"]])


@pytest.fixture
def linked(team):
    """Risks BJ-001, BJ-002 and SH-001; a project naming BJ-001 and SH-001, a recommendation to BJ naming
    BJ-002 and one to SH naming SH-001."""
    bj1, bj2, sh1 = risk(team, "应收账款回收风险"), risk(team, "客户信用风险"), risk(team, "上海回款风险", unit="SH")
    project = monitored_project(team, risk_ids=[bj1["id"], sh1["id"]])
    rec_bj = recommend(team, project["id"], risk_ids=[bj2["id"]])
    rec_sh = recommend(team, project["id"], unit="SH", risk_ids=[sh1["id"], sh1["id"]])
    return {"bj1": bj1, "bj2": bj2, "sh1": sh1, "project": project, "rec_bj": rec_bj, "rec_sh": rec_sh}


def test_links_in_both_directions(team, linked):
    inspector = team["inspector"]
    bj1, bj2, sh1 = linked["bj1"], linked["bj2"], linked["sh1"]
    project = inspector.get(f"/supervision-projects/{linked['project']['id']}").get_json()
    assert (project["code"], project["risk_ids"]) == ("XJ-2026-001", [bj1["id"], sh1["id"]])
    assert inspector.get(f"/recommendations/{linked['rec_bj']['id']}").get_json()["risk_ids"] == [bj2["id"]]
    assert linked["rec_sh"]["risk_ids"] == [sh1["id"]]
    letter_bj, letter_sh = linked["rec_bj"]["letter_no"], linked["rec_sh"]["letter_no"]
    assert links(team["manager"], bj1["id"]) == (["XJ-2026-001"], [])
    assert links(team["manager"], bj2["id"]) == ([], [letter_bj])
    assert links(team["leader"], sh1["id"]) == (["XJ-2026-001"], [letter_sh])
    assert team["manager"].get(f"/risks/{sh1['id']}").get_json()["supervision"] == {
        "projects": [{"id": project["id"], "code": "XJ-2026-001", "title": "应收账款管理效能监察", "state": "monitoring"}],
        "recommendations": [{"id": linked["rec_sh"]["id"], "letter_no": letter_sh, "project_id": project["id"],
                             "state": "issued"}]}


def test_a_units_roles_see_only_their_own_links(team, linked):
    head_sh, head_bj = team["head_sh"], team["head_bj"]
    bj1, bj2, sh1 = linked["bj1"], linked["bj2"], linked["sh1"]
    # SH is recommended to, so the project is in its scope; the letter to BJ is not.
    assert links(head_sh, sh1["id"]) == (["XJ-2026-001"], [linked["rec_sh"]["letter_no"]])
    assert head_sh.get(f"/risks/{bj1['id']}").status_code == 404
    assert links(head_bj, bj2["id"]) == ([], [linked["rec_bj"]["letter_no"]])
    assert links(head_bj, bj1["id"]) == (["XJ-2026-001"], [])
    # Another unit's risk is left out of what a unit's role reads of the project.
    assert head_bj.get(f"/supervision-projects/{linked['project']['id']}").get_json()["risk_ids"] == [bj1["id"]]
    assert head_sh.get(f"/supervision-projects/{linked['project']['id']}").get_json()["risk_ids"] == [sh1["id"]]


def test_the_risk_page_lists_what_names_it_in_the_viewers_scope(app, team, linked):
    client = app.test_client()
    login(client, "head_sh")
    html = client.get(f"/risks/{linked['sh1']['id']}").get_data(as_text=True)
    assert "监察关联" in html
    assert f'href="/supervision/{linked["project"]["id"]}">XJ-2026-001</a>' in html
    assert f'href="/recommendations/{linked["rec_sh"]["id"]}">{linked["rec_sh"]["letter_no"]}</a>' in html
    assert linked["rec_bj"]["letter_no"] not in html


def test_unknown_non_integer_and_retired_risks_are_refused_and_nothing_is_stored(app, team, linked):
    inspector = team["inspector"]
    before = sql(app, "SELECT count(*) FROM supervision_projects")
    refused = inspector.post("/supervision-projects", {
        "title": "招标采购", "kind": "tendering", "method": "efficiency_audit", "lead_unit": "JJ",
        "risk_ids": [linked["bj1"]["id"], 987654]})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"risk_ids": ["未知风险 987654。"]}
    not_int = inspector.post("/supervision-projects", {
        "title": "招标采购", "kind": "tendering", "method": "efficiency_audit", "lead_unit": "JJ", "risk_ids": ["BJ-001"]})
    assert not_int.status_code == 422 and list(not_int.get_json()["errors"]) == ["risk_ids"]
    assert sql(app, "SELECT count(*) FROM supervision_projects") == before
    rec = linked["rec_bj"]
    stale = inspector.patch(f"/recommendations/{rec['id']}", {"risk_ids": [987654], "version": rec["version"]})
    assert stale.status_code == 422 and stale.get_json()["errors"] == {"risk_ids": ["未知风险 987654。"]}
    retired = team["manager"].patch(f"/risks/{linked['bj1']['id']}", {"status": "retired", "version": 1})
    assert retired.status_code == 200, retired.get_json()
    refused = inspector.patch(f"/recommendations/{rec['id']}", {"risk_ids": [linked["bj1"]["id"]],
                                                                  "version": rec["version"]})
    assert refused.get_json()["errors"] == {"risk_ids": ["风险 BJ-001 已停用，不能再关联。"]}
    assert sql(app, "SELECT risk_id FROM recommendation_risks WHERE recommendation_id = :r", r=rec["id"]) == [
        (linked["bj2"]["id"],)]
    # A retired risk already named stays when the project is saved again.
    project = inspector.get(f"/supervision-projects/{linked['project']['id']}").get_json()
    kept = inspector.patch(f"/supervision-projects/{project['id']}", {
        "risk_ids": project["risk_ids"], "title": "应收账款管理效能监察（二）", "version": project["version"]})
    assert kept.status_code == 200 and kept.get_json()["risk_ids"] == project["risk_ids"]


def test_the_history_records_the_named_risks_by_code(team, linked):
    inspector = team["inspector"]
    rec = linked["rec_bj"]
    changed = inspector.patch(f"/recommendations/{rec['id']}", {
        "risk_ids": [linked["sh1"]["id"], linked["bj2"]["id"]], "version": rec["version"]})
    assert changed.status_code == 200 and changed.get_json()["risk_ids"] == [linked["bj2"]["id"], linked["sh1"]["id"]]
    entries = inspector.get(f"/history?entity=recommendation&id={rec['id']}").get_json()["items"]
    assert [(e["action"], e["changes"].get("risks")) for e in entries] == [
        ("create", [None, ["BJ-002"]]), ("update", [["BJ-002"], ["BJ-002", "SH-001"]])]


def notifications(api, kind):
    return [(n["title"], n["link"]) for n in api.get("/notifications").get_json()["items"] if n["kind"] == kind]


def test_a_new_risk_proposed_and_accepted_enters_the_register(app, team, linked):
    inspector, manager = team["inspector"], team["manager"]
    rec = linked["rec_bj"]
    proposed = inspector.post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "new", "title": "大客户信用额度失控风险", "category": "receivables", "likelihood": 4, "impact": 3,
        "reason": "多家大客户欠款超额度"})
    assert proposed.status_code == 201, proposed.get_json()
    proposal = proposed.get_json()
    assert {k: proposal[k] for k in ("kind", "unit", "state", "risk_id", "letter_no", "version")} == {
        "kind": "new", "unit": "BJ", "state": "proposed", "risk_id": None, "letter_no": rec["letter_no"], "version": 1}
    assert notifications(manager, "risk_proposed") == [
        (f"监察建议{rec['letter_no']}为北京销售分公司提出风险建议：大客户信用额度失控风险 4×3。", "/risk-proposals?state=proposed")]
    assert [p["id"] for p in manager.get("/risk-proposals?state=proposed").get_json()["items"]] == [proposal["id"]]
    accepted = manager.post(f"/risk-proposals/{proposal['id']}/accept", {"version": 1})
    assert accepted.status_code == 200, accepted.get_json()
    body = accepted.get_json()
    assert (body["state"], body["risk_code"], body["version"]) == ("accepted", "BJ-003", 2)
    new_risk = manager.get(f"/risks/{body['risk_id']}").get_json()
    with app.app_context():
        month = periods.current()
    assert {k: new_risk[k] for k in ("code", "title", "unit", "category", "status")} == {
        "code": "BJ-003", "title": "大客户信用额度失控风险", "unit": "BJ", "category": "receivables", "status": "active"}
    assert {k: new_risk["latest"][k] for k in ("period", "likelihood", "impact", "score", "rationale")} == {
        "period": month, "likelihood": 4, "impact": 3, "score": 12, "rationale": f"依据监察建议 {rec['letter_no']}"}
    assert inspector.get(f"/recommendations/{rec['id']}").get_json()["risk_ids"] == [
        linked["bj2"]["id"], body["risk_id"]]
    assert links(manager, body["risk_id"]) == ([], [rec["letter_no"]])
    assert notifications(inspector, "risk_proposal_decided") == [
        (f"您依据{rec['letter_no']}提出的风险建议（大客户信用额度失控风险 4×3）已被采纳入风险库。",
         f"/recommendations/{rec['id']}#risk-proposals")]
    assert manager.get("/risk-proposals?state=proposed").get_json()["total"] == 0


def test_a_regrade_accepted_records_the_months_grade(app, team, linked):
    inspector, manager = team["inspector"], team["manager"]
    rec, bj2 = linked["rec_bj"], linked["bj2"]
    with app.app_context():
        month = periods.current()
    graded = manager.post(f"/risks/{bj2['id']}/assessments", {"period": month, "likelihood": 2, "impact": 2})
    assert graded.status_code == 201, graded.get_json()
    other_unit = inspector.post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "regrade", "risk_id": linked["sh1"]["id"], "likelihood": 4, "impact": 5, "reason": "欠款扩大"})
    assert other_unit.status_code == 422 and list(other_unit.get_json()["errors"]) == ["risk_id"]
    proposal = inspector.post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "regrade", "risk_id": bj2["id"], "likelihood": 4, "impact": 5, "reason": "欠款扩大"}).get_json()
    assert manager.post(f"/risk-proposals/{proposal['id']}/accept", {}).status_code == 200
    assert [(a["period"], a["likelihood"], a["impact"], a["score"], a["level"], a["rationale"], a["revision"])
            for a in manager.get(f"/risks/{bj2['id']}/assessments").get_json()["items"]] == [
        (month, 4, 5, 20, "major", f"依据监察建议 {rec['letter_no']}", 2)]


def test_a_regrade_into_a_month_past_grading_is_the_registers_409(app, team, linked):
    inspector, manager = team["inspector"], team["manager"]
    rec, bj2 = linked["rec_bj"], linked["bj2"]
    with app.app_context():
        month, deadline = periods.current(), (periods.today() + timedelta(days=10)).isoformat()
    assert manager.post("/rounds", {"period": month, "deadline": deadline}).status_code == 201
    for risk_id in (linked["bj1"]["id"], bj2["id"]):
        assert manager.post(f"/risks/{risk_id}/assessments", {"period": month, "likelihood": 2,
                                                              "impact": 2}).status_code == 201
    submitted = team["officer_bj"].post(f"/rounds/{month}/units/BJ/transitions", {"transition": "submit"})
    assert submitted.status_code == 200, submitted.get_json()
    proposal = inspector.post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "regrade", "risk_id": bj2["id"], "likelihood": 4, "impact": 5, "reason": "欠款扩大"}).get_json()
    refused = manager.post(f"/risk-proposals/{proposal['id']}/accept", {})
    assert refused.status_code == 409
    assert "评估表" in refused.get_json()["error"]
    assert manager.get(f"/risk-proposals/{proposal['id']}").get_json()["state"] == "proposed"
    assert sql(app, "SELECT likelihood, impact FROM assessments WHERE risk_id = :r", r=bj2["id"]) == [(2, 2)]


def test_decline_needs_a_reason_and_a_second_decision_is_409(team, linked):
    inspector, manager = team["inspector"], team["manager"]
    rec = linked["rec_bj"]
    proposal = inspector.post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "new", "title": "重复风险", "category": "receivables", "likelihood": 2, "impact": 2,
        "reason": "复核"}).get_json()
    bare = manager.post(f"/risk-proposals/{proposal['id']}/decline", {"comment": "  "})
    assert bare.status_code == 422 and bare.get_json()["errors"] == {"comment": ["请填写退回理由。"]}
    assert manager.get(f"/risk-proposals/{proposal['id']}").get_json()["state"] == "proposed"
    declined = manager.post(f"/risk-proposals/{proposal['id']}/decline", {"comment": "与BJ-002重复", "version": 1})
    assert declined.status_code == 200
    assert (declined.get_json()["state"], declined.get_json()["decision_comment"]) == ("declined", "与BJ-002重复")
    again = manager.post(f"/risk-proposals/{proposal['id']}/accept", {})
    assert again.status_code == 409
    assert notifications(inspector, "risk_proposal_decided") == [
        (f"您依据{rec['letter_no']}提出的风险建议（重复风险 2×2）已被风险管理部门退回。",
         f"/recommendations/{rec['id']}#risk-proposals")]


def test_who_may_propose_and_decide(team, linked):
    rec = linked["rec_bj"]
    body = {"kind": "new", "title": "新风险", "category": "receivables", "likelihood": 2, "impact": 2, "reason": "x"}
    assert team["head_bj"].post(f"/recommendations/{rec['id']}/risk-proposals", body).status_code == 403
    assert team["manager"].post(f"/recommendations/{rec['id']}/risk-proposals", body).status_code == 403
    assert team["head_sh"].post(f"/recommendations/{rec['id']}/risk-proposals", body).status_code == 404
    bad = team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", {
        **body, "title": "", "category": "nope", "likelihood": 6})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) >= {"likelihood"}
    bad = team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", {**body, "title": "", "category": "nope"})
    assert bad.get_json()["errors"] == {"title": ["名称必填。"], "category": ["未知风险分类 nope。"]}
    proposal = team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", body).get_json()
    assert team["inspector"].post(f"/risk-proposals/{proposal['id']}/accept", {}).status_code == 403
    assert team["head_bj"].get("/risk-proposals").get_json()["total"] == 1
    assert team["head_sh"].get("/risk-proposals").get_json()["total"] == 0
    assert team["head_sh"].get(f"/risk-proposals/{proposal['id']}").status_code == 404


def test_two_risk_managers_accepting_at_once_one_wins(app, make, team, linked):
    from riskflow.auth.models import User
    from riskflow.errors import Conflict
    from riskflow.supervision import risk_proposals as proposals
    from riskflow.supervision.models import RiskProposal
    from sqlalchemy.orm.exc import StaleDataError

    make.user("manager2", "risk_manager")
    rec = linked["rec_bj"]
    pid = team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "new", "title": "并发风险", "category": "receivables", "likelihood": 3, "impact": 3,
        "reason": "并发"}).get_json()["id"]
    barrier = threading.Barrier(2)
    outcomes = []

    def worker(username):
        with app.app_context():
            session = app.extensions["riskflow.sessionmaker"]()
            try:
                actor = session.query(User).filter_by(username=username).one()
                assert session.get(RiskProposal, pid).state == "proposed"
                barrier.wait(timeout=10)
                proposals.accept(session, actor, pid, {})
                session.commit()
                outcomes.append("won")
            except (Conflict, StaleDataError):
                session.rollback()
                outcomes.append(409)
            finally:
                session.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("manager", "manager2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes, key=str) == [409, "won"]
    assert sql(app, "SELECT count(*) FROM risks WHERE title = '并发风险'") == [(1,)]
    assert sql(app, "SELECT state, version FROM risk_proposals WHERE id = :p", p=pid) == [("accepted", 2)]


def test_the_risk_managers_todo_counts_open_proposals(app, team, linked):
    from test_todo import tasks_of

    rec = linked["rec_bj"]
    for title in ("甲", "乙"):
        team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", {
            "kind": "new", "title": title, "category": "receivables", "likelihood": 2, "impact": 2, "reason": "x"})
    client = app.test_client()
    login(client, "manager")
    assert tasks_of(client)["待决定的风险建议"] == (2, "/risk-proposals?state=proposed")
