"""Budget indicators through the API: targets, values judged by the rules, the carry-over chain recomputed
on a correction, warnings on linked and unlinked indicators, and who may do what."""
import pytest

from conftest import sql

YEAR = 2026


def expense(company, unit="BJ", code="BJ-SELL-EXP", budget=100, **extra):
    """A selling-expense indicator of UNIT with carry-over and a budget of BUDGET every month of 2025 and 2026."""
    created = company.manager.post("/indicators", {"code": code, "name": "销售费用", "unit": unit, "measure": "万元",
                                                   "rule": "above_budget", "carry_over": True, **extra})
    assert created.status_code == 201, created.get_json()
    indicator = created.get_json()
    for year in (2025, 2026):
        put = company.manager.put(f"/indicators/{indicator['id']}/targets/{year}",
                                  {"annual": budget * 12, "monthly": [budget] * 12})
        assert put.status_code == 200, put.get_json()
    return indicator


def values(api, indicator_id, year=YEAR):
    response = api.get(f"/indicators/{indicator_id}/values?year={year}")
    assert response.status_code == 200, response.get_json()
    return {row["period"]: (row["value"], row["compared_with"], row["variance"], row["breached"])
            for row in response.get_json()["items"]}


def warnings_of(api, period):
    return {w["code"]: w for w in api.get(f"/warnings?period={period}").get_json()["items"]}


def test_a_correction_in_march_recomputes_april_to_december(company):
    indicator = expense(company)
    path = f"/indicators/{indicator['id']}/values"
    for month, value in ((1, 130), (2, 50), (3, 100), (4, 90), (5, 100), (12, 100)):
        assert company.officer_bj.post(path, {"period": f"{YEAR}-{month:02d}", "value": value}).status_code == 201
    assert values(company.officer_bj, indicator["id"]) == {
        "2026-01": (130, 100, 30, True), "2026-02": (50, 70, -20, False), "2026-03": (100, 100, 0, False),
        "2026-04": (90, 100, -10, False), "2026-05": (100, 100, 0, False), "2026-12": (100, 100, 0, False)}
    # March was 150: 50 over, so April's budget is 50 and April (90) is 40 over, May's budget 60 …
    corrected = company.officer_bj.post(path, {"period": "2026-03", "value": 150})
    assert corrected.status_code == 200
    assert corrected.get_json() == {"indicator_id": indicator["id"], "period": "2026-03", "value": 150, "ytd": 330,
                                    "compared_with": 100, "variance": 50, "breached": True}
    assert values(company.officer_bj, indicator["id"]) == {
        "2026-01": (130, 100, 30, True), "2026-02": (50, 70, -20, False), "2026-03": (150, 100, 50, True),
        "2026-04": (90, 50, 40, True), "2026-05": (100, 60, 40, True), "2026-12": (100, 100, 0, False)}
    assert sorted(warnings_of(company.manager, p)["BJ-SELL-EXP"]["reason"] for p in ("2026-03", "2026-04", "2026-05")) \
        == ["indicator"] * 3
    targets = company.manager.get(f"/indicators/{indicator['id']}/targets/{YEAR}").get_json()
    # May (100 against 60) carries 40 into June; June has no value, so July starts again at 100.
    assert targets["effective_budget"] == [100, 70, 100, 50, 60, 60, 100, 100, 100, 100, 100, 100]


def test_december_carries_nothing_into_next_january(company):
    indicator = expense(company)
    path = f"/indicators/{indicator['id']}/values"
    company.officer_bj.post(path, {"period": "2025-12", "value": 500})
    company.officer_bj.post(path, {"period": "2026-01", "value": 100})
    assert values(company.officer_bj, indicator["id"], 2025) == {"2025-12": (500, 100, 400, True)}
    assert values(company.officer_bj, indicator["id"], 2026) == {"2026-01": (100, 100, 0, False)}


