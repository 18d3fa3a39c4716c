"""Editing what was recorded through the API: projects until closed or cancelled, recommendations until their
unit accepts them, incidents while reported (their recoveries until closed), indicators; each with the version
read last, each edit in the history."""
import pytest

from conftest import sql
from test_incidents import incident
from test_supervision import fire, new_project, recommend


def history(api, entity, item_id):
    response = api.get(f"/history?entity={entity}&id={item_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def updates(api, entity, item_id):
    return [h["changes"] for h in history(api, entity, item_id) if h["action"] == "update"]


# Projects ---------------------------------------------------------------------------------------------------

def test_a_draft_projects_empty_control_points_and_plan_are_filled_in_later(team):
    inspector = team["inspector"]
    project = new_project(inspector, control_points="", plan="")
    assert (project["control_points"], project["plan"], project["version"]) == ("", "", 1)
    response = inspector.patch(f"/supervision-projects/{project['id']}", {
        "control_points": "合同审批、信用额度、逾期催收", "plan": "5月调阅合同，6月现场检查", "participating_units": ["BJ", "SH"],
        "end_date": "2026-11-30", "version": 1})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {k: body[k] for k in ("code", "title", "control_points", "plan", "participating_units", "end_date",
                                 "state", "version")} == {
        "code": "XJ-2026-001", "title": "应收账款管理效能监察", "control_points": "合同审批、信用额度、逾期催收",
        "plan": "5月调阅合同，6月现场检查", "participating_units": ["BJ", "SH"], "end_date": "2026-11-30",
        "state": "draft", "version": 2}
    assert inspector.get(f"/supervision-projects/{project['id']}").get_json()["plan"] == "5月调阅合同，6月现场检查"
    entries = history(inspector, "supervision_project", project["id"])
    assert [(h["action"], h["actor"]) for h in entries] == [("create", "inspector"), ("update", "inspector")]
    assert entries[1]["changes"] == {
        "control_points": ["", "合同审批、信用额度、逾期催收"], "plan": ["", "5月调阅合同，6月现场检查"],
        "participating_units": [["BJ"], ["BJ", "SH"]], "end_date": [None, "2026-11-30"]}


def test_a_project_edit_of_nothing_changes_nothing(team):
    project = new_project(team["inspector"])
    response = team["inspector"].patch(f"/supervision-projects/{project['id']}", {"title": project["title"],
                                                                                "version": 1})
    assert (response.status_code, response.get_json()["version"]) == (200, 1)
    assert updates(team["inspector"], "supervision_project", project["id"]) == []


def test_a_stale_project_edit_is_409_and_changes_nothing(team, app):
    inspector = team["inspector"]
    project = new_project(inspector)
    assert inspector.patch(f"/supervision-projects/{project['id']}", {"plan": "第一稿", "version": 1}).status_code == 200
    stale = inspector.patch(f"/supervision-projects/{project['id']}", {"plan": "基于旧版本", "version": 1})
    assert stale.status_code == 409
    assert stale.get_json()["errors"] == {"version": ["版本已过期。"]}
    assert sql(app, "SELECT plan, version FROM supervision_projects") == [("第一稿", 2)]
    # A step of the workflow moves the version too: an edit read before it is stale.
    fire(inspector, "supervision-projects", project["id"], "file")
    assert inspector.patch(f"/supervision-projects/{project['id']}", {"plan": "x", "version": 2}).status_code == 409
    assert inspector.patch(f"/supervision-projects/{project['id']}", {"plan": "立项后补充", "version": 3}).status_code == 200


def test_without_a_version_a_project_edit_applies(team):
    project = new_project(team["inspector"])
    response = team["inspector"].patch(f"/supervision-projects/{project['id']}", {"scope": "华北片区"})
    assert (response.status_code, response.get_json()["scope"], response.get_json()["version"]) == (200, "华北片区", 2)


@pytest.mark.parametrize("body,fields", [
    ({"plan": 5}, ["plan"]),
    ({"year": "2026"}, ["year"]),
    ({"participating_units": "BJ"}, ["participating_units"]),
    ({"title": None}, ["title"]),
    ({"title": ""}, ["title"]),
    ({"kind": "fun"}, ["kind"]),
    ({"version": "1"}, ["version"]),
    ({"code": "XJ-2026-009"}, ["code"]),
    ({"state": "closed"}, ["state"]),
])
def test_a_wrong_project_field_is_422(team, app, body, fields):
    project = new_project(team["inspector"])
    response = team["inspector"].patch(f"/supervision-projects/{project['id']}", body)
    assert response.status_code == 422, response.get_json()
    assert sorted(response.get_json()["errors"]) == fields
    assert sql(app, "SELECT version FROM supervision_projects") == [(1,)]


def test_project_rules_are_the_creation_rules(team):
    project = new_project(team["inspector"], start_date="2026-04-01")
    response = team["inspector"].patch(f"/supervision-projects/{project['id']}", {"end_date": "2026-03-01",
                                                                                "lead_unit": "XX"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"end_date": ["结束日期早于开始日期。"], "lead_unit": ["未知单位 XX。"]}


@pytest.mark.parametrize("steps,state", [(("cancel",), "cancelled"), (None, "closed")])
def test_a_closed_or_cancelled_project_is_409(team, app, steps, state):
    inspector = team["inspector"]
    project = new_project(inspector)
    pid = project["id"]
    if steps:
        assert fire(inspector, "supervision-projects", pid, "cancel", comment="重复立项").status_code == 200
    else:
        walk_to_closed(team, pid)
    response = inspector.patch(f"/supervision-projects/{pid}", {"plan": "迟到的修改"})
    assert response.status_code == 409
    assert list(response.get_json()["errors"]) == ["state"]
    assert sql(app, "SELECT state, plan FROM supervision_projects") == [(state, "4—11月实施")]


def walk_to_closed(team, pid):
    inspector, head = team["inspector"], team["head_bj"]
    for step in ("file", "start_monitoring"):
        assert fire(inspector, "supervision-projects", pid, step).status_code == 200
    rec = recommend(inspector, pid)
    assert fire(inspector, "supervision-projects", pid, "issue_recommendations").status_code == 200
    assert fire(head, "recommendations", rec["id"], "accept").status_code == 200
    assert fire(head, "recommendations", rec["id"], "submit", report="已整改").status_code == 200
    assert fire(inspector, "recommendations", rec["id"], "verify").status_code == 200
    assert fire(inspector, "supervision-projects", pid, "start_rectification").status_code == 200
    assert fire(inspector, "supervision-projects", pid, "close", comment="闭环").status_code == 200
    return rec


def test_who_may_edit_a_project(team, make, client):
    from conftest import Api

    project = new_project(team["inspector"])
    path = f"/supervision-projects/{project['id']}"
    for name in ("head_bj", "officer_bj", "leader", "manager"):
        assert team[name].patch(path, {"plan": "x"}).status_code == 403, name
    # A unit that takes no part in the project does not see it at all.
    make.user("officer_gd", "risk_officer", unit="SH")
    outsider = Api(client, make.token("officer_gd"))
    assert outsider.get(path).status_code == 404
    assert outsider.patch(path, {"plan": "x"}).status_code == 404
    assert team["admin"].patch(path, {"plan": "管理员修改"}).status_code == 200


# Recommendations ---------------------------------------------------------------------------------------------

def monitored_project(team):
    project = new_project(team["inspector"])
    for step in ("file", "start_monitoring"):
        fire(team["inspector"], "supervision-projects", project["id"], step)
    return project


def test_a_recommendation_is_edited_until_its_unit_accepts_it(team, app):
    inspector, head = team["inspector"], team["head_bj"]
    project = monitored_project(team)
    rec = recommend(inspector, project["id"], due_date="2027-01-15")
    assert rec["version"] == 1
    response = inspector.patch(f"/recommendations/{rec['id']}", {
        "recommendation": "建立客户信用动态评估机制，按季度复核额度", "responsible_unit": "SH", "due_date": "2027-02-01",
        "version": 1})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {k: body[k] for k in ("letter_no", "recommendation", "responsible_unit", "due_date", "state", "version")} == {
        "letter_no": "监建〔2026〕1号", "recommendation": "建立客户信用动态评估机制，按季度复核额度",
        "responsible_unit": "SH", "due_date": "2027-02-01", "state": "issued", "version": 2}
    assert updates(inspector, "recommendation", rec["id"]) == [{
        "recommendation": ["建立客户信用动态评估机制", "建立客户信用动态评估机制，按季度复核额度"],
        "responsible_unit": ["BJ", "SH"], "due_date": ["2027-01-15", "2027-02-01"]}]
    # Issued by the project, not yet accepted: still editable.
    fire(inspector, "supervision-projects", project["id"], "issue_recommendations")
    assert inspector.patch(f"/recommendations/{rec['id']}", {"responsible_unit": "BJ"}).status_code == 200
    assert fire(head, "recommendations", rec["id"], "accept").status_code == 200
    refused = inspector.patch(f"/recommendations/{rec['id']}", {"basis": "《信用管理办法》"})
    assert refused.status_code == 409 and list(refused.get_json()["errors"]) == ["state"]
    assert sql(app, "SELECT basis, state FROM recommendations") == [("", "in_progress")]


def test_recommendation_edits_stale_wrong_and_forbidden(team, app):
    inspector = team["inspector"]
    rec = recommend(inspector, monitored_project(team)["id"])
    path = f"/recommendations/{rec['id']}"
    assert inspector.patch(path, {"basis": "制度第5条", "version": 1}).status_code == 200
    assert inspector.patch(path, {"basis": "旧页面", "version": 1}).status_code == 409
    assert inspector.patch(path, {"finding": ""}).get_json()["errors"] == {"finding": ["不能为空。"]}
    assert inspector.patch(path, {"due_date": "2020-01-01"}).get_json()["errors"] == {
        "due_date": ["回复期限已过。"]}
    assert inspector.patch(path, {"letter_no": "监建〔2026〕9号"}).status_code == 422
    assert inspector.patch(path, {"finding": ["a"]}).status_code == 422
    assert team["head_bj"].patch(path, {"basis": "x"}).status_code == 403
    assert team["head_sh"].patch(path, {"basis": "x"}).status_code == 404
    assert sql(app, "SELECT basis, version FROM recommendations") == [("制度第5条", 2)]


# Incidents ----------------------------------------------------------------------------------------------------

def test_an_officer_edits_a_reported_incident(company, app):
    risk = company.risk()
    created = incident(company.officer_bj).get_json()
    assert (created["state"], created["version"]) == ("reported", 1)
    response = company.officer_bj.patch(f"/incidents/{created['id']}", {
        "title": "客户以伪造提货单骗取货物", "occurred_on": "2026-04-01", "discovered_on": "2026-04-03",
        "losses": {"financial": 150000, "safety": 1}, "recoveries": 30000, "risk_ids": [risk["id"]], "version": 1})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {k: body[k] for k in ("code", "title", "quarter", "net_loss", "risk_ids", "version")} == {
        "code": "SJ-2026-0001", "title": "客户以伪造提货单骗取货物", "quarter": "2026-Q2", "net_loss": 120000.0,
        "risk_ids": [risk["id"]], "version": 2}
    assert body["losses"] == {"financial": 150000.0, "reputation": 2, "compliance": 1, "safety": 1,
                              "environment": 0, "operations": 0}
    assert updates(company.manager, "incident", created["id"]) == [{
        "title": ["客户货款被骗", "客户以伪造提货单骗取货物"],
        "occurred_on": ["2026-03-31", "2026-04-01"], "discovered_on": ["2026-04-02", "2026-04-03"],
        "quarter": ["2026-Q1", "2026-Q2"], "gross_loss": ["120000.00", "150000.00"], "safety": [0, 1],
        "recoveries": ["0.00", "30000.00"], "risks": [[], [risk["code"]]]}]


def test_a_reviewed_incident_changes_only_its_recoveries_and_a_closed_one_nothing(company, app):
    created = incident(company.officer_bj).get_json()
    path = f"/incidents/{created['id']}"
    assert fire(company.manager, "incidents", created["id"], "review").status_code == 200
    refused = company.officer_bj.patch(path, {"title": "改标题", "losses": {"financial": 1}})
    assert refused.status_code == 409
    assert sorted(refused.get_json()["errors"]) == ["losses", "title"]
    done = company.officer_bj.patch(path, {"recoveries": 50000})
    assert (done.status_code, done.get_json()["net_loss"]) == (200, 70000.0)
    assert fire(company.manager, "incidents", created["id"], "close").status_code == 200
    closed = company.officer_bj.patch(path, {"recoveries": 60000})
    assert closed.status_code == 409 and list(closed.get_json()["errors"]) == ["state"]
    assert sql(app, "SELECT title, recoveries FROM incidents") == [("客户货款被骗", 50000)]


def test_incident_edits_stale_wrong_and_forbidden(company, app, make, client):
    created = incident(company.officer_bj).get_json()
    path = f"/incidents/{created['id']}"
    assert company.officer_bj.patch(path, {"cause": "审核流程缺失", "version": 1}).status_code == 200
    assert company.manager.patch(path, {"cause": "旧页面", "version": 1}).status_code == 409
    assert company.officer_bj.patch(path, {"recoveries": 200000}).get_json()["errors"] == {
        "recoveries": ["挽回金额不能超过损失金额。"]}
    assert company.officer_bj.patch(path, {"discovered_on": "2026-03-01"}).get_json()["errors"] == {
        "discovered_on": ["发现日期不能早于发生日期。"]}
    assert company.officer_bj.patch(path, {"losses": {"safety": "3"}}).status_code == 422
    assert company.officer_bj.patch(path, {"colour": "red"}).status_code == 422
    assert company.officer_bj.patch(path, {"unit": "SH"}).status_code == 403
    assert company.officer_sh.patch(path, {"cause": "x"}).status_code == 404
    assert company.leader.patch(path, {"cause": "x"}).status_code == 403
    assert sql(app, "SELECT cause, unit_id, version FROM incidents") == [("审核流程缺失", 1, 2)]


# Indicators ---------------------------------------------------------------------------------------------------

def test_an_indicator_is_edited_by_the_risk_manager(company, app):
    risk = company.risk()
    created = company.manager.post("/indicators", {"code": "KRI-01", "name": "货款回收率", "rule": "below_target",
                                                   "measure": "%"}).get_json()
    assert created["version"] == 1
    path = f"/indicators/{created['id']}"
    response = company.manager.patch(path, {"name": "月度货款回收率", "unit": "BJ", "risk_id": risk["id"],
                                            "owner": "officer_bj", "version": 1})
    assert response.status_code == 200, response.get_json()
    assert {k: v for k, v in response.get_json().items()} == {
        "id": created["id"], "code": "KRI-01", "name": "月度货款回收率", "unit": "BJ", "measure": "%",
        "rule": "below_target", "carry_over": False, "plan": None, "risk_id": risk["id"], "owner": "officer_bj",
        "active": True, "version": 2}
    assert company.officer_bj.get(path).get_json()["version"] == 2
    assert updates(company.manager, "indicator", created["id"]) == [{
        "name": ["货款回收率", "月度货款回收率"], "unit": [None, "BJ"], "risk": [None, risk["code"]],
        "owner": [None, "officer_bj"]}]
    assert company.manager.patch(path, {"active": False, "version": 1}).status_code == 409
    assert company.manager.patch(path, {"rule": "sideways"}).status_code == 422
    assert company.manager.patch(path, {"carry_over": True}).status_code == 422
    assert company.manager.patch(path, {"direction": "above"}).status_code == 422
    assert company.officer_bj.patch(path, {"name": "x"}).status_code == 403
    assert company.officer_sh.get(path).status_code == 404
    assert company.officer_sh.patch(path, {"name": "x"}).status_code == 404
    company.manager.post("/indicators", {"code": "KRI-02", "name": "周转次数", "rule": "below_target"})
    taken = company.manager.patch(path, {"code": "KRI-02"})
    assert taken.status_code == 409 and taken.get_json()["errors"] == {"code": ["已被占用。"]}
    assert sql(app, "SELECT code, name, version FROM indicators ORDER BY id") == [
        ("KRI-01", "月度货款回收率", 2), ("KRI-02", "周转次数", 1)]


# The migration --------------------------------------------------------------------------------------------------

def test_0012_gives_existing_indicators_version_1_and_goes_back(tmp_path):
    from alembic import command
    from sqlalchemy import inspect, text

    from riskflow import create_app, migrate

    app = create_app({"HOME": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"})
    engine = app.extensions["riskflow.engine"]
    with app.app_context():
        cfg = migrate.alembic_config(app)
        command.upgrade(cfg, "0011")
        with engine.begin() as con:
            con.execute(text("INSERT INTO indicators (code, name, direction, threshold, active, created_at) "
                             "VALUES ('KRI-01', '货款回收率', 'below', 95, 1, '2026-01-01 00:00:00')"))
        command.upgrade(cfg, "0012")
        with engine.connect() as con:
            assert con.execute(text("SELECT code, version FROM indicators")).all() == [("KRI-01", 1)]
        command.upgrade(cfg, "head")
        migrate.check(app)
        command.downgrade(cfg, "0011")
        assert "version" not in {c["name"] for c in inspect(engine).get_columns("indicators")}
        with engine.connect() as con:
            assert con.execute(text("SELECT code FROM indicators")).all() == [("KRI-01",)]
