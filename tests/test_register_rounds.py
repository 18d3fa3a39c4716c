"""Grading rounds: open, lock at the deadline, reopen for one unit with a reason."""
from datetime import datetime, timedelta, timezone

from riskflow import periods


def today(app):
    with app.app_context():
        return periods.today()


def test_a_round_shows_completion_and_locks_when_closed(app, company, run_db):
    from riskflow.register.models import Risk

    bj1, bj2, sh = company.risk(unit="BJ"), company.risk(unit="BJ"), company.risk(unit="SH")
    # May's risks to grade are those registered by the end of May.
    run_db(lambda s: s.query(Risk).update({"created_at": datetime(2026, 1, 1, tzinfo=timezone.utc)}))
    deadline = (today(app) + timedelta(days=5)).isoformat()
    opened = company.manager.post("/rounds", {"period": "2026-05", "deadline": deadline})
    assert opened.status_code == 201
    company.grade(bj1["id"], "2026-05", 2, 2, api=company.officer_bj)
    body = company.manager.get("/rounds/2026-05").get_json()
    assert body["closed"] is False
    assert body["units"] == [{"unit": "BJ", "graded": 1, "total": 2, "open": True, "state": "grading", "returned_reason": ""},
                             {"unit": "SH", "graded": 0, "total": 1, "open": True, "state": "grading", "returned_reason": ""}]
    assert company.officer_bj.get("/rounds/2026-05").get_json()["units"] == [
        {"unit": "BJ", "graded": 1, "total": 2, "open": True, "state": "grading", "returned_reason": ""}]
    assert company.manager.post("/rounds/2026-05/close").get_json()["closed"] is True
    refused = company.officer_bj.post(f"/risks/{bj2['id']}/assessments",
                                      {"period": "2026-05", "likelihood": 3, "impact": 3})
    assert refused.status_code == 409
    assert "period" in refused.get_json()["errors"]
    assert company.officer_bj.put(f"/risks/{bj1['id']}/assessments/2026-05",
                                  {"likelihood": 5, "impact": 5}).status_code == 409
    # Other months are not affected by the May round: this month is graded as usual.
    with app.app_context():
        company.grade(bj2["id"], periods.current(), 1, 1, api=company.officer_bj)

    reopened = company.manager.post("/rounds/2026-05/reopen", {"unit": "BJ", "reason": "北京分公司漏报", "deadline": deadline})
    assert reopened.status_code == 200
    company.grade(bj2["id"], "2026-05", 3, 3, api=company.officer_bj)
    assert company.officer_sh.post(f"/risks/{sh['id']}/assessments",
                                   {"period": "2026-05", "likelihood": 1, "impact": 1}).status_code == 409
    history = company.manager.get("/history?entity=grading_round&id=1").get_json()["items"]
    assert [h["action"] for h in history] == ["open", "close", "reopen"]
    assert history[2]["comment"] == "北京分公司漏报"


def test_round_management_is_for_the_risk_manager(app, company):
    deadline = (today(app) + timedelta(days=5)).isoformat()
    assert company.officer_bj.post("/rounds", {"period": "2026-05", "deadline": deadline}).status_code == 403
    assert company.manager.post("/rounds", {"period": "2026-05", "deadline": "2020-01-01"}).status_code == 422
    assert company.manager.post("/rounds", {"period": "2026-05", "deadline": deadline}).status_code == 201
    assert company.manager.post("/rounds", {"period": "2026-05", "deadline": deadline}).status_code == 409
    company.manager.post("/rounds/2026-05/close")
    bad = company.manager.post("/rounds/2026-05/reopen", {"unit": "XX", "reason": " ", "deadline": "soon"})
    assert bad.status_code == 422
    assert sorted(bad.get_json()["errors"]) == ["deadline", "reason", "unit"]


def test_a_round_past_its_deadline_is_closed(app, company, run_db):
    from riskflow.register.models import GradingRound

    risk = company.risk()
    company.manager.post("/rounds", {"period": "2026-05", "deadline": today(app).isoformat()})

    def move_deadline(s):
        s.query(GradingRound).one().deadline = today(app) - timedelta(days=1)

    run_db(move_deadline)
    assert company.manager.get("/rounds/2026-05").get_json()["closed"] is True
    assert company.officer_bj.post(f"/risks/{risk['id']}/assessments",
                                   {"period": "2026-05", "likelihood": 1, "impact": 1}).status_code == 409
