"""Projects proposed by units (所属企业自选立项): a unit head proposes for their own unit, the inspection office
files it or sends it back, the head edits and resubmits or withdraws; through the API and the service."""
import pytest

from conftest import csrf_token, login, sql
from riskflow import periods
from riskflow.auth.service import user_by_name
from riskflow.supervision import service
from test_todo import tasks_of  # the dashboard's to-do list as {label: (count, link)}

PROPOSAL = {"year": 2026, "title": "门店租赁合同管理效能监察", "kind": "leasing", "method": "document_analysis",
            "reason": "租金收取不及时", "control_points": "合同续签节点"}


def propose(api, **extra):
    response = api.post("/supervision-projects", {**PROPOSAL, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def fire(api, project_id, transition, **fields):
    return api.post(f"/supervision-projects/{project_id}/transitions", {"transition": transition, **fields})


def told(app, after=0):
    """(username, kind) of every notification stored after the one numbered AFTER, by user."""
    return sql(app, "SELECT u.username, n.kind FROM notifications n JOIN users u ON u.id = n.user_id "
                    "WHERE n.id > :after ORDER BY u.username, n.id", after=after)


def last_notification(app):
    return sql(app, "SELECT coalesce(max(id), 0) FROM notifications")[0][0]


def test_a_unit_head_proposes_for_their_own_unit_and_the_inspectors_are_told(team, app, make):
    make.user("inspector2", "inspector", unit="JJ")
    project = propose(team["head_bj"])
    assert (project["code"], project["state"], project["origin"], project["lead_unit"],
            project["participating_units"], project["economic_benefit"]) == (
        "XJ-2026-001", "proposed", "unit", "BJ", [], 0.0)
    assert project["transitions"] == ["withdraw"]
    head_id = sql(app, "SELECT id FROM users WHERE username = 'head_bj'")[0][0]
    assert sql(app, "SELECT proposed_by_id, created_by_id FROM supervision_projects") == [(head_id, head_id)]
    history = team["inspector"].get(f"/history?entity=supervision_project&id={project['id']}").get_json()["items"]
    assert [(e["action"], e["from_state"], e["to_state"]) for e in history] == [("propose", None, "proposed")]
    # The inspectors (and only they) are told; the title names the unit and the project.
    assert told(app) == [("inspector", "proposal_submitted"), ("inspector2", "proposal_submitted")]
    item = team["inspector"].get("/notifications").get_json()["items"][0]
    assert item["title"] == "北京销售分公司提出了效能监察立项建议 XJ-2026-001 门店租赁合同管理效能监察，请审核。"
    assert item["link"] == f"/supervision/{project['id']}"
    # The inspector sees what they may do with it.
    assert team["inspector"].get(f"/supervision-projects/{project['id']}").get_json()["transitions"] == [
        "file", "send_back"]


def test_the_lead_unit_is_the_heads_own_and_the_rest_is_the_inspection_offices(team, app):
    head = team["head_bj"]
    assert propose(head, lead_unit="BJ")["lead_unit"] == "BJ"
    refused = head.post("/supervision-projects", {**PROPOSAL, "lead_unit": "SH", "participating_units": ["SH"],
                                                  "economic_benefit": 1000})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {
        "lead_unit": ["本单位只能为本单位提出立项建议：牵头单位为北京销售分公司。"],
        "participating_units": ["参与单位由纪检监察室在立项备案时确定。"],
        "economic_benefit": ["经济效益由纪检监察室登记。"]}
    empty = head.post("/supervision-projects", {**PROPOSAL, "title": " "})
    assert empty.status_code == 422 and list(empty.get_json()["errors"]) == ["title"]
    assert sql(app, "SELECT count(*) FROM supervision_projects") == [(1,)]


@pytest.mark.parametrize("who", ["officer_bj", "leader", "manager"])
def test_only_a_unit_head_may_propose(team, app, who):
    response = team[who].post("/supervision-projects", {**PROPOSAL, "lead_unit": "BJ"})
    assert response.status_code == 403
    assert sql(app, "SELECT count(*) FROM supervision_projects") == [(0,)]


def test_a_head_cannot_see_or_touch_another_units_proposal(team):
    project = propose(team["head_bj"])
    sh = team["head_sh"]
    assert sh.get(f"/supervision-projects/{project['id']}").status_code == 404
    assert fire(sh, project["id"], "withdraw", comment="不做了").status_code == 404
    assert sh.patch(f"/supervision-projects/{project['id']}", {"title": "改", "version": 1}).status_code == 404
    assert [p["id"] for p in sh.get("/supervision-projects").get_json()["items"]] == []
    # Its own unit's officer reads it (their unit proposes it) but may not change it.
    officer = team["officer_bj"]
    assert officer.get(f"/supervision-projects/{project['id']}").get_json()["transitions"] == []
    assert officer.patch(f"/supervision-projects/{project['id']}", {"title": "改", "version": 1}).status_code == 403


def test_send_back_needs_a_reason_and_tells_the_proposing_units_head(team, app, make):
    make.user("head_bj2", "unit_head", unit="BJ")
    project = propose(team["head_bj"])
    pid = project["id"]
    seen = last_notification(app)
    missing = fire(team["inspector"], pid, "send_back")
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["comment"]
    assert fire(team["head_bj"], pid, "send_back", comment="x").status_code == 403
    assert fire(team["inspector"], pid, "send_back", comment="请补充监察范围").get_json()["state"] == "returned"
    # The proposing unit's heads are told why; its officer, the other unit and the inspectors are not.
    assert told(app, seen) == [("head_bj", "proposal_returned"), ("head_bj2", "proposal_returned")]
    item = team["head_bj"].get("/notifications").get_json()["items"][0]
    assert item["title"] == "立项建议 XJ-2026-001 门店租赁合同管理效能监察已被退回：请补充监察范围"
    assert team["head_bj"].get(f"/supervision-projects/{pid}").get_json()["transitions"] == ["resubmit", "withdraw"]
    assert fire(team["inspector"], pid, "file").status_code == 409  # filed only once resubmitted


def test_the_head_edits_while_proposed_or_returned_and_never_after_filing(team, app):
    head, inspector = team["head_bj"], team["inspector"]
    project = propose(head)
    pid = project["id"]
    edited = head.patch(f"/supervision-projects/{pid}", {"scope": "华北区门店", "version": project["version"]})
    assert edited.status_code == 200 and edited.get_json()["scope"] == "华北区门店"
    moved = head.patch(f"/supervision-projects/{pid}", {"lead_unit": "SH", "version": edited.get_json()["version"]})
    assert moved.status_code == 422 and list(moved.get_json()["errors"]) == ["lead_unit"]
    fire(inspector, pid, "send_back", comment="请补充工作计划")
    version = head.get(f"/supervision-projects/{pid}").get_json()["version"]
    again = head.patch(f"/supervision-projects/{pid}", {"plan": "5月启动，10月完成", "version": version})
    assert again.status_code == 200
    seen = last_notification(app)
    assert fire(head, pid, "resubmit").get_json()["state"] == "proposed"
    assert told(app, seen) == [("inspector", "proposal_submitted")]
    # The inspection office may adjust it before filing, then files it: it runs as any project.
    version = inspector.get(f"/supervision-projects/{pid}").get_json()["version"]
    assert inspector.patch(f"/supervision-projects/{pid}", {"participating_units": ["SH"],
                                                            "version": version}).status_code == 200
    filed = fire(inspector, pid, "file")
    assert filed.get_json()["state"] == "setup"
    stored = inspector.get(f"/supervision-projects/{pid}").get_json()
    assert (stored["origin"], stored["lead_unit"], stored["participating_units"], stored["plan"]) == (
        "unit", "BJ", ["SH"], "5月启动，10月完成")
    assert head.patch(f"/supervision-projects/{pid}", {"title": "改", "version": stored["version"]}).status_code == 403
    assert fire(head, pid, "withdraw", comment="撤回").status_code == 409
    history = inspector.get(f"/history?entity=supervision_project&id={pid}").get_json()["items"]
    assert [e["action"] for e in history] == ["propose", "update", "send_back", "update", "resubmit", "update",
                                              "file"]


def test_the_head_withdraws_with_a_reason(team):
    project = propose(team["head_bj"])
    missing = fire(team["head_bj"], project["id"], "withdraw")
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["comment"]
    assert fire(team["inspector"], project["id"], "withdraw", comment="x").status_code == 403
    assert fire(team["head_bj"], project["id"], "withdraw", comment="已由公司统一立项").get_json()["state"] == "cancelled"
    assert team["head_bj"].patch(f"/supervision-projects/{project['id']}",
                                 {"title": "改", "version": 2}).status_code == 403


def test_the_years_figures_count_filed_projects_of_both_origins(team, app, run_db):
    inspector = team["inspector"]
    company_set = inspector.post("/supervision-projects", {**PROPOSAL, "lead_unit": "JJ"}).get_json()
    fire(inspector, company_set["id"], "file")
    filed = propose(team["head_bj"])
    fire(inspector, filed["id"], "file")
    propose(team["head_bj"], title="待审核的建议")
    returned = propose(team["head_sh"], title="被退回的建议")
    fire(inspector, returned["id"], "send_back", comment="重复立项")
    figures = inspector.get("/supervision-summary?year=2026").get_json()["projects"]
    assert (figures["total"], figures["by_origin"]) == (2, {"company": 1, "unit": 1})
    assert sql(app, "SELECT origin, count(*) FROM supervision_projects WHERE state = 'setup' GROUP BY origin "
                    "ORDER BY origin") == [("company", 1), ("unit", 1)]


def test_the_to_do_lists_count_proposals_and_open_the_board_of_their_year(team, client, app):
    with app.app_context():
        year = periods.today().year
    next_year = propose(team["head_bj"], year=year + 1)  # proposed in December for the coming year
    returned = propose(team["head_bj"], year=year + 1, title="被退回的建议")
    fire(team["inspector"], returned["id"], "send_back", comment="请补充")
    propose(team["head_sh"], year=year + 1)
    login(client, "inspector")
    assert tasks_of(client)["立项建议待审核"] == (2, f"/supervision?year={year + 1}#lane-proposed")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "head_bj")
    tasks = tasks_of(client)
    assert tasks["立项建议被退回"] == (1, f"/supervision?year={year + 1}#lane-returned")
    assert "立项建议待审核" not in tasks
    html = client.get(f"/supervision?year={year + 1}").get_data(as_text=True)
    assert next_year["code"] in html and returned["code"] in html and "XJ-%d-003" % (year + 1) not in html
