"""The supervision, incident-collection and report events: exactly who is told, with what title and link,
and that another unit's people are told nothing; a report draft reaches each risk manager's mailbox once."""
from datetime import date, timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest
from sqlalchemy import update

from conftest import sql
from riskflow.auth.models import User
from test_indicator_import import cli  # noqa: F401 (the command line in this process, a fixture)
from test_reports import graded_company
from test_supervision import fire, new_project, recommend

TODAY = date.today()


def told(app, kind: str) -> list[str]:
    """The usernames told of KIND, in order (one per notification)."""
    return [name for (name,) in sql(app, "SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id "
                                         "WHERE n.kind = :kind ORDER BY u.username, n.id", kind=kind)]


def inbox(api, kind: str) -> list[dict]:
    """The caller's notifications of KIND through the API, newest first."""
    return [item for item in api.get("/notifications").get_json()["items"] if item["kind"] == kind]


def outbox(home) -> list[tuple[str, str]]:
    messages = [message_from_bytes(p.read_bytes(), policy=email_policy.default) for p in (home / "outbox").glob("*.eml")]
    return sorted((str(m["To"]), str(m["Subject"])) for m in messages)


@pytest.fixture
def riskflow(cli):
    """riskflow(*args): the command line, in this process, on the test's data; returns its exit code."""
    return lambda *args: cli(*args)[0]


def monitored_project(team):
    project = new_project(team["inspector"])
    for step in ("file", "start_monitoring"):
        assert fire(team["inspector"], "supervision-projects", project["id"], step).status_code == 200
    return project


# Supervision.

def test_recommendations_reach_their_unit_when_the_project_issues_them_and_no_other_unit(team, make, app, run_db):
    make.user("officer_sh", "risk_officer", unit="SH")
    run_db(lambda s: s.execute(update(User).where(User.username == "head_bj").values(language="en")))
    project = monitored_project(team)
    rec = recommend(team["inspector"], project["id"], "BJ")
    assert told(app, "recommendation_issued") == []  # still being drafted while the project is monitored
    issued = fire(team["inspector"], "supervision-projects", project["id"], "issue_recommendations")
    assert issued.status_code == 200
    assert told(app, "recommendation_issued") == ["head_bj", "officer_bj"]
    letter, due = rec["letter_no"], rec["due_date"]
    [item] = inbox(team["officer_bj"], "recommendation_issued")
    assert item["title"] == f"监察建议 {letter} 已下达 北京销售分公司，请于 {due} 前完成整改。"
    assert item["link"] == f"/recommendations/{rec['id']}"
    [item] = inbox(team["head_bj"], "recommendation_issued")
    assert item["title"] == f"Recommendation {letter} was issued to 北京销售分公司; rectify by {due}."

    # Recorded once the recommendations are out: its unit is told at once, the other unit nothing.
    later = recommend(team["inspector"], project["id"], "SH", due_date=(TODAY + timedelta(days=10)).isoformat())
    assert told(app, "recommendation_issued") == ["head_bj", "head_sh", "officer_bj", "officer_sh"]
    [item] = inbox(team["head_sh"], "recommendation_issued")
    assert item["title"] == (f"监察建议 {later['letter_no']} 已下达 上海销售分公司，请于 "
                             f"{(TODAY + timedelta(days=10)).isoformat()} 前完成整改。")
    assert len(inbox(team["officer_bj"], "recommendation_issued")) == 1

    # Readdressed to BJ before SH accepted it: BJ is told of it; an edit of its words tells nobody again.
    moved = team["inspector"].patch(f"/recommendations/{later['id']}", {"responsible_unit": "BJ"})
    assert moved.status_code == 200, moved.get_json()
    assert team["inspector"].patch(f"/recommendations/{later['id']}", {"basis": "《客户信用管理办法》"}).status_code == 200
    assert told(app, "recommendation_issued") == ["head_bj", "head_bj", "head_sh", "officer_bj", "officer_bj",
                                                  "officer_sh"]
    for other in ("inspector", "leader", "manager", "admin"):
        assert team[other].get("/notifications").get_json()["total"] == 0, other


def test_the_units_group_robot_gets_the_issued_recommendation(team, app, run_db):
    from riskflow.auth.models import Unit

    run_db(lambda s: s.execute(update(Unit).where(Unit.code == "BJ").values(webhook_url="http://robot.test/bj")))
    project = monitored_project(team)
    rec = recommend(team["inspector"], project["id"], "BJ")
    recommend(team["inspector"], project["id"], "SH")
    fire(team["inspector"], "supervision-projects", project["id"], "issue_recommendations")
    assert sql(app, "SELECT url, kind, content FROM webhook_deliveries") == [
        ("http://robot.test/bj", "recommendation_issued",
         f"[riskflow] 监察建议 {rec['letter_no']} 已下达 北京销售分公司，请于 {rec['due_date']} 前完成整改。\n"
         f"/recommendations/{rec['id']}")]


