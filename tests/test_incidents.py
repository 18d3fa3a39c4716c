"""The risk event library through the contract's API: recording, quarters, validation, scoping, review."""
import pytest


def incident(api, **extra):
    body = {"title": "客户货款被骗", "kind": "loss_event", "occurred_on": "2026-03-31", "discovered_on": "2026-04-02",
            "unit": "BJ", "description": "伪造提货单", "cause": "审核不严", "handling": "报案并追偿",
            "losses": {"financial": 120000, "reputation": 2, "compliance": 1}, "risk_ids": [], **extra}
    return api.post("/incidents", body)


@pytest.mark.parametrize("occurred,quarter", [("2025-12-31", "2025-Q4"), ("2026-01-01", "2026-Q1"),
                                              ("2026-03-31", "2026-Q1"), ("2026-04-01", "2026-Q2"),
                                              ("2026-06-30", "2026-Q2"), ("2026-07-01", "2026-Q3"),
                                              ("2026-09-30", "2026-Q3"), ("2026-10-01", "2026-Q4")])
def test_the_quarter_comes_from_the_date_of_occurrence(company, occurred, quarter):
    response = incident(company.manager, occurred_on=occurred, discovered_on=occurred)
    assert response.status_code == 201
    assert response.get_json()["quarter"] == quarter


def test_an_incident_as_the_contract_describes_it(company):
    risk = company.risk()
    body = incident(company.officer_bj, risk_ids=[risk["id"]], recoveries=20000, loss_type="external_fraud").get_json()
    assert {k: body[k] for k in ("code", "title", "kind", "unit", "quarter", "state", "risk_ids", "net_loss")} == {
        "code": "SJ-2026-0001", "title": "客户货款被骗", "kind": "loss_event", "unit": "BJ", "quarter": "2026-Q1",
        "state": "reported", "risk_ids": [risk["id"]], "net_loss": 100000.0}
    assert body["losses"] == {"financial": 120000.0, "reputation": 2, "compliance": 1, "safety": 0,
                              "environment": 0, "operations": 0}
    assert company.officer_bj.get(f"/incidents?risk_id={risk['id']}").get_json()["total"] == 1


@pytest.mark.parametrize("change,fields", [
    ({"occurred_on": "2099-01-01", "discovered_on": "2099-01-02"}, ["discovered_on", "occurred_on"]),
    ({"occurred_on": "2026-05-02", "discovered_on": "2026-05-01"}, ["discovered_on"]),
    ({"losses": {"financial": -1}}, ["losses.financial"]),
    ({"losses": {"safety": 6}}, ["losses.safety"]),
    ({"losses": {"safety": "3"}}, ["losses.safety"]),
    ({"losses": {"luck": 1}}, ["losses"]),
    ({"kind": "accident"}, ["kind"]),
    ({"loss_type": "bad_luck"}, ["loss_type"]),
    ({"risk_ids": [9999]}, ["risk_ids"]),
    ({"unit": "XX"}, ["unit"]),
    ({"title": ""}, ["title"]),
    ({"occurred_on": "31/03/2026"}, ["occurred_on"]),
])
def test_bad_input_is_422_naming_the_field_and_stores_nothing(company, change, fields):
    response = incident(company.manager, **change)
    assert response.status_code == 422, response.get_json()
    assert sorted(response.get_json()["errors"]) == fields
    assert company.manager.get("/incidents").get_json()["total"] == 0


def test_units_record_and_see_only_their_own(company):
    sh_risk = company.risk(unit="SH")
    own = incident(company.officer_bj).get_json()
    incident(company.manager, unit="SH")
    assert incident(company.officer_bj, unit="SH").status_code == 403
    assert incident(company.officer_bj, risk_ids=[sh_risk["id"]]).status_code == 422
    assert [i["id"] for i in company.officer_bj.get("/incidents").get_json()["items"]] == [own["id"]]
    sh = company.manager.get("/incidents?unit=SH").get_json()["items"][0]
    assert company.officer_bj.get(f"/incidents/{sh['id']}").status_code == 404
    assert company.inspector.get("/incidents").get_json()["total"] == 2
    assert company.leader.post("/incidents", {}).status_code == 403


def test_filters(company):
    incident(company.manager, kind="near_miss", losses={}, occurred_on="2026-05-01", discovered_on="2026-05-01")
    incident(company.manager, unit="SH")
    api = company.manager
    assert api.get("/incidents?kind=near_miss").get_json()["total"] == 1
    assert api.get("/incidents?quarter=2026-Q1").get_json()["total"] == 1
    assert api.get("/incidents?quarter=2026-Q2&unit=BJ").get_json()["total"] == 1
    assert api.get("/incidents?quarter=2026-5").status_code == 422
    assert api.get("/incidents?kind=storm").status_code == 422


def test_review_and_close_through_the_engine(company):
    body = incident(company.officer_bj).get_json()
    path = f"/incidents/{body['id']}/transitions"
    assert body["transitions"] == []
    assert company.officer_bj.post(path, {"transition": "review"}).status_code == 403
    assert company.manager.post(path, {"transition": "close"}).status_code == 409
    assert company.manager.get(f"/incidents/{body['id']}").get_json()["transitions"] == ["review"]
    assert company.manager.post(path, {"transition": "review", "comment": "季度会议审议"}).get_json()["state"] == "reviewed"
    assert company.manager.post(path, {"transition": "close"}).get_json()["state"] == "closed"
    assert company.manager.post(path, {"transition": "review"}).status_code == 409
    history = company.manager.get(f"/history?entity=incident&id={body['id']}").get_json()["items"]
    assert [(h["action"], h["to_state"]) for h in history] == [("create", "reported"), ("review", "reviewed"),
                                                               ("close", "closed")]
