"""Every JSON body and query parameter is checked against what the OpenAPI document publishes, in one
place: a wrong type is a 422 naming the field, in the caller's language, never a 500."""
import pytest

from conftest import sql
from test_supervision import fire, new_project


@pytest.fixture
def world(app, company, make):
    make.unit("JJ", "纪检监察室", kind="inspection")
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 5, 5)
    warning = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    indicator = company.manager.post("/indicators", {"code": "K1", "name": "回款率", "rule": "below_target"}).get_json()
    project = new_project(company.inspector, participating_units=[])
    for step in ("file", "start_monitoring"):
        fire(company.inspector, "supervision-projects", project["id"], step)
    return {"risk": risk["id"], "warning": warning["id"], "indicator": indicator["id"], "project": project["id"]}


def wrong_types(w):
    """(method, path, body, field the 422 must name) for each endpoint taking a body."""
    return [
        ("post", "/units", {"code": "0", "name": [None, None]}, "name"),
        ("post", "/risks", {"title": ["x"], "unit": "BJ", "category": "price"}, "title"),
        ("patch", f"/risks/{w['risk']}", {"version": "1"}, "version"),
        ("post", f"/risks/{w['risk']}/assessments", {"period": 202605, "likelihood": 3, "impact": 3}, "period"),
        ("put", f"/risks/{w['risk']}/assessments/2026-05", {"likelihood": 3, "impacts": [4]}, "impacts"),
        ("patch", f"/warnings/{w['warning']}", {"progress": "50"}, "progress"),
        ("post", "/indicators", {"code": "K2", "name": {"zh": "x"}, "rule": "above_target"}, "name"),
        ("put", f"/indicators/{w['indicator']}/targets/2026", {"annual": "95", "monthly": [None] * 12}, "annual"),
        ("put", f"/indicators/{w['indicator']}/targets/2026", {"annual": 95, "monthly": [1] * 11}, "monthly"),
        ("post", f"/indicators/{w['indicator']}/values", {"period": "2026-05", "value": "12"}, "value"),
        ("post", "/rounds", {"period": "2026-05", "deadline": 20990101}, "deadline"),
        ("post", "/rounds/2026-05/reopen", {"unit": ["BJ"], "reason": "补评", "deadline": "2099-01-01"}, "unit"),
        ("post", "/incidents", {"title": "t", "kind": "near_miss", "occurred_on": "2026-05-01",
                                "discovered_on": "2026-05-02", "unit": "BJ", "risk_ids": "1"}, "risk_ids"),
        ("post", "/incident-rounds", {"quarter": ["2026-Q2"], "deadline": "2099-01-01"}, "quarter"),
        ("post", "/incident-rounds/2026-Q2/answer", {"nil": "yes"}, "nil"),
        ("post", "/review-meetings", {"quarter": "2026-Q2", "held_on": "2026-05-01", "attendees": "a",
                                      "items": [{"incident_id": "1"}]}, "items.incident_id"),
        ("post", "/reports", {"kind": "monthly", "period": 2026}, "period"),
        ("post", "/supervision-projects", {"title": "t", "kind": "budget", "method": "efficiency_audit",
                                           "lead_unit": "JJ", "participating_units": "BJ"}, "participating_units"),
        ("post", f"/supervision-projects/{w['project']}/recommendations",
         {"finding": "f", "recommendation": "r", "responsible_unit": 7}, "responsible_unit"),
        ("post", f"/supervision-projects/{w['project']}/transitions", {"transition": ["file"]}, "transition"),
    ]


def test_a_wrong_type_is_422_naming_the_field_on_every_endpoint(app, company, world):
    before = sql(app, "SELECT count(*) FROM change_history")
    for method, path, body, field in wrong_types(world):
        api = (company.admin if path == "/units" else company.inspector if "supervision" in path
               else company.officer_bj if path.endswith("/answer") else company.manager)
        response = getattr(api, method)(path, body)
        assert response.status_code == 422, (path, response.get_json())
        assert response.get_json()["error"] == "部分字段无效，未作任何更改。"
        assert list(response.get_json()["errors"]) == [field], (path, response.get_json())
    assert sql(app, "SELECT count(*) FROM change_history") == before


