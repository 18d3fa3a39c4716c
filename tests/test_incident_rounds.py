"""Quarterly collection (nil reports, late units), review meetings, calibration and the review pack."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from riskflow import periods
from riskflow.incidents.calibration import implied_likelihood, is_miscalibrated, observed_rate
from test_incidents import incident


def test_nil_reports_late_and_missing_units_and_closing(app, company, run_db):
    from riskflow.incidents.models import UnitReturn

    with app.app_context():
        today = periods.today()
    assert company.officer_bj.post("/incident-rounds", {"quarter": "2026-Q3", "deadline": "2026-10-15"}).status_code == 403
    opened = company.manager.post("/incident-rounds", {"quarter": "2026-Q3", "deadline": (today + timedelta(days=5)).isoformat()})
    assert opened.status_code == 201
    assert [(u["unit"], u["status"]) for u in opened.get_json()["units"]] == [("BJ", "missing"), ("SH", "missing")]
    # BJ has an incident: it cannot send a nil report, and it must record before answering.
    assert company.officer_bj.post("/incident-rounds/2026-Q3/answer", {"nil": False}).status_code == 409
    incident(company.officer_bj, occurred_on="2026-08-01", discovered_on="2026-08-02")
    assert company.officer_bj.post("/incident-rounds/2026-Q3/answer", {"nil": True}).status_code == 409
    answered = company.head_bj.post("/incident-rounds/2026-Q3/answer", {"nil": False})
    assert answered.status_code == 200
    assert company.officer_bj.post("/incident-rounds/2026-Q3/answer", {"nil": False}).status_code == 409
    body = company.manager.get("/incident-rounds/2026-Q3").get_json()
    assert body["closed"] is False
    assert [(u["unit"], u["status"], u["nil"], u["incidents"]) for u in body["units"]] == [
        ("BJ", "done", False, 1), ("SH", "missing", False, 0)]
    assert company.officer_bj.get("/incident-rounds/2026-Q3").get_json()["units"] == [body["units"][0]]

    # The deadline passes: SH is now overdue; its nil report arrives late and closes the round.
    def move_deadline(s):
        from riskflow.incidents.models import IncidentRound
        s.query(IncidentRound).one().deadline = today - timedelta(days=1)
        s.query(UnitReturn).one().submitted_on = today - timedelta(days=2)  # BJ answered in time

    run_db(move_deadline)
    assert company.manager.get("/incident-rounds/2026-Q3").get_json()["units"][1]["status"] == "overdue"
    assert company.officer_sh.post("/incident-rounds/2026-Q3/answer", {"nil": True}).status_code == 200
    body = company.manager.get("/incident-rounds/2026-Q3").get_json()
    assert [(u["unit"], u["status"], u["nil"]) for u in body["units"]] == [("BJ", "done", False), ("SH", "late", True)]
    assert body["closed"] is True
    assert run_db(lambda s: s.query(UnitReturn).count()) == 2


def test_a_review_meeting_reviews_its_incidents_all_or_nothing(company):
    a = incident(company.manager).get_json()
    b = incident(company.manager, unit="SH").get_json()
    meeting = {"quarter": "2026-Q1", "held_on": "2026-04-10", "attendees": "王建国、马骏、各分公司经理",
               "conclusions": "加强客户资质审核", "actions": "修订提货单管理办法",
               "items": [{"incident_id": a["id"], "conclusion": "责任单位完善审核"}, {"incident_id": b["id"]}]}
    assert company.officer_bj.post("/review-meetings", meeting).status_code == 403
    created = company.manager.post("/review-meetings", meeting)
    assert created.status_code == 201
    assert created.get_json()["incident_ids"] == [a["id"], b["id"]]
    assert company.manager.get(f"/incidents/{a['id']}").get_json()["state"] == "reviewed"
    history = company.manager.get(f"/history?entity=incident&id={a['id']}").get_json()["items"]
    assert history[-1]["comment"] == "责任单位完善审核"
    # Reviewing again fails whole: the new incident stays as it was.
    c = incident(company.manager).get_json()
    again = company.manager.post("/review-meetings", {**meeting, "items": [{"incident_id": c["id"]},
                                                                         {"incident_id": a["id"]}]})
    assert again.status_code == 409
    assert company.manager.get(f"/incidents/{c['id']}").get_json()["state"] == "reported"
    bad = company.manager.post("/review-meetings", {"quarter": "Q1", "held_on": "2099-01-01", "items": []})
    assert bad.status_code == 422
    assert sorted(bad.get_json()["errors"]) == ["attendees", "items", "quarter"]
    bad = company.manager.post("/review-meetings", {"quarter": "2026-Q1", "held_on": "2099-01-01",
                                                    "attendees": " ", "items": [{"incident_id": 99999}]})
    assert bad.status_code == 422
    assert sorted(bad.get_json()["errors"]) == ["attendees", "held_on", "items"]


@pytest.mark.parametrize("likelihood,count,flagged,implied", [
    (1, 0, False, 1), (1, 1, True, 3), (2, 1, True, 3), (3, 1, False, 3), (3, 2, True, 4),
    (4, 2, False, 4), (4, 3, True, 5), (5, 9, False, 5),
])
def test_the_calibration_rule(likelihood, count, flagged, implied):
    assert is_miscalibrated(likelihood, count) is flagged
    assert implied_likelihood(observed_rate(count)) == implied


def test_miscalibrated_risks_are_flagged_on_fixed_dates(app, company):
    with app.app_context():
        today = periods.today()
    rare, possible, likely = company.risk("很少发生"), company.risk("偶尔发生"), company.risk("经常发生")
    company.grade(rare["id"], "2026-05", 1, 3)
    company.grade(possible["id"], "2026-05", 3, 3)
    company.grade(likely["id"], "2026-05", 4, 3)
    recent = (today - timedelta(days=100)).isoformat()
    old = (today - timedelta(days=800)).isoformat()
    incident(company.manager, occurred_on=recent, discovered_on=recent, risk_ids=[rare["id"], possible["id"]])
    incident(company.manager, occurred_on=recent, discovered_on=recent, risk_ids=[possible["id"], likely["id"]])
    incident(company.manager, occurred_on=old, discovered_on=old, risk_ids=[likely["id"]] * 1)
    body = company.manager.get("/calibration").get_json()
    assert body["items"] == [
        {"risk_id": rare["id"], "code": "BJ-001", "likelihood": 1, "incidents": 1, "per_year": 0.5,
         "implied_likelihood": 3},
        {"risk_id": possible["id"], "code": "BJ-002", "likelihood": 3, "incidents": 2, "per_year": 1.0,
         "implied_likelihood": 4},
    ]
    assert company.officer_sh.get("/calibration").get_json()["items"] == []


def test_the_review_pack_pdf(app, client, company):
    from conftest import login

    risk = company.risk("客户资信风险")
    company.grade(risk["id"], "2026-03", 3, 4)
    incident(company.manager, risk_ids=[risk["id"]], corrective_action="修订提货单审核流程", action_owner="李娜",
             action_due="2026-06-30")
    incident(company.manager, unit="SH", kind="near_miss", title="油罐车险些侧翻", losses={"safety": 3},
             occurred_on="2026-02-10", discovered_on="2026-02-10", handling="及时制动，未造成损失")
    incident(company.manager, occurred_on="2026-04-01", discovered_on="2026-04-01", title="下季度的事件")
    login(client, "manager")
    response = client.get("/incidents/pack.pdf?quarter=2026-Q1")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("2026-Q1 风险事件季度审议材料", "2 起事件：损失事件 1 起，未遂事件 1 起", "净损失 120,000.00 元",
                     "北京销售分公司", "上海销售分公司", "油罐车险些侧翻", "BJ-001 客户资信风险", "3×4=12 重要风险",
                     "修订提货单审核流程"):
        assert expected in text, expected
    assert "下季度的事件" not in text
    assert client.get("/incidents/pack.pdf?quarter=2026-13").status_code == 422


def test_a_risk_page_lists_its_incidents_and_its_calibration_flag(app, client, company):
    from conftest import login

    with app.app_context():
        recent = (periods.today() - timedelta(days=30)).isoformat()
    risk = company.risk("很少发生的风险")
    company.grade(risk["id"], "2026-05", 1, 3)
    incident(company.manager, title="证明风险的事件", occurred_on=recent, discovered_on=recent, risk_ids=[risk["id"]])
    login(client, "officer_bj")
    html = client.get(f"/risks/{risk['id']}").get_data(as_text=True)
    assert "证明风险的事件" in html
    assert "发生可能性可能被低估" in html