def test_new_targets_judge_the_year_again(company):
    indicator = company.indicator("BJ-PROFIT", "利润", rule="behind_progress", annual=1200, unit="BJ", years=(2026,))
    path = f"/indicators/{indicator['id']}/values"
    for month, value in ((1, 100), (2, 90), (3, 120)):
        company.officer_bj.post(path, {"period": f"2026-{month:02d}", "value": value})
    assert values(company.manager, indicator["id"]) == {
        "2026-01": (100, 100, 0, False), "2026-02": (90, 200, -10, True), "2026-03": (120, 300, 10, False)}
    company.manager.put(f"/indicators/{indicator['id']}/targets/2026", {"annual": 1080, "monthly": [None] * 12})
    assert values(company.manager, indicator["id"]) == {
        "2026-01": (100, 90, 10, False), "2026-02": (90, 180, 10, False), "2026-03": (120, 270, 40, False)}
    # February's warning was unanswered: withdrawn when the new target ended its breach.
    assert "BJ-PROFIT" not in warnings_of(company.manager, "2026-02")
    entries = company.manager.get(f"/history?entity=indicator&id={indicator['id']}").get_json()["items"]
    assert [e["changes"] for e in entries if e["action"] == "targets"][-1] == {
        "year": [None, 2026], "annual": ["1200", "1080"]}


def test_an_unlinked_indicators_breach_warns_its_unit_which_answers_with_cause_and_explanation(company):
    indicator = expense(company)
    path = f"/indicators/{indicator['id']}/values"
    company.officer_bj.post(path, {"period": "2026-05", "value": 120})
    (warning,) = [w for w in company.officer_bj.get("/warnings?period=2026-05").get_json()["items"]]
    assert {k: warning[k] for k in ("risk_id", "indicator_id", "code", "unit", "reason", "level", "status")} == {
        "risk_id": None, "indicator_id": indicator["id"], "code": "BJ-SELL-EXP", "unit": "BJ", "reason": "indicator",
        "level": None, "status": "open"}
    assert company.officer_sh.get("/warnings?period=2026-05").get_json()["items"] == []
    assert company.officer_sh.patch(f"/warnings/{warning['id']}", {"response": "x"}).status_code == 404
    answered = company.head_bj.patch(f"/warnings/{warning['id']}", {
        "cause": "external", "explanation": "原材料涨价，促销费用前移", "response": "压缩下月费用", "progress": 20,
        "status": "in_progress", "version": warning["version"]})
    assert answered.status_code == 200, answered.get_json()
    assert (answered.get_json()["cause"], answered.get_json()["explanation"]) == ("external", "原材料涨价，促销费用前移")
    assert company.head_bj.patch(f"/warnings/{warning['id']}", {"cause": "weather"}).status_code == 422
    # A correction that ends the breach keeps an answered warning.
    company.officer_bj.post(path, {"period": "2026-05", "value": 90})
    assert warnings_of(company.manager, "2026-05")["BJ-SELL-EXP"]["explanation"] == "原材料涨价，促销费用前移"
    # … and withdraws an unanswered one.
    company.officer_bj.post(path, {"period": "2026-06", "value": 200})
    assert "BJ-SELL-EXP" in warnings_of(company.manager, "2026-06")
    company.officer_bj.post(path, {"period": "2026-06", "value": 100})
    assert "BJ-SELL-EXP" not in warnings_of(company.manager, "2026-06")
    assert sql(company_app(company), "SELECT count(*) FROM warnings WHERE period = '2026-06'") == [(0,)]


def company_app(company):
    return company.manager.client.application


def test_a_company_wide_indicators_warning_belongs_to_the_risk_manager(company, make):
    indicator = company.indicator("CO-TURNOVER", "应收账款周转次数", annual=8, measure="次", years=(2026,))
    assert indicator["unit"] is None
    response = company.manager.post(f"/indicators/{indicator['id']}/values", {"period": "2026-05", "value": 7.5})
    assert response.get_json()["breached"] is True
    assert [w["code"] for w in company.manager.get("/warnings?period=2026-05").get_json()["items"]] == ["CO-TURNOVER"]
    assert company.officer_bj.get("/warnings?period=2026-05").get_json()["items"] == []
    warning_id = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]["id"]
    assert company.head_bj.patch(f"/warnings/{warning_id}", {"response": "x"}).status_code == 403
    # Its named owner records its values though a unit role would not.
    make.user("finance", "risk_officer", unit="SH")
    assert company.manager.patch(f"/indicators/{indicator['id']}", {"owner": "officer_sh"}).status_code == 200
    assert company.officer_sh.post(f"/indicators/{indicator['id']}/values",
                                   {"period": "2026-06", "value": 9}).status_code == 201
    assert company.officer_bj.post(f"/indicators/{indicator['id']}/values",
                                   {"period": "2026-06", "value": 9}).status_code == 403


