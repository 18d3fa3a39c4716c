"""A project's direct economic benefits (直接经济效益) through the API: sums by kind, bad input, who sees what."""
import pytest

from conftest import sql
from test_supervision import fire, new_project, recommend


def delete(api, path):
    return api.client.delete("/api/v1" + path, headers=api.headers)


def monitoring(api, **extra):
    """A project in monitoring with no benefit yet."""
    pid = new_project(api, economic_benefit=None, **extra)["id"]
    fire(api, "supervision-projects", pid, "file")
    fire(api, "supervision-projects", pid, "start_monitoring")
    return pid


def add(api, pid, **body):
    return api.post(f"/supervision-projects/{pid}/benefits", {"kind": "cost_reduction", **body})


def stored(app):
    return sql(app, "SELECT project_id, amount, kind, recommendation_id, description FROM supervision_benefits "
                    "ORDER BY id")


def test_benefits_sum_by_kind_and_make_the_projects_benefit(team, app):
    inspector = team["inspector"]
    pid = monitoring(inspector)
    rec = recommend(inspector, pid, unit="BJ")
    first = add(inspector, pid, amount=1700000.5, recommendation_id=rec["id"], description="减少土建施工费用约170万元")
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert {k: body[k] for k in ("project_id", "amount", "kind", "recommendation_id", "letter_no", "description",
                                 "created_by")} == {
        "project_id": pid, "amount": 1700000.5, "kind": "cost_reduction", "recommendation_id": rec["id"],
        "letter_no": rec["letter_no"], "description": "减少土建施工费用约170万元", "created_by": "inspector"}
    assert add(inspector, pid, amount="450000", kind="recovered", description="完成追缴历史欠费45万元").status_code == 201
    assert add(inspector, pid, amount="0.01", kind="recovered").status_code == 201
    assert add(inspector, pid, amount=20000, kind="avoided_loss").status_code == 201
    listed = inspector.get(f"/supervision-projects/{pid}/benefits").get_json()
    assert listed["total"] == 2170000.51
    assert listed["by_kind"] == {"cost_reduction": 1700000.5, "recovered": 450000.01, "avoided_loss": 20000.0}
    assert [b["amount"] for b in listed["items"]] == [1700000.5, 450000.0, 0.01, 20000.0]
    assert inspector.get(f"/supervision-projects/{pid}").get_json()["economic_benefit"] == 2170000.51
    entries = inspector.get(f"/history?entity=supervision_project&id={pid}").get_json()["items"]
    recorded = [e["changes"] for e in entries if e["action"] == "benefit"]
    assert recorded[0] == {"amount": [None, "1700000.50"], "kind": [None, "cost_reduction"],
                           "recommendation": [None, rec["letter_no"]],
                           "description": [None, "减少土建施工费用约170万元"]}


@pytest.mark.parametrize("body, field", [
    ({"amount": -5}, "amount"), ({"amount": 0}, "amount"), ({"amount": "abc"}, "amount"),
    ({"amount": "-5"}, "amount"), ({"amount": "0"}, "amount"), ({"amount": ""}, "amount"),
    ({"amount": None}, "amount"), ({"amount": True}, "amount"), ({"amount": [1]}, "amount"),
    ({"amount": {"v": 1}}, "amount"), ({"amount": "1e400"}, "amount"), ({"amount": 10**16}, "amount"),
    ({"amount": "NaN"}, "amount"), ({"amount": 5, "kind": "gift"}, "kind"), ({"amount": 5, "kind": 3}, "kind"),
    ({"amount": 5, "recommendation_id": "x"}, "recommendation_id"),
    ({"amount": 5, "recommendation_id": 0}, "recommendation_id"),
    ({"amount": 5, "recommendation_id": 999999}, "recommendation_id"),
    ({"amount": 5, "description": 7}, "description"), ({"amount": 5, "description": "长" * 4001}, "description"),
    ({"amount": 5, "extra": 1}, None),
])
def test_bad_input_is_422_at_the_field_and_stores_nothing(team, app, body, field):
    inspector = team["inspector"]
    pid = monitoring(inspector)
    response = inspector.post(f"/supervision-projects/{pid}/benefits", {"kind": "recovered", **body})
    assert response.status_code in (400, 422), response.get_json()
    if field:
        assert response.status_code == 422 and field in response.get_json()["errors"], response.get_json()
    assert stored(app) == []
    assert inspector.get(f"/supervision-projects/{pid}").get_json()["economic_benefit"] == 0


def test_another_projects_recommendation_is_refused(team, app):
    inspector = team["inspector"]
    pid, other = monitoring(inspector), monitoring(inspector)
    rec = recommend(inspector, other)
    response = add(inspector, pid, amount=100, recommendation_id=rec["id"])
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["recommendation_id"]
    assert stored(app) == []


def test_closed_or_cancelled_projects_take_no_benefit_and_roles_are_checked(team, app):
    inspector = team["inspector"]
    pid = monitoring(inspector)
    fire(inspector, "supervision-projects", pid, "cancel", comment="撤销")
    assert add(inspector, pid, amount=100).status_code == 409
    live = monitoring(inspector)
    assert add(team["head_bj"], live, amount=100).status_code == 403
    assert add(team["head_sh"], live, amount=100).status_code == 404  # SH is not part of the project
    assert add(team["leader"], live, amount=100).status_code == 403
    assert stored(app) == []


