"""Supervision projects and recommendations through the contract's API and the workflow engine."""
import threading
from datetime import date, timedelta

import pytest

from riskflow import periods


def new_project(api, **extra):
    body = {"year": 2026, "title": "应收账款管理效能监察", "kind": "sales_collection", "method": "efficiency_audit",
            "lead_unit": "JJ", "participating_units": ["BJ"], "control_points": "回款节点", "plan": "4—11月实施",
            "economic_benefit": 450000, **extra}
    response = api.post("/supervision-projects", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def fire(api, kind, item_id, transition, **fields):
    return api.post(f"/{kind}/{item_id}/transitions", {"transition": transition, **fields})


def recommend(api, project_id, unit="BJ", **extra):
    response = api.post(f"/supervision-projects/{project_id}/recommendations", {
        "finding": "大客户欠款超过信用额度", "recommendation": "建立客户信用动态评估机制", "responsible_unit": unit, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_project_is_filed_in_draft_with_the_callers_transitions(team):
    project = new_project(team["inspector"])
    assert (project["code"], project["state"], project["lead_unit"], project["participating_units"]) == (
        "XJ-2026-001", "draft", "JJ", ["BJ"])
    assert project["transitions"] == ["file", "cancel"]
    assert team["leader"].get(f"/supervision-projects/{project['id']}").get_json()["transitions"] == []
    assert new_project(team["inspector"])["code"] == "XJ-2026-002"


def test_bad_project_fields_are_422(team):
    response = team["inspector"].post("/supervision-projects", {"title": "", "kind": "fun", "method": "guess",
                                                                "lead_unit": "XX", "economic_benefit": -5})
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == ["economic_benefit", "method", "title"]
    # The kinds are a list the admin edits: one not on it is refused by the service, at its field.
    response = team["inspector"].post("/supervision-projects", {"title": "t", "kind": "fun",
                                                                "method": "efficiency_audit", "lead_unit": "JJ"})
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["kind"]
    response = team["inspector"].post("/supervision-projects", {"title": "t", "kind": "budget",
                                                                "method": "efficiency_audit", "lead_unit": "XX"})
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["lead_unit"]
    # A unit head's call is a proposal (tests/test_proposals.py): an empty one is refused at its fields.
    assert team["head_bj"].post("/supervision-projects", {}).status_code == 422
    assert team["officer_bj"].post("/supervision-projects", {}).status_code == 403


def test_the_whole_closed_loop(team, app):
    inspector, head = team["inspector"], team["head_bj"]
    project = new_project(inspector)
    pid = project["id"]
    assert fire(inspector, "supervision-projects", pid, "file").get_json()["state"] == "setup"
    assert fire(inspector, "supervision-projects", pid, "start_monitoring").get_json()["state"] == "monitoring"
    refused = fire(inspector, "supervision-projects", pid, "issue_recommendations")
    assert refused.status_code == 422
    assert refused.get_json()["error"] == "下达监察建议前，请至少登记一条监察建议。"
    rec = recommend(inspector, pid)
    with app.app_context():
        expected_due = (periods.today() + timedelta(days=30)).isoformat()
    assert (rec["state"], rec["overdue"], rec["due_date"], rec["letter_no"]) == (
        "issued", False, expected_due, f"监建〔{date.today().year}〕1号")
    assert fire(inspector, "supervision-projects", pid, "issue_recommendations").get_json()["state"] == "recommendation"
    assert fire(inspector, "supervision-projects", pid, "start_rectification").get_json()["state"] == "rectification"
    blocked = fire(inspector, "supervision-projects", pid, "close", comment="结项")
    assert blocked.status_code == 422 and "监建" in blocked.get_json()["error"]
    assert fire(inspector, "supervision-projects", pid, "close").status_code == 422  # comment required too

    rid = rec["id"]
    assert head.get(f"/recommendations/{rid}").get_json()["transitions"] == ["accept"]
    assert fire(head, "recommendations", rid, "accept").get_json()["state"] == "in_progress"
    missing = fire(head, "recommendations", rid, "submit")
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["report"]
    assert fire(team["officer_bj"], "recommendations", rid, "submit", report="已建立信用评估制度").status_code == 200
    assert fire(inspector, "recommendations", rid, "reject").status_code == 422  # a reason is required
    back = fire(inspector, "recommendations", rid, "reject", comment="缺少制度文件")
    assert back.get_json()["state"] == "in_progress"
    fire(head, "recommendations", rid, "submit", report="补充了制度文件")
    verified = fire(inspector, "recommendations", rid, "verify")
    assert verified.get_json()["state"] == "verified" and verified.get_json()["overdue"] is False
    closed = fire(inspector, "supervision-projects", pid, "close", comment="整改全部验收，结项归档")
    assert (closed.status_code, closed.get_json()["state"]) == (200, "closed")

    history = inspector.get(f"/history?entity=recommendation&id={rid}").get_json()["items"]
    assert [(h["action"], h["from_state"], h["to_state"]) for h in history] == [
        ("create", None, "issued"), ("accept", "issued", "in_progress"), ("submit", "in_progress", "submitted"),
        ("reject", "submitted", "in_progress"), ("submit", "in_progress", "submitted"),
        ("verify", "submitted", "verified")]
    assert history[3]["comment"] == "缺少制度文件" and history[4]["changes"] == {"report": "补充了制度文件"}
    assert inspector.get(f"/recommendations/{rid}").get_json()["rectification_report"] == "补充了制度文件"
    project_history = inspector.get(f"/history?entity=supervision_project&id={pid}").get_json()["items"]
    assert [h["action"] for h in project_history] == [
        "create", "file", "start_monitoring", "recommend", "issue_recommendations", "start_rectification", "close"]


def test_wrong_state_is_409_and_wrong_role_is_403(team):
    inspector = team["inspector"]
    project = new_project(inspector)
    wrong = fire(inspector, "supervision-projects", project["id"], "start_monitoring")
    assert wrong.status_code == 409 and "transition" in wrong.get_json()["errors"]
    assert fire(inspector, "supervision-projects", project["id"], "no_such_thing").status_code == 409
    assert fire(team["leader"], "supervision-projects", project["id"], "file").status_code == 403
    assert fire(team["admin"], "supervision-projects", project["id"], "file").status_code == 403
    fire(inspector, "supervision-projects", project["id"], "file")
    fire(inspector, "supervision-projects", project["id"], "start_monitoring")
    rec = recommend(inspector, project["id"])
    assert fire(inspector, "recommendations", rec["id"], "accept").status_code == 403
    assert fire(team["head_bj"], "recommendations", rec["id"], "verify").status_code == 409
    assert fire(team["head_sh"], "recommendations", rec["id"], "accept").status_code == 404
    assert team["head_bj"].post(f"/recommendations/{rec['id']}/transitions", []).status_code == 400
    assert team["head_bj"].post(f"/recommendations/{rec['id']}/transitions", {}).status_code == 422


@pytest.mark.parametrize("steps", [[], ["file"], ["file", "start_monitoring"]])
def test_cancel_from_any_open_state_but_not_from_a_final_one(team, steps):
    inspector = team["inspector"]
    pid = new_project(inspector)["id"]
    for step in steps:
        fire(inspector, "supervision-projects", pid, step)
    assert fire(inspector, "supervision-projects", pid, "cancel").status_code == 422
    assert fire(inspector, "supervision-projects", pid, "cancel", comment="立项取消").get_json()["state"] == "cancelled"
    assert fire(inspector, "supervision-projects", pid, "cancel", comment="again").status_code == 409


def test_recommendations_are_made_while_monitoring_with_a_future_deadline(team):
    inspector = team["inspector"]
    pid = new_project(inspector)["id"]
    early = inspector.post(f"/supervision-projects/{pid}/recommendations", {
        "finding": "x", "recommendation": "y", "responsible_unit": "BJ"})
    assert early.status_code == 409
    fire(inspector, "supervision-projects", pid, "file")
    fire(inspector, "supervision-projects", pid, "start_monitoring")
    bad = inspector.post(f"/supervision-projects/{pid}/recommendations", {
        "finding": "", "recommendation": "y", "responsible_unit": "XX", "due_date": "2020-01-01"})
    assert bad.status_code == 422 and list(bad.get_json()["errors"]) == ["finding"]
    bad = inspector.post(f"/supervision-projects/{pid}/recommendations", {
        "finding": " ", "recommendation": "y", "responsible_unit": "XX", "due_date": "2020-01-01"})
    assert bad.status_code == 422
    assert sorted(bad.get_json()["errors"]) == ["due_date", "finding", "responsible_unit"]
    assert recommend(inspector, pid, due_date="2099-03-01")["due_date"] == "2099-03-01"
    assert recommend(inspector, pid, unit="SH")["letter_no"].endswith("2号")


def test_units_see_only_what_concerns_them(team):
    inspector = team["inspector"]
    pid = new_project(inspector, participating_units=[])["id"]
    other = new_project(inspector, participating_units=["SH"])["id"]
    fire(inspector, "supervision-projects", pid, "file")
    fire(inspector, "supervision-projects", pid, "start_monitoring")
    rec_bj = recommend(inspector, pid, unit="BJ")
    rec_sh = recommend(inspector, pid, unit="SH")
    head_bj = team["head_bj"]
    assert [r["id"] for r in head_bj.get("/recommendations").get_json()["items"]] == [rec_bj["id"]]
    assert head_bj.get(f"/recommendations/{rec_sh['id']}").status_code == 404
    assert [p["id"] for p in head_bj.get("/supervision-projects").get_json()["items"]] == [pid]
    assert head_bj.get(f"/supervision-projects/{other}").status_code == 404
    assert len(team["leader"].get("/recommendations").get_json()["items"]) == 2
    assert inspector.get("/recommendations?unit=SH").get_json()["items"][0]["id"] == rec_sh["id"]


def test_two_people_firing_at_once_one_wins(app, team):
    from riskflow.auth.models import User
    from riskflow.errors import Conflict
    from riskflow.supervision.models import Recommendation
    from riskflow.workflow import engine

    inspector = team["inspector"]
    pid = new_project(inspector)["id"]
    fire(inspector, "supervision-projects", pid, "file")
    fire(inspector, "supervision-projects", pid, "start_monitoring")
    rid = recommend(inspector, pid)["id"]
    barrier = threading.Barrier(2)
    outcomes = []

    def worker(username):
        with app.app_context():
            session = app.extensions["riskflow.sessionmaker"]()
            try:
                actor = session.query(User).filter_by(username=username).one()
                item = session.get(Recommendation, rid)
                assert item.state == "issued"
                barrier.wait(timeout=10)
                engine.fire(session, item, "accept", actor)
                session.commit()
                outcomes.append("won")
            except Conflict:
                session.rollback()
                outcomes.append(409)
            finally:
                session.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("head_bj", "officer_bj")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes, key=str) == [409, "won"]
    history = inspector.get(f"/history?entity=recommendation&id={rid}").get_json()["items"]
    assert [h["action"] for h in history] == ["create", "accept"]


def test_openapi_describes_the_transition_endpoint(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    op = doc["paths"]["/api/v1/{kind}/{item_id}/transitions"]["post"]
    assert set(op["responses"]) == {"200", "400", "401", "403", "404", "409", "422"}
    assert op["parameters"][0]["schema"]["enum"] == ["incidents", "supervision-projects", "recommendations", "actions"]
