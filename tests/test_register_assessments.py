"""Monthly grades: scoring, validation, duplicates, revisions, per-dimension impact."""


def test_a_grade_gets_score_and_level_from_the_standard(company):
    risk = company.risk()
    body = company.grade(risk["id"], "2026-05", 4, 3)
    assert {k: body[k] for k in ("risk_id", "period", "likelihood", "impact", "score", "level", "assessed_by")} == {
        "risk_id": risk["id"], "period": "2026-05", "likelihood": 4, "impact": 3, "score": 12,
        "level": "significant", "assessed_by": "manager"}


def test_a_second_grade_for_the_period_is_409_and_put_revises(company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 2, 2)
    again = company.manager.post(f"/risks/{risk['id']}/assessments", {"period": "2026-05", "likelihood": 5,
                                                                      "impact": 5})
    assert again.status_code == 409
    revised = company.manager.put(f"/risks/{risk['id']}/assessments/2026-05",
                                     {"likelihood": 5, "impact": 5, "rationale": "市场突变"})
    assert revised.status_code == 200
    assert (revised.get_json()["score"], revised.get_json()["level"], revised.get_json()["revision"]) == (25, "major", 2)
    history = company.manager.get(f"/risks/{risk['id']}/assessments").get_json()["items"]
    assert [(a["period"], a["score"]) for a in history] == [("2026-05", 25)]
    changes = company.manager.get(f"/history?entity=assessment&id={revised.get_json()['id']}").get_json()["items"]
    assert [c["action"] for c in changes] == ["create", "revise"]
    assert changes[1]["changes"]["score"] == [4, 25]


def test_revising_a_missing_period_is_404(company):
    risk = company.risk()
    assert company.manager.put(f"/risks/{risk['id']}/assessments/2026-05",
                               {"likelihood": 1, "impact": 1}).status_code == 404


def test_history_is_oldest_first(company):
    risk = company.risk()
    for period, l in (("2026-06", 3), ("2026-04", 1), ("2026-05", 2)):
        company.grade(risk["id"], period, l, 2)
    items = company.manager.get(f"/risks/{risk['id']}/assessments").get_json()["items"]
    assert [a["period"] for a in items] == ["2026-04", "2026-05", "2026-06"]


def test_bad_grades_are_422_naming_the_field_and_store_nothing(company):
    risk = company.risk()
    path = f"/risks/{risk['id']}/assessments"
    cases = [
        ({"period": "2026-05", "likelihood": 6, "impact": 3}, ["likelihood"]),
        ({"period": "2026-05", "likelihood": 3, "impact": 0}, ["impact"]),
        ({"period": "2026-05", "likelihood": "3", "impact": 3}, ["likelihood"]),
        ({"period": "2026-5", "likelihood": 3, "impact": 3}, ["period"]),
        ({"period": "2099-01", "likelihood": 3, "impact": 3}, ["period"]),
        ({"period": "2026-05", "likelihood": True, "impact": 3}, ["likelihood"]),
    ]
    for body, fields in cases:
        response = company.manager.post(path, body)
        assert response.status_code == 422, body
        assert sorted(response.get_json()["errors"]) == fields, body
    assert company.manager.get(path).get_json()["items"] == []


def test_future_period_message_is_clear(company):
    risk = company.risk()
    response = company.manager.post(f"/risks/{risk['id']}/assessments",
                                    {"period": "2099-01", "likelihood": 3, "impact": 3})
    assert response.get_json()["errors"]["period"] == ["2099-01 是未来的月份。"]


def test_impact_per_dimension_takes_the_worst(company):
    risk = company.risk()
    body = company.grade(risk["id"], "2026-05", 3, None, impacts={"financial": 2, "reputation": 4})
    assert (body["impact"], body["score"], body["level"]) == (4, 12, "significant")
    assert body["impacts"] == {"financial": 2, "reputation": 4}
    wrong = company.manager.post(f"/risks/{risk['id']}/assessments",
                                 {"period": "2026-06", "likelihood": 3, "impact": 2, "impacts": {"safety": 5}})
    assert wrong.status_code == 422 and list(wrong.get_json()["errors"]) == ["impact"]
    unknown = company.manager.post(f"/risks/{risk['id']}/assessments",
                                   {"period": "2026-06", "likelihood": 3, "impacts": {"luck": 5}})
    assert unknown.status_code == 422 and "impacts" in unknown.get_json()["errors"]


def test_a_retired_risk_is_not_graded(company):
    risk = company.risk()
    company.manager.patch(f"/risks/{risk['id']}", {"version": 1, "status": "retired"})
    response = company.manager.post(f"/risks/{risk['id']}/assessments",
                                    {"period": "2026-05", "likelihood": 1, "impact": 1})
    assert response.status_code == 409