def test_a_benefit_recorded_by_mistake_is_removed_with_a_history_entry(team, app):
    inspector = team["inspector"]
    pid = monitoring(inspector)
    keep = add(inspector, pid, amount=300).get_json()
    wrong = add(inspector, pid, amount="12345.67", kind="other", description="录错").get_json()
    assert delete(team["head_bj"], f"/benefits/{wrong['id']}").status_code == 403
    assert delete(inspector, f"/benefits/{wrong['id']}").status_code == 204
    assert delete(inspector, f"/benefits/{wrong['id']}").status_code == 404
    assert [b["id"] for b in inspector.get(f"/supervision-projects/{pid}/benefits").get_json()["items"]] == [keep["id"]]
    assert inspector.get(f"/supervision-projects/{pid}").get_json()["economic_benefit"] == 300
    entries = inspector.get(f"/history?entity=supervision_project&id={pid}").get_json()["items"]
    assert [e["changes"] for e in entries if e["action"] == "benefit_deleted"] == [
        {"amount": ["12345.67", None], "kind": ["other", None], "description": ["录错", None]}]
    fire(inspector, "supervision-projects", pid, "cancel", comment="撤销")
    assert delete(inspector, f"/benefits/{keep['id']}").status_code == 409
    assert len(stored(app)) == 1


def test_a_unit_sees_only_benefits_of_its_own_recommendations(team):
    inspector = team["inspector"]
    pid = monitoring(inspector, participating_units=["BJ", "SH"])
    rec_bj, rec_sh = recommend(inspector, pid, unit="BJ"), recommend(inspector, pid, unit="SH")
    add(inspector, pid, amount=100, recommendation_id=rec_bj["id"])
    hidden = add(inspector, pid, amount=2000, kind="recovered", recommendation_id=rec_sh["id"]).get_json()
    add(inspector, pid, amount=30, kind="other")
    head_bj = team["head_bj"]
    listed = head_bj.get(f"/supervision-projects/{pid}/benefits").get_json()
    assert ([b["amount"] for b in listed["items"]], listed["total"], listed["by_kind"]) == (
        [100.0, 30.0], 130.0, {"cost_reduction": 100.0, "other": 30.0})
    # The project's benefit as BJ reads it is the sum BJ sees (the whole sum would tell SH's 2000, attack17);
    # the SH entry's history line is not for BJ.
    assert head_bj.get(f"/supervision-projects/{pid}").get_json()["economic_benefit"] == 130
    assert team["leader"].get(f"/supervision-projects/{pid}").get_json()["economic_benefit"] == 2130
    entries = head_bj.get(f"/history?entity=supervision_project&id={pid}").get_json()["items"]
    assert [e["changes"]["amount"][1] for e in entries if e["action"] == "benefit"] == ["100.00", "30.00"]
    assert delete(head_bj, f"/benefits/{hidden['id']}").status_code == 404
    assert len(team["leader"].get(f"/supervision-projects/{pid}/benefits").get_json()["items"]) == 3
    outsider = monitoring(inspector, participating_units=["SH"])
    assert head_bj.get(f"/supervision-projects/{outsider}/benefits").status_code == 404


def test_benefit_evidence_is_the_inspectors_and_read_as_the_benefit(team):
    inspector = team["inspector"]
    pid = monitoring(inspector, participating_units=["BJ", "SH"])
    rec_sh = recommend(inspector, pid, unit="SH")
    benefit = add(inspector, pid, amount=500, recommendation_id=rec_sh["id"]).get_json()
    upload = lambda api: api.client.post(f"/api/v1/benefits/{benefit['id']}/attachments", headers=api.headers,
                                         data={"file": (__import__("io").BytesIO(b"receipt"), "r.txt")})
    assert upload(team["head_bj"]).status_code == 404
    created = upload(inspector)
    assert created.status_code == 201, created.get_json()
    url = created.get_json()["download_url"].removeprefix("/api/v1")
    assert inspector.get(url).data == b"receipt"
    assert team["head_bj"].get(url).status_code == 404
    assert team["head_sh"].get(url).data == b"receipt"


def test_the_demo_has_benefits_of_several_kinds_linked_to_recommendations(app):
    from riskflow import demo
    from riskflow.db import session_scope

    with app.app_context(), session_scope(app) as session:
        assert demo.load(session)
    rows = sql(app, "SELECT p.title, b.amount, b.kind, b.description, r.project_id = p.id FROM supervision_benefits b "
                    "JOIN supervision_projects p ON p.id = b.project_id "
                    "JOIN recommendations r ON r.id = b.recommendation_id ORDER BY b.id")
    described = {(title, float(amount), kind, description, bool(own)) for title, amount, kind, description, own in rows}
    assert ("招投标管理效能监察", 1700000.0, "cost_reduction", "减少土建施工费用约170万元", True) in described
    assert ("销售回款效能监察", 450000.0, "recovered", "完成追缴历史欠费45万元", True) in described
    assert {kind for _, _, kind, _, _ in described} == {"cost_reduction", "recovered", "avoided_loss"}
    assert sql(app, "SELECT count(*) FROM supervision_benefits WHERE recommendation_id IS NULL") == [(0,)]
