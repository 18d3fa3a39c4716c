"""A nil report says a whole quarter passed without an incident: refused while the quarter runs, at any door."""
from datetime import timedelta

from riskflow import periods
from riskflow.db import session_scope


def test_a_nil_report_is_refused_until_the_quarter_has_ended(app, company):
    with app.app_context():
        today = periods.today()
    this = periods.quarter_of(today)
    deadline = (today + timedelta(days=30)).isoformat()
    assert company.manager.post("/incident-rounds", {"quarter": this, "deadline": deadline}).status_code == 201
    with app.app_context():
        first_day = (periods.quarter_end(this) + timedelta(days=1)).isoformat()
    refused = company.officer_bj.post(f"/incident-rounds/{this}/answer", {"nil": True})
    assert refused.status_code == 409
    assert refused.get_json()["errors"] == {"nil": [
        f"零报告表示整个季度没有发生风险事件，须待 {this} 结束后（{first_day} 起）才能报送。"]}
    assert company.manager.get(f"/incident-rounds/{this}").get_json()["units"][0]["status"] == "missing"


def test_quarter_ends():
    from flask import Flask

    with Flask(__name__).app_context():
        assert [periods.quarter_end(q).isoformat() for q in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")] == [
            "2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]


def test_the_quarter_waits_on_the_units_that_have_not_answered(app, company):
    from riskflow.auth.service import user_by_name
    from riskflow.main import tasks
    from riskflow.incidents import tasks as incident_tasks  # noqa: F401  (registers its provider)

    assert company.manager.post("/incident-rounds", {"quarter": "2026-Q2", "deadline": "2099-01-01"}).status_code == 201
    assert company.officer_sh.post("/incident-rounds/2026-Q2/answer", {"nil": True}).status_code == 200

    def incident_tasks_of(name):
        with app.test_request_context(), session_scope(app) as s:
            return [(t.label, t.count, t.url) for t in tasks.waiting_on(s, user_by_name(s, name))
                    if "2026-Q2" in t.label]

    expected = [("报送 2026-Q2 的风险事件或零报告（截止 2099-01-01）", 1, "/incidents/collection?quarter=2026-Q2")]
    assert incident_tasks_of("officer_bj") == expected
    assert incident_tasks_of("head_bj") == expected
    assert incident_tasks_of("officer_sh") == []
    assert incident_tasks_of("manager") == []
    assert incident_tasks_of("inspector") == []