def test_a_grade_keeps_the_standard_version_it_was_made_under(company, run_db):
    from riskflow.auth import policy
    from riskflow.register import grading, standard

    risk = company.risk()
    first = company.grade(risk["id"], "2026-05", 2, 4)
    assert first["level"] == "significant"
    base = grading.default_standard()
    stricter = grading.Standard(base.likelihood, base.impact, base.bands, {(2, 4): "major", (2, 5): "major",
                                                                          (3, 4): "major", (3, 5): "major"})
    run_db(lambda s: standard.save_version(s, policy.SYSTEM, stricter, "stricter"))
    second = company.grade(risk["id"], "2026-06", 2, 4)
    assert second["level"] == "major" and second["standard_id"] != first["standard_id"]
    old = company.manager.get(f"/risks/{risk['id']}/assessments").get_json()["items"][0]
    assert (old["level"], old["standard_id"]) == ("significant", first["standard_id"])


def test_the_level_filter_follows_the_newest_grade_and_grading_leaves_the_risk_version(app, company):
    from conftest import sql

    risk = company.risk("价格风险")
    other = company.risk("回款风险")
    company.grade(risk["id"], "2026-05", 5, 5)
    company.grade(other["id"], "2026-05", 1, 1)

    def codes(level):
        return [r["code"] for r in company.manager.get(f"/risks?level={level}").get_json()["items"]]

    assert (codes("major"), codes("low")) == ([risk["code"]], [other["code"]])
    company.grade(risk["id"], "2026-06", 1, 2)  # a newer month
    assert (codes("major"), codes("low")) == ([], [risk["code"], other["code"]])
    company.grade(other["id"], "2026-04", 5, 5)  # an older month changes nothing
    assert codes("major") == []
    revised = company.manager.put(f"/risks/{risk['id']}/assessments/2026-06",
                                  {"likelihood": 4, "impact": 4, "rationale": "复核"})
    assert revised.status_code == 200
    assert (codes("major"), codes("low")) == ([risk["code"]], [other["code"]])
    assert sql(app, "SELECT code, latest_period, latest_level FROM risks ORDER BY code") == [
        (risk["code"], "2026-06", "major"), (other["code"], "2026-05", "low")]
    edit = company.manager.patch(f"/risks/{risk['id']}", {"owner": "张三", "version": risk["version"]})
    assert edit.status_code == 200, edit.get_json()


def test_an_officer_grades_the_current_month_or_a_month_whose_round_is_open(app, company):
    from datetime import timedelta

    from riskflow import periods

    with app.app_context():
        month, today = periods.current(), periods.today()
    last = periods.shift(month, -1)
    risk = company.risk()
    path = f"/risks/{risk['id']}/assessments"
    refused = company.officer_bj.post(path, {"period": "2001-01", "likelihood": 2, "impact": 2})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"period": [
        f"您可以评估本月（{month}），或本单位评估轮次开放中的月份；2001-01 两者都不是。"
        "请联系风险管理部门开放或重新开放该月的评估轮次。"]}
    assert company.officer_bj.post(path, {"period": last, "likelihood": 2, "impact": 2}).status_code == 422
    assert company.officer_bj.post(path, {"period": month, "likelihood": 2, "impact": 2}).status_code == 201
    company.manager.post("/rounds", {"period": last, "deadline": (today + timedelta(days=3)).isoformat()})
    assert company.officer_bj.post(path, {"period": last, "likelihood": 3, "impact": 2}).status_code == 201
    # The risk manager records history (a company moving to riskflow brings last year's grades) ...
    assert company.manager.post(path, {"period": "2001-01", "likelihood": 1, "impact": 1}).status_code == 201
    # ... which the officer cannot revise, and nobody grades a month to come.
    revise = company.officer_bj.put(f"{path}/2001-01", {"likelihood": 5, "impact": 5})
    assert (revise.status_code, list(revise.get_json()["errors"])) == (422, ["period"])
    future = company.manager.post(path, {"period": periods.shift(month, 1), "likelihood": 1, "impact": 1})
    assert (future.status_code, list(future.get_json()["errors"])) == (422, ["period"])
    assert [(a["period"], a["score"]) for a in company.manager.get(path).get_json()["items"]] == [
        ("2001-01", 1), (last, 6), (month, 4)]


def test_revising_a_grade_makes_it_the_revisers_as_of_now(app, company):
    from riskflow import periods

    with app.app_context():
        month = periods.current()
    risk = company.risk()
    graded = company.grade(risk["id"], month, 2, 2)
    with app.extensions["riskflow.engine"].begin() as con:
        from sqlalchemy import text

        con.execute(text("UPDATE assessments SET assessed_at = '2026-01-01 00:00:00'"))
    revised = company.officer_bj.put(f"/risks/{risk['id']}/assessments/{month}",
                                     {"likelihood": 3, "impact": 3, "rationale": "客户违约增加"}).get_json()
    assert revised["assessed_by"] == "officer_bj"
    assert revised["assessed_at"] > graded["assessed_at"] > "2026-01-01T00:00:00+00:00"
    changes = company.manager.get(f"/history?entity=assessment&id={graded['id']}").get_json()["items"]
    assert [(c["actor"], c["action"]) for c in changes] == [("manager", "create"), ("officer_bj", "revise")]
