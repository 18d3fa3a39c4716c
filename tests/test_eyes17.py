"""Fresh eyes on issue 17: what a new user of each role found wrong, each kept fixed by a test."""
from conftest import sql
from test_risklinks import linked, monitored_project, recommend, risk  # noqa: F401 (the fixture)


def test_a_regrade_without_a_risk_asks_for_one_instead_of_naming_a_dash(app, team, linked):  # noqa: F811
    rec = linked["rec_bj"]
    for body in ({},):
        refused = team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", {
            "kind": "regrade", "likelihood": 4, "impact": 5, "reason": "欠款扩大", **body})
        assert refused.status_code == 422
        errors = refused.get_json()["errors"]
        assert errors == {"risk_id": ["请写明要调整评级的风险编号。"]}, errors
    assert sql(app, "SELECT count(*) FROM risk_proposals") == [(0,)]