def test_the_units_500_of_the_issue_is_a_422_in_either_language(company):
    response = company.admin.post("/units", {"code": "0", "name": [None, None]})
    assert response.get_json() == {"error": "部分字段无效，未作任何更改。", "errors": {"name": ["必须是文本。"]}}
    response = company.admin.post("/units?lang=en", {"code": "0", "name": [None, None], "colour": "red"})
    assert response.status_code == 422
    assert response.get_json() == {"error": "Some fields are invalid; nothing was changed.",
                                   "errors": {"name": ["Must be text."], "colour": ["Unknown field colour."]}}


def test_lengths_ranges_and_enums_come_from_the_schema(company, world):
    response = company.manager.post(f"/risks/{world['risk']}/assessments?lang=en", {
        "period": "2026-06", "likelihood": 0, "impacts": {"luck": 2}, "rationale": "x" * 4001})
    assert response.get_json()["errors"] == {
        "likelihood": ["Must be between 1 and 7."], "impacts": ["Unknown field luck."],
        "rationale": ["At most 4000 characters."]}
    response = company.manager.patch(f"/warnings/{world['warning']}?lang=en", {"status": "closed", "progress": 101})
    assert response.get_json()["errors"] == {"status": ["One of: open, in_progress, done."],
                                             "progress": ["Must be between 0 and 100."]}


def test_the_role_and_the_unit_are_decided_before_the_body(company, world):
    # A role that may not act hears so whatever it sent; another unit's item stays not found.
    assert company.leader.post("/rounds", {}).status_code == 403
    assert company.leader.post(f"/risks/{world['risk']}/assessments", {"period": 1}).status_code == 403
    assert company.officer_sh.post(f"/risks/{world['risk']}/assessments", {"period": 1}).status_code == 404
    assert company.officer_sh.patch(f"/warnings/{world['warning']}", {"progress": "x"}).status_code == 404


def test_query_parameters_are_checked_against_their_schemas(company):
    response = company.manager.get("/risks?lang=en&level=huge&likelihood=x&unit=B%20J")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"unit": ["Use 1 to 32 letters, digits, '-' or '_'."],
                                             "level": ["One of: low, general, significant, major."],
                                             "likelihood": ["Must be a whole number."]}
    assert company.manager.get("/recommendations?overdue=maybe").status_code == 422
    assert company.manager.get("/incidents?min_loss=NaN").status_code == 422
    # An empty filter, as a form sends it, is no filter.
    assert company.manager.get("/risks?unit=&level=").status_code == 200


def test_every_request_schema_names_all_it_takes(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    bodies = {op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
              for path in client.get("/api/v1/openapi.json").get_json()["paths"].values() for op in path.values()
              if "requestBody" in op}
    assert bodies and all(schemas[name].get("additionalProperties") is False for name in bodies
                          if name != "TransitionRequest")
    patterns = [s["pattern"] for s in _walk(schemas) if "pattern" in s]
    assert patterns and all("\\d" not in p and p.startswith("^") and p.endswith("$") for p in patterns)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_history_of_incident_rounds_and_review_meetings(app, company, world):
    company.manager.post("/incident-rounds", {"quarter": "2026-Q2", "deadline": "2099-01-01"})
    incident = company.manager.post("/incidents", {"title": "t", "kind": "near_miss", "occurred_on": "2026-05-01",
                                                   "discovered_on": "2026-05-02", "unit": "BJ"}).get_json()
    meeting = company.manager.post("/review-meetings", {"quarter": "2026-Q2", "held_on": "2026-06-01",
                                                        "attendees": "风险管理部", "items": [{"incident_id": incident["id"]}]})
    assert meeting.status_code == 201
    rounds = company.manager.get("/history?entity=incident_round&id=1")
    assert rounds.status_code == 200 and [c["action"] for c in rounds.get_json()["items"]] == ["open"]
    meetings = company.leader.get(f"/history?entity=review_meeting&id={meeting.get_json()['id']}")
    assert meetings.status_code == 200 and [c["action"] for c in meetings.get_json()["items"]] == ["create"]
    # A unit's roles read them too, less the entries about other units (the policy's rule).
    assert company.officer_bj.get("/history?entity=incident_round&id=1").status_code == 200
    assert company.manager.get("/history?entity=review_meeting&id=99").status_code == 404


def test_every_history_entity_names_an_action_the_policy_knows(app):
    from riskflow import history
    from riskflow.auth import policy

    assert set(history.READ_ACTIONS) == set(history.ENTITY_LOADERS)
    assert all(action in policy.PERMISSIONS for action in history.READ_ACTIONS.values())


def test_transitions_need_a_transition(company, world):
    response = fire(company.inspector, "supervision-projects", world["project"], "")
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["transition"]