def test_a_submitted_rectification_tells_the_inspectors_and_a_returned_one_tells_its_unit_why(team, make, app):
    make.user("inspector2", "inspector", unit="JJ")
    make.user("officer_sh", "risk_officer", unit="SH")
    inspector, head, officer = team["inspector"], team["head_bj"], team["officer_bj"]
    project = monitored_project(team)
    rec = recommend(inspector, project["id"], "BJ")
    fire(inspector, "supervision-projects", project["id"], "issue_recommendations")
    rid, letter = rec["id"], rec["letter_no"]
    assert fire(head, "recommendations", rid, "accept").status_code == 200
    assert told(app, "rectification_submitted") == []
    assert fire(officer, "recommendations", rid, "submit", report="已建立信用评估制度").status_code == 200
    assert told(app, "rectification_submitted") == ["inspector", "inspector2"]
    [item] = inbox(inspector, "rectification_submitted")
    assert (item["title"], item["link"]) == (f"{letter} 的整改报告已提交，待验收。", f"/recommendations/{rid}")

    assert fire(inspector, "recommendations", rid, "reject", comment="  缺少制度文件 ").status_code == 200
    assert told(app, "rectification_returned") == ["head_bj", "officer_bj"]
    [item] = inbox(officer, "rectification_returned")
    assert (item["title"], item["link"]) == (f"{letter} 的整改被退回：缺少制度文件", f"/recommendations/{rid}")

    # Submitted again: the inspectors are told again. A long reason is cut in the title (a mail's subject).
    assert fire(head, "recommendations", rid, "submit", report="补充了制度文件").status_code == 200
    assert told(app, "rectification_submitted") == ["inspector", "inspector", "inspector2", "inspector2"]
    reason = "补充材料不全，\n缺少签字页。" * 30
    assert fire(inspector, "recommendations", rid, "reject", comment=reason).status_code == 200
    newest = inbox(head, "rectification_returned")[0]["title"]
    assert newest == f"{letter} 的整改被退回：" + ("补充材料不全， 缺少签字页。" * 15)[:199] + "…"
    # Verified at last: nobody is told.
    assert fire(officer, "recommendations", rid, "submit", report="补签").status_code == 200
    assert fire(inspector, "recommendations", rid, "verify").status_code == 200
    assert sql(app, "SELECT kind, count(*) FROM notifications GROUP BY kind ORDER BY kind") == [
        ("recommendation_issued", 2), ("rectification_returned", 4), ("rectification_submitted", 6)]
    for other in ("head_sh", "leader", "manager", "admin"):
        assert team[other].get("/notifications").get_json()["total"] == 0, other


# The incident collection.

def test_an_incident_collection_tells_every_sales_units_officers_and_head(company, make, app):
    make.unit("JJ", "纪检监察室", kind="inspection")
    make.user("officer_jj", "risk_officer", unit="JJ")
    deadline = (TODAY + timedelta(days=14)).isoformat()
    assert company.manager.post("/incident-rounds", {"quarter": "2026-Q4", "deadline": deadline}).status_code == 201
    assert told(app, "incident_round_opened") == ["head_bj", "officer_bj", "officer_sh"]
    [item] = inbox(company.officer_sh, "incident_round_opened")
    assert item["title"] == f"2026-Q4 风险事件收集已开始，请于 {deadline} 前报送。"
    assert item["link"] == "/incidents/collection"
    # A refused opening (the same quarter again) tells nobody.
    assert company.manager.post("/incident-rounds", {"quarter": "2026-Q4", "deadline": deadline}).status_code == 409
    assert len(told(app, "incident_round_opened")) == 3


# Reports.

