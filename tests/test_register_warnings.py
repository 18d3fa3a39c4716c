"""Warnings across two periods, responses, and indicators that breach."""


def warnings_of(api, period):
    return {w["code"]: w for w in api.get(f"/warnings?period={period}").get_json()["items"]}


def test_warning_reasons_across_two_periods(company):
    level = company.risk("重大价格风险")            # BJ-001: major in May -> level
    escalated = company.risk("上升的风险")          # BJ-002: low -> general -> escalated
    steady = company.risk("平稳的风险")             # BJ-003: general both months -> none
    falling = company.risk("下降的风险")            # BJ-004: significant -> general -> none in June
    both = company.risk("升到重要的风险")           # BJ-005: general -> significant: level wins
    for risk, (may, june) in ((level, ((5, 4), (5, 4))), (escalated, ((1, 2), (2, 2))),
                              (steady, ((2, 2), (2, 3))), (falling, ((3, 3), (2, 2))), (both, ((2, 2), (3, 3)))):
        company.grade(risk["id"], "2026-05", *may)
        company.grade(risk["id"], "2026-06", *june)
    may = warnings_of(company.manager, "2026-05")
    assert {c: w["reason"] for c, w in may.items()} == {"BJ-001": "level", "BJ-004": "level"}
    june = warnings_of(company.manager, "2026-06")
    assert {c: (w["reason"], w["level"], w["previous_level"]) for c, w in june.items()} == {
        "BJ-001": ("level", "major", "major"),
        "BJ-002": ("escalated", "general", "low"),
        "BJ-005": ("level", "significant", "general"),
    }
    assert june["BJ-002"]["status"] == "open" and june["BJ-002"]["progress"] == 0


def test_revising_last_month_changes_this_months_escalation(company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 2, 2)
    company.grade(risk["id"], "2026-06", 2, 2)
    assert warnings_of(company.manager, "2026-06") == {}
    company.manager.put(f"/risks/{risk['id']}/assessments/2026-05", {"likelihood": 1, "impact": 1})
    assert warnings_of(company.manager, "2026-06")["BJ-001"]["reason"] == "escalated"
    company.manager.put(f"/risks/{risk['id']}/assessments/2026-05", {"likelihood": 2, "impact": 3})
    assert warnings_of(company.manager, "2026-06") == {}


def test_the_owning_unit_records_the_response(company):
    risk = company.risk(unit="BJ")
    company.grade(risk["id"], "2026-05", 5, 5)
    warning = warnings_of(company.manager, "2026-05")["BJ-001"]
    path = f"/warnings/{warning['id']}"
    response = company.head_bj.patch(path, {"response": "加强应收账款催收", "progress": 40, "status": "in_progress"})
    assert response.status_code == 200
    assert {k: response.get_json()[k] for k in ("response", "progress", "status")} == {
        "response": "加强应收账款催收", "progress": 40, "status": "in_progress"}
    assert company.officer_sh.patch(path, {"progress": 50}).status_code == 404
    assert company.leader.patch(path, {"progress": 50}).status_code == 403
    for bad in ({"progress": 101}, {"progress": -1}, {"progress": "50"}, {"status": "closed"}):
        assert company.officer_bj.patch(path, bad).status_code == 422, bad
    assert warnings_of(company.manager, "2026-05")["BJ-001"]["progress"] == 40
    # A warning that has been worked on survives a regrade that no longer warns.
    company.manager.put(f"/risks/{risk['id']}/assessments/2026-05", {"likelihood": 1, "impact": 1})
    assert warnings_of(company.manager, "2026-05")["BJ-001"]["response"] == "加强应收账款催收"


def test_an_untouched_warning_is_withdrawn_when_the_grade_no_longer_warns(company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 5, 5)
    company.manager.put(f"/risks/{risk['id']}/assessments/2026-05", {"likelihood": 1, "impact": 1})
    assert warnings_of(company.manager, "2026-05") == {}


def test_officers_see_only_their_units_warnings(company):
    bj, sh = company.risk(unit="BJ"), company.risk(unit="SH")
    company.grade(bj["id"], "2026-05", 5, 5)
    company.grade(sh["id"], "2026-05", 5, 5)
    assert set(warnings_of(company.officer_bj, "2026-05")) == {"BJ-001"}
    assert set(warnings_of(company.leader, "2026-05")) == {"BJ-001", "SH-001"}


def test_a_breached_indicator_warns_its_risk(company):
    risk = company.risk("回款风险")
    company.grade(risk["id"], "2026-05", 1, 2)
    indicator = company.indicator("KRI-COLLECT", risk_id=risk["id"])
    assert indicator["unit"] == "BJ"
    path = f"/indicators/{indicator['id']}/values"
    ok = company.officer_bj.post(path, {"period": "2026-05", "value": 97.5})
    assert ok.status_code == 201 and ok.get_json()["breached"] is False
    assert warnings_of(company.manager, "2026-05") == {}
    low = company.officer_bj.post(path, {"period": "2026-05", "value": 90})
    assert low.status_code == 200 and low.get_json()["breached"] is True
    assert warnings_of(company.manager, "2026-05")["BJ-001"]["reason"] == "indicator"


def test_above_indicators_breach_when_the_value_exceeds_the_threshold(company):
    created = company.indicator("KRI-COST", "销售费用", rule="above_target", annual=120.5)
    path = f"/indicators/{created['id']}/values"
    assert company.manager.post(path, {"period": "2026-05", "value": 120.5}).get_json()["breached"] is False
    assert company.manager.post(path, {"period": "2026-06", "value": 120.51}).get_json()["breached"] is True
    listed = company.leader.get("/indicators").get_json()["items"][0]
    assert listed["latest"] == {"period": "2026-06", "value": 120.51, "breached": True}


def test_indicator_validation(company):
    response = company.manager.post("/indicators", {"code": "", "name": "", "rule": "sideways", "risk_id": 999})
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == ["code", "name", "rule"]
    response = company.manager.post("/indicators", {"code": "K", "name": "n", "rule": "above_target", "risk_id": 999})
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["risk_id"]
    assert company.officer_bj.post("/indicators", {"code": "K", "name": "n", "rule": "above_target",
                                                   "unit": "BJ"}).status_code == 403


def test_the_warnings_list_is_filtered_by_unit_and_status_and_paged(company):
    bj = [company.risk(f"北京风险{n}", unit="BJ") for n in range(3)]
    sh = company.risk("上海风险", unit="SH")
    for risk in (*bj, sh):
        company.grade(risk["id"], "2026-05", 5, 5)
    first = warnings_of(company.manager, "2026-05")[bj[0]["code"]]
    company.head_bj.patch(f"/warnings/{first['id']}", {"status": "in_progress"})

    def codes(api, query):
        response = api.get(f"/warnings?period=2026-05&{query}")
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        return body["total"], [w["code"] for w in body["items"]]

    assert codes(company.manager, "unit=SH") == (1, [sh["code"]])
    assert codes(company.manager, "unit=BJ&status=in_progress") == (1, [bj[0]["code"]])
    assert codes(company.manager, "status=open") == (3, sorted([bj[1]["code"], bj[2]["code"], sh["code"]]))
    assert codes(company.manager, "per_page=3&page=2") == (4, [sh["code"]])
    # A unit's roles keep to their own unit whatever `unit` says.
    assert codes(company.officer_bj, "unit=SH") == (0, [])
    for bad in ("status=bogus", "per_page=0"):
        assert company.manager.get(f"/warnings?period=2026-05&{bad}").status_code == 422, bad
    assert company.manager.get("/warnings?period=2026-05&unit=NOPE").status_code == 404
