"""Attacks on issue 13's new doors: another unit's rows read or written through the edit pages, the warnings'
one save, the grading sheet, the rounds, the to-do counts and the filters; forged hidden fields, skipped steps,
wrong JSON types and odd values. Each test is a hole that was found, or a door that was tried and held."""
import re

import pytest

from conftest import csrf_token, login, sql
from test_incidents import incident
from test_editing import monitored_project
from test_supervision import recommend


@pytest.fixture
def bj_warning(company):
    risk = company.risk(title="北京机密风险")
    company.grade(risk["id"], "2026-05", 5, 5)
    warning = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    assert company.head_bj.patch(f"/warnings/{warning['id']}", {"response": "北京的应对秘密", "progress": 10}
                                 ).status_code == 200
    return warning


def test_a_warnings_save_with_another_units_row_writes_and_shows_nothing_of_it(client, company, bj_warning, app):
    login(client, "officer_sh")
    token = csrf_token(client, "/warnings?period=2026-05")
    p = f"w{bj_warning['id']}-"
    response = client.post("/warnings?period=2026-05", data={
        "csrf_token": token, p + "response": "上海改写", p + "progress": "100", p + "status": "in_progress",
        p + "version": "2"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "BJ-001" not in html and "北京" not in html
    assert sql(app, "SELECT response, progress FROM warnings") == [("北京的应对秘密", 10)]


def test_a_warnings_save_without_csrf_is_refused(client, company, bj_warning, app):
    login(client, "head_bj")
    p = f"w{bj_warning['id']}-"
    response = client.post("/warnings?period=2026-05", data={
        p + "response": "伪造", p + "progress": "50", p + "status": "in_progress", p + "version": "2"})
    assert response.status_code in (400, 403)
    assert sql(app, "SELECT response FROM warnings") == [("北京的应对秘密",)]


@pytest.mark.parametrize("body", [{"progress": "100"}, {"progress": 1.5}, {"progress": True}, {"status": 3},
                                  {"status": ["done"]}, {"response": None}, {"response": "x" * 4001},
                                  {"version": "2"}, {"version": -1}, {"progress": -1}])
def test_odd_warning_values_are_422_never_500(company, bj_warning, body):
    response = company.head_bj.patch(f"/warnings/{bj_warning['id']}", body)
    assert response.status_code in (409, 422), (body, response.status_code, response.get_json())


@pytest.mark.parametrize("path", ["/warnings/-1", "/warnings/99999999999999999999", "/indicators/0",
                                  "/incidents/99999999999", "/recommendations/-5", "/supervision-projects/0"])
def test_odd_ids_are_404(company, path):
    assert company.manager.patch(path, {"version": 1}).status_code in (404, 405)


def test_a_nul_byte_in_a_warning_response_is_refused_or_kept_whole(company, bj_warning, app):
    response = company.head_bj.patch(f"/warnings/{bj_warning['id']}", {"response": "a\x00b"})
    assert response.status_code in (200, 422)
    assert response.status_code == 422 or sql(app, "SELECT response FROM warnings")[0][0] in ("a\x00b", "ab")


def test_the_grading_sheet_of_an_officer_grades_only_their_unit(client, company, app):
    bj = company.risk(unit="BJ")
    company.risk(unit="SH")
    login(client, "officer_sh")
    token = csrf_token(client, "/grading?period=2026-05&unit=BJ")
    html = client.get("/grading?period=2026-05&unit=BJ").get_data(as_text=True)
    assert "BJ-001" not in html
    client.post("/grading?unit=BJ", data={"csrf_token": token, "period": "2026-05", "unit": "BJ",
                                          f"l_{bj['id']}": "5", f"i_{bj['id']}": "5", f"r_{bj['id']}": "上海改北京",
                                          f"v_{bj['id']}": ""})
    assert sql(app, "SELECT count(*) FROM assessments") == [(0,)]


def test_a_unit_role_may_not_close_or_reopen_rounds(client, company, app):
    company.risk()
    assert company.manager.post("/rounds", {"period": "2026-05", "deadline": "2099-01-01"}).status_code == 201
    for name in ("officer_sh", "head_bj", "leader", "inspector"):
        api = getattr(company, name)
        assert api.post("/rounds/2026-05/close").status_code == 403
        assert api.post("/rounds/2026-05/reopen", {"unit": "BJ", "reason": "x", "deadline": "2099-01-01"}
                        ).status_code == 403
    assert sql(app, "SELECT closed_at FROM grading_rounds") == [(None,)]


def test_a_manager_linking_another_units_risk_to_an_incident_does_not_show_it_to_the_unit(client, company, app):
    sh = company.risk(unit="SH", title="上海机密风险")
    created = incident(company.officer_bj).get_json()
    assert company.manager.patch(f"/incidents/{created['id']}", {"risk_ids": [sh["id"]]}).status_code == 200
    body = company.officer_bj.get(f"/incidents/{created['id']}").get_json()
    assert body["risk_ids"] == []
    history = company.officer_bj.get(f"/history?entity=incident&id={created['id']}").get_json()["items"]
    assert [h["action"] for h in history] == ["create"]
    assert len(company.manager.get(f"/history?entity=incident&id={created['id']}").get_json()["items"]) == 2
    login(client, "officer_bj")
    html = client.get(f"/incidents/{created['id']}").get_data(as_text=True)
    assert sh["code"] not in html and "上海机密风险" not in html


def test_the_unit_may_not_edit_a_recommendation_addressed_to_it(team, app):
    project = monitored_project(team)
    rec = recommend(team["inspector"], project["id"])
    assert team["head_bj"].patch(f"/recommendations/{rec['id']}", {"finding": "改"}).status_code == 403
    assert team["head_sh"].patch(f"/recommendations/{rec['id']}", {"finding": "改"}).status_code == 404
    assert team["leader"].patch(f"/recommendations/{rec['id']}", {"finding": "改"}).status_code == 403


def test_edit_pages_of_another_units_items_are_404(client, company, app):
    created = incident(company.officer_bj).get_json()
    login(client, "officer_sh")
    assert client.get(f"/incidents/{created['id']}/edit").status_code == 404
    token = csrf_token(client, "/")
    assert client.post(f"/incidents/{created['id']}/edit", data={"csrf_token": token, "title": "x"}
                       ).status_code == 404


def test_a_recommendation_readdressed_to_another_unit_does_not_show_the_first_unit_to_it(client, team):
    inspector = team["inspector"]
    rec = recommend(inspector, monitored_project(team)["id"], finding="北京分公司大客户欠款")
    assert inspector.patch(f"/recommendations/{rec['id']}", {"finding": "大客户欠款", "responsible_unit": "SH"}
                           ).status_code == 200
    history = team["head_sh"].get(f"/history?entity=recommendation&id={rec['id']}").get_json()["items"]
    assert "BJ" not in str(history) and "北京" not in str(history)
    assert len(inspector.get(f"/history?entity=recommendation&id={rec['id']}").get_json()["items"]) >= 2
    login(client, "head_sh")
    html = client.get(f"/recommendations/{rec['id']}").get_data(as_text=True)
    assert "北京" not in html


def test_an_indicator_moved_to_another_units_risk_does_not_show_the_first_risk(company):
    sh = company.risk(unit="SH", title="上海机密风险")
    bj = company.risk(unit="BJ")
    created = company.indicator("KRI-01", risk_id=sh["id"])
    assert company.manager.patch(f"/indicators/{created['id']}", {"risk_id": bj["id"], "unit": "BJ"}).status_code == 200
    history = company.officer_bj.get(f"/history?entity=indicator&id={created['id']}")
    assert history.status_code == 200
    assert sh["code"] not in str(history.get_json()["items"])
    assert sh["code"] in str(company.manager.get(f"/history?entity=indicator&id={created['id']}").get_json())