def test_a_monthly_draft_reaches_each_risk_managers_mailbox_once(app, home, company, make, run_db, riskflow,
                                                                 monkeypatch):
    monkeypatch.setenv("RISKFLOW_WEBHOOK_URL", "http://robot.test/company")
    make.user("manager2", "risk_manager", email="manager2@example.com")
    make.user("boss", "viewer", email="boss@example.com")
    make.user("former", "risk_manager", email="former@example.com")
    run_db(lambda s: s.execute(update(User).where(User.username == "manager").values(email="manager@example.com")))
    run_db(lambda s: s.execute(update(User).where(User.username == "former").values(active=False)))
    run_db(lambda s: s.execute(update(User).where(User.username == "manager2").values(language="en")))
    graded_company(company)
    assert riskflow("jobs", "run", "monthly_report", "--at", "2026-07-03T08:00:00+08:00") == 0
    assert sql(app, "SELECT kind, status FROM reports") == [("monthly", "draft")]
    [draft_id] = [row[0] for row in sql(app, "SELECT id FROM reports")]
    assert told(app, "report_draft") == ["manager", "manager2"]
    [item] = inbox(company.manager, "report_draft")
    assert (item["title"], item["link"]) == ("《2026年6月风险评估及风险预警应对》草稿待您审核。", f"/reports/{draft_id}")

    def managers_mail():  # the mails of these four (the units' people may get mails of their own events)
        return [m for m in outbox(home) if m[0] in ("manager@example.com", "manager2@example.com",
                                                     "boss@example.com", "former@example.com")]

    assert managers_mail() == []  # mailed by the delivery job, not by the report job
    assert sql(app, "SELECT count(*) FROM webhook_deliveries") == [(0,)]  # for its reviewers, not the group
    assert riskflow("jobs", "run", "notification_delivery") == 0
    expected = [("manager2@example.com", "The draft of 2026-6 risk assessment and warning response waits for your "
                                         "review."),
                ("manager@example.com", "《2026年6月风险评估及风险预警应对》草稿待您审核。")]
    assert managers_mail() == expected
    # Once: the delivery again, the report job again.
    assert riskflow("jobs", "run", "notification_delivery", "--at", "2026-12-31T08:00:00+08:00") == 0
    assert riskflow("jobs", "run", "monthly_report", "--at", "2026-07-03T09:00:00+08:00") == 0
    assert riskflow("jobs", "run", "notification_delivery", "--at", "2026-12-31T08:05:00+08:00") == 0
    assert managers_mail() == expected
    body = next(message_from_bytes(p.read_bytes(), policy=email_policy.default) for p in (home / "outbox").glob("*.eml")
                if "manager@" in p.read_text(errors="replace"))
    assert f"/reports/{draft_id}" in body.get_content()


def test_an_issued_report_tells_who_may_read_reports_but_whoever_issued_it(app, company, make, run_db):
    make.user("manager2", "risk_manager")
    make.unit("JJ", "纪检监察室", kind="inspection")
    run_db(lambda s: s.execute(update(User).where(User.username == "leader").values(language="en")))
    graded_company(company)
    app.config["WEBHOOK_URL"] = "http://robot.test/company"
    draft = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"}).get_json()
    assert told(app, "report_issued") == []  # a draft is not issued
    assert company.manager.post(f"/reports/{draft['id']}/issue", {}).status_code == 200
    # The execution-progress report made with it is not announced on its own.
    # A monthly report: its units' officers and head too (their unit's version; tests/test_eyes16.py).
    assert told(app, "report_issued") == ["admin", "head_bj", "inspector", "leader", "manager2", "officer_bj",
                                          "officer_sh"]
    [item] = inbox(company.inspector, "report_issued")
    assert (item["title"], item["link"]) == ("《2026年6月风险评估及风险预警应对》已签发。", "/reports")
    [item] = inbox(company.leader, "report_issued")
    assert item["title"] == "2026-6 risk assessment and warning response was issued."
    assert sql(app, "SELECT url, content FROM webhook_deliveries WHERE kind = 'report_issued'") == [
        ("http://robot.test/company", "[riskflow] 《2026年6月风险评估及风险预警应对》已签发。\n/reports")]
    # A quarterly pack is issued when made: told at once (it has no unit version: the units' roles are not told).
    made = company.manager.post("/reports", {"kind": "quarterly", "period": "2026-Q3"})
    assert made.status_code == 201, made.get_json()
    assert told(app, "report_issued") == ["admin", "admin", "head_bj", "inspector", "inspector", "leader", "leader",
                                          "manager2", "manager2", "officer_bj", "officer_sh"]
    assert inbox(company.inspector, "report_issued")[0]["title"] == "《2026-Q3 风险事件季度审议材料》已签发。"
    assert inbox(company.leader, "report_issued")[0]["title"] == "Risk event review pack, 2026-Q3 was issued."
    assert sql(app, "SELECT channel, count(*) FROM notifications WHERE kind = 'report_issued' GROUP BY channel") == [
        ("app", 11)]
