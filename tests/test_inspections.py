"""The mid-year inspection (年中督导检查) of a project through the API: recording, correcting, who reads it, and
the recommendations raised from it."""
from datetime import date, timedelta

import pytest

from conftest import sql
from riskflow import periods
from test_supervision import fire, new_project, recommend

TODAY = date(2026, 7, 15)


@pytest.fixture(autouse=True)
def mid_year(monkeypatch):
    """Every test runs on 15 July 2026, within the tracking phase of the projects of 2026."""
    monkeypatch.setattr(periods, "today", lambda: TODAY)


def monitored(api, **extra):
    pid = new_project(api, **extra)["id"]
    fire(api, "supervision-projects", pid, "file")
    fire(api, "supervision-projects", pid, "start_monitoring")
    return pid


INSPECTION = {"held_on": "2026-06-20", "methods": ["site", "report"], "findings": "工程签证审核不严，存在重复计量",
              "rating": "fair"}


def inspect(api, pid, **extra):
    response = api.post(f"/supervision-projects/{pid}/inspections", {**INSPECTION, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def inspection_rows(app):
    return sql(app, "SELECT project_id, held_on, methods, findings, rating, version FROM supervision_inspections")


def test_the_inspector_records_the_inspection_and_the_project_keeps_its_history(app, team):
    inspector = team["inspector"]
    pid = monitored(inspector)
    created = inspect(inspector, pid)
    # The methods come back in the list's order, whatever order they were ticked in.
    assert {k: v for k, v in created.items() if k != "id"} == {
        "project_id": pid, "held_on": "2026-06-20", "methods": ["report", "site"],
        "findings": "工程签证审核不严，存在重复计量", "rating": "fair", "recommendations": [], "version": 1}
    assert inspector.get(f"/supervision-projects/{pid}/inspections").get_json() == {"items": [created]}
    history = inspector.get(f"/history?entity=supervision_project&id={pid}").get_json()["items"]
    entry = [e for e in history if e["action"] == "inspection"]
    assert len(entry) == 1 and entry[0]["actor"] == "inspector"
    assert entry[0]["changes"] == {"held_on": [None, "2026-06-20"], "methods": [None, ["report", "site"]],
                                   "findings": [None, "工程签证审核不严，存在重复计量"], "rating": [None, "fair"]}


@pytest.mark.parametrize("body, fields", [
    ({}, ["findings", "held_on", "methods", "rating"]),
    ({**INSPECTION, "held_on": "2026-07-16"}, ["held_on"]),  # tomorrow
    ({**INSPECTION, "held_on": "2025-12-31"}, ["held_on"]),  # before the project's year
    ({**INSPECTION, "held_on": "2026-02-30"}, ["held_on"]),
    ({**INSPECTION, "held_on": "20.6.2026"}, ["held_on"]),
    ({**INSPECTION, "held_on": 20260620}, ["held_on"]),
    ({**INSPECTION, "methods": []}, ["methods"]),
    ({**INSPECTION, "methods": ["site", "guess"]}, ["methods"]),
    ({**INSPECTION, "methods": "site"}, ["methods"]),
    ({**INSPECTION, "methods": [1]}, ["methods"]),
    ({**INSPECTION, "findings": ""}, ["findings"]),
    ({**INSPECTION, "findings": "x" * 8001}, ["findings"]),
    ({**INSPECTION, "findings": 5}, ["findings"]),
    ({**INSPECTION, "rating": "excellent"}, ["rating"]),
    ({**INSPECTION, "rating": None}, ["rating"]),
    ({**INSPECTION, "extra": 1}, ["extra"]),
])
def test_bad_input_is_422_at_the_field_and_nothing_is_stored(app, team, body, fields):
    inspector = team["inspector"]
    pid = monitored(inspector)
    response = inspector.post(f"/supervision-projects/{pid}/inspections", body)
    assert response.status_code == 422, response.get_json()
    assert sorted(response.get_json()["errors"]) == fields
    assert inspection_rows(app) == []
    assert [e for e in inspector.get(f"/history?entity=supervision_project&id={pid}").get_json()["items"]
            if e["action"] == "inspection"] == []


def test_blank_findings_and_the_error_messages_read_in_chinese(app, team):
    inspector = team["inspector"]
    pid = monitored(inspector)
    response = inspector.post(f"/supervision-projects/{pid}/inspections",
                              {**INSPECTION, "findings": "   ", "held_on": "2026-07-16", "methods": ["guess"]})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors == {"findings": ["请写明检查发现的问题。"], "held_on": ["检查日期不能晚于今天。"],
                      "methods": ["可选值：听取汇报, 查阅资料, 查勘现场, 座谈。"]}
    assert inspection_rows(app) == []


def test_the_january_after_the_year_counts_and_the_one_after_not(app, team, monkeypatch):
    inspector = team["inspector"]
    pid = monitored(inspector)
    monkeypatch.setattr(periods, "today", lambda: date(2027, 2, 10))
    assert inspect(inspector, pid, held_on="2027-01-31")["held_on"] == "2027-01-31"
    late = inspector.post(f"/supervision-projects/{pid}/inspections", {**INSPECTION, "held_on": "2027-02-01"})
    assert late.status_code == 422 and late.get_json()["errors"] == {
        "held_on": ["检查应在项目年度 2026 年内或次年 1 月进行。"]}
    assert inspect(inspector, pid, held_on="2026-01-01")["held_on"] == "2026-01-01"


def test_only_while_monitored_or_followed_up_and_only_by_the_inspection_office(app, team):
    inspector = team["inspector"]
    draft = new_project(inspector)["id"]
    refused = inspector.post(f"/supervision-projects/{draft}/inspections", INSPECTION)
    assert refused.status_code == 409 and list(refused.get_json()["errors"]) == ["state"]
    pid = monitored(inspector, participating_units=["BJ"])
    for name in ("head_bj", "officer_bj", "leader", "manager"):
        assert team[name].post(f"/supervision-projects/{pid}/inspections", INSPECTION).status_code == 403, name
    assert team["head_sh"].post(f"/supervision-projects/{pid}/inspections", INSPECTION).status_code == 404
    assert inspector.post("/supervision-projects/99999/inspections", INSPECTION).status_code == 404
    assert inspection_rows(app) == []
    # Followed up after the recommendations went out: still possible; once cancelled, no longer.
    recommend(inspector, pid)
    fire(inspector, "supervision-projects", pid, "issue_recommendations")
    inspect(inspector, pid)
    fire(inspector, "supervision-projects", pid, "cancel", comment="项目撤销")
    assert inspector.post(f"/supervision-projects/{pid}/inspections", INSPECTION).status_code == 409
    assert len(inspection_rows(app)) == 1


def test_a_units_roles_read_the_inspection_of_projects_they_see_and_only_their_recommendations(app, team):
    inspector = team["inspector"]
    pid = monitored(inspector, participating_units=["BJ"])
    inspection = inspect(inspector, pid)
    to_bj = recommend(inspector, pid, unit="BJ", inspection_id=inspection["id"])
    to_sh = recommend(inspector, pid, unit="SH", inspection_id=inspection["id"])
    assert inspector.get(f"/supervision-projects/{pid}/inspections").get_json()["items"][0]["recommendations"] == [
        to_bj["id"], to_sh["id"]]
    # The findings are about the unit's work: its roles read them, with the recommendations addressed to them.
    seen = team["head_bj"].get(f"/supervision-projects/{pid}/inspections")
    assert seen.status_code == 200
    assert [(i["findings"], i["recommendations"]) for i in seen.get_json()["items"]] == [
        ("工程签证审核不严，存在重复计量", [to_bj["id"]])]
    # A project the unit has nothing to do with stays hidden, with its inspections.
    other = monitored(inspector, participating_units=[])
    inspect(inspector, other)
    assert team["head_bj"].get(f"/supervision-projects/{other}/inspections").status_code == 404
    assert team["leader"].get(f"/supervision-projects/{other}/inspections").status_code == 200


def test_a_correction_needs_the_current_version_and_is_in_the_history(app, team):
    inspector = team["inspector"]
    pid = monitored(inspector)
    iid = inspect(inspector, pid)["id"]
    changed = inspector.patch(f"/inspections/{iid}", {"rating": "poor", "methods": ["forum"], "version": 1})
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["rating"], changed.get_json()["methods"], changed.get_json()["version"]) == (
        "poor", ["forum"], 2)
    stale = inspector.patch(f"/inspections/{iid}", {"rating": "good", "version": 1})
    assert stale.status_code == 409 and list(stale.get_json()["errors"]) == ["version"]
    assert inspection_rows(app)[0][4:] == ("poor", 2)
    bad = inspector.patch(f"/inspections/{iid}", {"held_on": "2026-08-01", "findings": "", "version": 2})
    assert bad.status_code == 422 and sorted(bad.get_json()["errors"]) == ["findings", "held_on"]
    assert inspector.patch(f"/inspections/{iid}", {"project_id": 3, "version": 2}).status_code == 422
    assert inspector.patch(f"/inspections/{iid}", {"rating": 3}).status_code == 422
    assert team["head_bj"].patch(f"/inspections/{iid}", {"rating": "good"}).status_code == 403
    assert team["head_sh"].patch(f"/inspections/{iid}", {"rating": "good"}).status_code == 404
    assert inspector.patch("/inspections/99999", {"rating": "good"}).status_code == 404
    entries = [e for e in inspector.get(f"/history?entity=supervision_project&id={pid}").get_json()["items"]
               if e["action"] == "inspection_update"]
    assert [e["changes"] for e in entries] == [{"methods": [["report", "site"], ["forum"]], "rating": ["fair", "poor"]}]
    # Unchanged values leave the version where it was.
    same = inspector.patch(f"/inspections/{iid}", {"rating": "poor", "version": 2})
    assert same.get_json()["version"] == 2


def test_a_recommendation_raised_from_the_inspection_and_refused_from_another_projects(app, team):
    inspector = team["inspector"]
    pid = monitored(inspector)
    other = monitored(inspector)
    mine = inspect(inspector, pid)
    theirs = inspect(inspector, other)
    rec = recommend(inspector, pid, inspection_id=mine["id"])
    assert rec["inspection_id"] == mine["id"]
    assert inspector.get(f"/recommendations/{rec['id']}").get_json()["inspection_id"] == mine["id"]
    assert sql(app, "SELECT inspection_id FROM recommendations WHERE id = :id", id=rec["id"]) == [(mine["id"],)]
    count = sql(app, "SELECT count(*) FROM recommendations")
    for wrong in (theirs["id"], 99999):
        refused = inspector.post(f"/supervision-projects/{pid}/recommendations", {
            "finding": "f", "recommendation": "r", "responsible_unit": "BJ", "inspection_id": wrong})
        assert refused.status_code == 422
        assert refused.get_json()["errors"] == {"inspection_id": ["不是本项目的检查。"]}
    for wrong_type in ("1", True, 0, [1]):
        refused = inspector.post(f"/supervision-projects/{pid}/recommendations", {
            "finding": "f", "recommendation": "r", "responsible_unit": "BJ", "inspection_id": wrong_type})
        assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["inspection_id"], wrong_type
    assert sql(app, "SELECT count(*) FROM recommendations") == count
    # A recommendation without one has none; an edit may link it, or unlink it, but not to another project's.
    plain = recommend(inspector, pid)
    assert plain["inspection_id"] is None
    refused = inspector.patch(f"/recommendations/{plain['id']}", {"inspection_id": theirs["id"], "version": 1})
    assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["inspection_id"]
    linked = inspector.patch(f"/recommendations/{plain['id']}", {"inspection_id": mine["id"], "version": 1})
    assert linked.status_code == 200 and linked.get_json()["inspection_id"] == mine["id"]
    unlinked = inspector.patch(f"/recommendations/{plain['id']}", {"inspection_id": None, "version": 2})
    assert unlinked.get_json()["inspection_id"] is None
    assert inspector.get(f"/supervision-projects/{pid}/inspections").get_json()["items"][0]["recommendations"] == [
        rec["id"]]


def test_the_openapi_document_describes_the_inspections(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert {"post", "get"} <= set(document["paths"]["/api/v1/supervision-projects/{project_id}/inspections"])
    assert "patch" in document["paths"]["/api/v1/inspections/{inspection_id}"]
    schemas = document["components"]["schemas"]
    assert schemas["InspectionCreate"]["required"] == ["held_on", "methods", "findings", "rating"]
    assert "inspection_id" in schemas["RecommendationCreate"]["properties"]


def test_the_inspection_service_needs_no_web_request(app, team, run_db):
    from riskflow.auth.models import User
    from riskflow.supervision import inspections
    from sqlalchemy import select
    pid = monitored(team["inspector"])

    def record(session):
        actor = session.scalar(select(User).where(User.username == "inspector"))
        inspection = inspections.record_inspection(session, actor, pid, {
            "held_on": TODAY - timedelta(days=1), "methods": ["documents"], "findings": "资料不全", "rating": "average"})
        return inspection.id, [i.id for i in inspections.of_project(session, pid)]

    with app.test_request_context():
        iid, listed = run_db(record)
    assert listed == [iid]
    assert inspection_rows(app)[0][3:] == ("资料不全", "average", 1)


def test_no_correction_once_the_project_is_cancelled(app, team):
    inspector = team["inspector"]
    pid = monitored(inspector)
    iid = inspect(inspector, pid)["id"]
    fire(inspector, "supervision-projects", pid, "cancel", comment="项目撤销")
    refused = inspector.patch(f"/inspections/{iid}", {"rating": "good", "version": 1})
    assert refused.status_code == 409 and list(refused.get_json()["errors"]) == ["state"]
    assert inspection_rows(app)[0][4:] == ("fair", 1)


def test_the_page_form_is_the_inspection_offices_only(app, client, team):
    from conftest import csrf_token, login
    pid = monitored(team["inspector"])
    login(client, "head_bj")
    page = client.get(f"/supervision/{pid}").get_data(as_text=True)
    assert 'id="inspection"' in page and 'id="record-inspection"' not in page
    token = csrf_token(client, f"/supervision/{pid}")
    response = client.post(f"/supervision/{pid}/inspections", data={
        "csrf_token": token, "inspection-held_on": "2026-06-20", "inspection-methods": ["site"],
        "inspection-rating": "good", "inspection-findings": "x"})
    assert response.status_code == 403
    assert inspection_rows(app) == []