def test_a_linked_indicator_warns_its_risk_and_a_unit_records_only_its_own(company):
    risk = company.risk("回款风险", unit="SH")
    indicator = company.indicator("SH-COLLECT", risk_id=risk["id"], measure="%")
    assert indicator["unit"] == "SH"
    path = f"/indicators/{indicator['id']}/values"
    assert company.officer_bj.post(path, {"period": "2026-05", "value": 90}).status_code == 404
    assert company.officer_bj.get(f"/indicators/{indicator['id']}").status_code == 404
    assert company.officer_sh.post(path, {"period": "2026-05", "value": 90}).status_code == 201
    (warning,) = company.officer_sh.get("/warnings?period=2026-05").get_json()["items"]
    assert (warning["risk_id"], warning["indicator_id"], warning["reason"]) == (risk["id"], None, "indicator")


@pytest.mark.parametrize("body, field", [
    ({"code": "K9", "name": "n", "rule": "over_budget"}, "rule"),
    ({"code": "K9", "name": "n", "rule": "below_budget", "carry_over": True}, "carry_over"),
    ({"code": "K9", "name": "n", "rule": "above_budget", "unit": "XX"}, "unit"),
    ({"code": "K9", "name": "n", "rule": "above_budget", "owner": "nobody"}, "owner"),
    ({"code": "K9", "name": "n", "rule": "above_budget", "unit": "BJ", "owner": "officer_sh"}, "owner"),
    ({"code": "K9", "name": "n", "rule": "above_budget", "plan": "dreams"}, "plan"),
])
def test_bad_definitions_are_refused_at_their_field(company, app, body, field):
    response = company.manager.post("/indicators", body)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]
    assert sql(app, "SELECT count(*) FROM indicators") == [(0,)]


@pytest.mark.parametrize("body, field", [
    ({"annual": 1, "monthly": [1] * 11}, "monthly"),
    ({"annual": 1, "monthly": [1] * 11 + ["x"]}, "monthly"),
    ({"annual": "1e999", "monthly": [None] * 12}, "annual"),
    ({"annual": 1, "monthly": [None] * 12, "quarterly": []}, "quarterly"),
])
def test_bad_targets_are_refused_and_store_nothing(company, app, body, field):
    indicator = company.manager.post("/indicators", {"code": "K1", "name": "n", "rule": "above_budget",
                                                     "unit": "BJ"}).get_json()
    response = company.manager.put(f"/indicators/{indicator['id']}/targets/2026", body)
    assert response.status_code == 422
    assert field in str(response.get_json()["errors"])
    assert sql(app, "SELECT count(*) FROM indicator_targets") == [(0,)]
    assert company.manager.put(f"/indicators/{indicator['id']}/targets/1999",
                               {"annual": 1, "monthly": [None] * 12}).status_code == 422
    assert company.officer_bj.put(f"/indicators/{indicator['id']}/targets/2026",
                                  {"annual": 1, "monthly": [None] * 12}).status_code == 403


def test_bad_values_are_refused_and_store_nothing(company, app):
    indicator = expense(company)
    path = f"/indicators/{indicator['id']}/values"
    assert company.officer_bj.post(path, {"period": "2099-01", "value": 1}).status_code == 422
    old = company.officer_bj.post(path, {"period": "1999-12", "value": 1})
    assert (old.status_code, old.get_json()["errors"]) == (422, {"period": ["请填写 2000-01 及以后的月份。"]})
    assert company.officer_bj.post(path, {"period": "2026-05", "value": "NaN"}).status_code == 422
    assert company.officer_bj.post(path, {"period": "2026-05", "value": 1e17}).status_code == 422
    assert sql(app, "SELECT count(*) FROM indicator_values") == [(0,)]


def test_an_indicator_switched_off_warns_nobody_and_leaves_the_report(company, app):
    from riskflow.db import session_scope
    from riskflow.auth.policy import SYSTEM
    from riskflow.indicators import service

    indicator = expense(company)
    company.officer_bj.post(f"/indicators/{indicator['id']}/values", {"period": "2026-05", "value": 120})
    with app.app_context(), session_scope(app) as session:
        assert [i.code for i, _v in service.breaches(session, SYSTEM, "2026-05")] == ["BJ-SELL-EXP"]
    assert company.manager.patch(f"/indicators/{indicator['id']}", {"active": False}).status_code == 200
    assert "BJ-SELL-EXP" not in warnings_of(company.manager, "2026-05")  # unanswered: withdrawn
    with app.app_context(), session_scope(app) as session:
        assert service.breaches(session, SYSTEM, "2026-05") == []
