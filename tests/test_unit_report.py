"""The unit version of the monthly report (本单位版): a unit's own rows, the company as totals, only after issue,
only the caller's own unit; its mail to subscribing unit heads; the quarterly pack and the annual summary mailed
when made; the annual job."""
from datetime import datetime, timezone
from email import message_from_bytes
from email import policy as email_policy
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from conftest import Api, sql
from riskflow.scheduling import scheduler
from test_reports import pdf_text

SHANGHAI = ZoneInfo("Asia/Shanghai")
# title: (unit, May's grade, June's grade)
RISKS = {"北京价格风险": ("BJ", (2, 2), (5, 5)), "北京回款风险": ("BJ", (3, 3), (2, 2)), "北京合同风险": ("BJ", None, (1, 2)),
         "上海运力风险": ("SH", (2, 2), (4, 5)), "上海库存风险": ("SH", (1, 1), (5, 4)), "上海票据风险": ("SH", None, (3, 3))}


def execute(app, statement: str) -> None:
    """Run an UPDATE (sql() reads rows)."""
    from sqlalchemy import text

    from riskflow.db import session_scope

    with app.app_context(), session_scope(app) as s:
        s.execute(text(statement))


def world(company, make, app):
    """BJ's and SH's risks graded in May and June (June: warnings on both), SH's head, everyone with an address."""
    make.user("head_sh", "unit_head", unit="SH")
    execute(app, "UPDATE users SET email = username || '@example.com'")
    for title, (unit, may, june) in RISKS.items():
        risk = company.risk(title, unit=unit)
        if may:
            company.grade(risk["id"], "2026-05", *may)
        company.grade(risk["id"], "2026-06", *june)


def api(client, make, username) -> Api:
    return Api(client, make.token(username))


def draft(company) -> int:
    made = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def flat(data: bytes) -> str:
    """A PDF's text without the line breaks a long sentence wraps at."""
    return pdf_text(data).replace("\n", "")


def outbox(home):
    """(recipient, subject, {attachment name: bytes}) of every mail in the outbox, sorted."""
    found = []
    for path in sorted((home / "outbox").glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=email_policy.default)
        files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
        found.append((str(message["To"]), " ".join(str(message["Subject"]).split()), files))
    return sorted(found, key=lambda m: (m[0], m[1]))


def test_the_unit_version_holds_the_units_rows_and_the_company_as_totals(app, home, company, make, client):
    world(company, make, app)
    report_id = draft(company)
    head_bj = company.head_bj
    # A draft has no unit version, for anyone.
    for who in (head_bj, company.manager):
        assert who.get(f"/reports/{report_id}/download?unit=BJ").status_code == 404
    assert company.manager.post(f"/reports/{report_id}/issue", {}).status_code == 200
    response = head_bj.get(f"/reports/{report_id}/download?unit=BJ")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith("monthly-2026-06-r1-BJ.pdf")
    text = flat(response.data)
    assert "2026年6月风险评估及风险预警应对" in text and "北京销售分公司" in text
    for code in ("BJ-001", "BJ-002", "BJ-003"):
        assert code in text
    # Nothing of SH: no code, no title, not its name.
    assert "SH-0" not in text and "上海" not in text
    levels = dict(sql(app, "SELECT r.code, a.level FROM assessments a JOIN risks r ON r.id = a.risk_id "
                           "WHERE a.period = '2026-06'"))
    company_counts = {level: sum(1 for v in levels.values() if v == level)
                      for level in ("major", "significant", "general", "low")}
    bj = {level: sum(1 for c, v in levels.items() if v == level and c.startswith("BJ"))
          for level in ("major", "significant", "general", "low")}
    warnings = dict(sql(app, "SELECT substr(r.code, 1, 2), count(*) FROM warnings w JOIN risks r ON r.id = w.risk_id "
                             "WHERE w.period = '2026-06' GROUP BY substr(r.code, 1, 2)"))
    assert warnings["SH"] > 0  # SH's warnings are counted in the company's total, never listed
    assert (f"北京销售分公司：2026-06 共评估风险 3 项，其中重大风险 {bj['major']} 项、重要风险 {bj['significant']} 项、"
            f"一般风险 {bj['general']} 项、低风险 {bj['low']} 项；发出预警 {warnings['BJ']} 项。") in text
    assert (f"全公司合计：共评估风险 6 项，其中重大风险 {company_counts['major']} 项、重要风险 {company_counts['significant']} 项、"
            f"一般风险 {company_counts['general']} 项、低风险 {company_counts['low']} 项；"
            f"预警 {warnings['BJ'] + warnings['SH']} 项；应评估风险 6 项，已评估 6 项。") in text
    # The Word document says the same.
    docx = head_bj.get(f"/reports/{report_id}/download?unit=BJ&format=docx")
    assert docx.status_code == 200 and docx.headers["Content-Disposition"].endswith("monthly-2026-06-r1-BJ.docx")
    # Built once, at issue, beside the report.
    assert sorted(p.name for p in (home / "reports" / "units").glob("*.pdf")) == [
        "monthly-2026-06-r1-BJ.pdf", "monthly-2026-06-r1-SH.pdf"]


def test_a_unit_reads_only_its_own_version_the_company_any(app, company, make, client):
    world(company, make, app)
    report_id = draft(company)
    assert company.manager.post(f"/reports/{report_id}/issue", {}).status_code == 200
    head_sh = api(client, make, "head_sh")
    url = f"/reports/{report_id}/download?unit="
    assert head_sh.get(url + "BJ").status_code == 404
    assert company.officer_bj.get(url + "SH").status_code == 404
    assert company.officer_bj.get(url + "BJ").status_code == 200
    sh = head_sh.get(url + "SH")
    assert sh.status_code == 200 and "SH-001" in flat(sh.data) and "北京" not in flat(sh.data)
    for who in (company.manager, company.leader, company.inspector):
        assert who.get(url + "BJ").status_code == 200 and who.get(url + "SH").status_code == 200
    assert company.manager.get(url + "XX").status_code == 404
    assert company.manager.get(f"/reports/{report_id + 99}/download?unit=BJ").status_code == 404
    # The company's report stays closed to a unit's roles.
    assert company.head_bj.get(f"/reports/{report_id}/download").status_code == 403


def test_a_subscribing_unit_head_gets_the_units_version_by_mail_once(app, home, company, make, client):
    from riskflow.reports import units

    world(company, make, app)
    login_head = app.test_client()
    from conftest import csrf_token, login

    login(login_head, "head_bj")
    saved = login_head.post("/profile/report-mail", data={"csrf_token": csrf_token(login_head, "/profile"),
                                                          "choice": "on"})
    assert saved.status_code == 302
    assert sql(app, "SELECT username FROM users WHERE notify_reports") == [("head_bj",)]
    execute(app, "UPDATE users SET language = 'en' WHERE username = 'head_bj'")
    report_id = draft(company)
    assert outbox(home) == []
    assert company.manager.post(f"/reports/{report_id}/issue", {}).status_code == 200
    with app.app_context():
        from riskflow.db import session_scope
        from riskflow.reports.models import Report

        with session_scope(app) as s:  # asked again (another process): still one mail
            assert units.queue_mail(app, s, s.get(Report, report_id)) == 1
    mails = outbox(home)
    to_heads = [m for m in mails if m[0].startswith("head_")]
    assert [(to, subject, sorted(files)) for to, subject, files in to_heads] == [
        ("head_bj@example.com", "2026-6 risk assessment and warning response: the version of 北京销售分公司",
         ["monthly-2026-06-r1-BJ.pdf"])]
    text = flat(to_heads[0][2]["monthly-2026-06-r1-BJ.pdf"])
    assert "BJ-001" in text and "SH-0" not in text and "上海" not in text
    # The company's subscribers get the company's report and its execution progress, as before.
    assert sorted({to for to, _s, _f in mails}) == ["admin@example.com", "head_bj@example.com", "leader@example.com",
                                                    "manager@example.com"]


def test_the_quarterly_pack_is_mailed_to_the_risk_managers_and_inspectors_when_made(app, home, company, make):
    execute(app, "UPDATE users SET email = username || '@example.com'")
    made = company.manager.post("/reports", {"kind": "quarterly", "period": "2026-Q2"})
    assert made.status_code == 201
    assert [(to, sorted(files)) for to, _subject, files in outbox(home)] == [
        ("inspector@example.com", ["quarterly-2026-Q2-r1.pdf"]), ("manager@example.com", ["quarterly-2026-Q2-r1.pdf"])]
    # Asked for again (not remade): nothing more goes out.
    assert company.manager.post("/reports", {"kind": "quarterly", "period": "2026-Q2"}).status_code == 200
    assert len(outbox(home)) == 2
    # The quarterly job mails the pack it makes, to the same people.
    assert "report r1 built" in scheduler.run(app, "quarterly_incident_review",
                                              datetime(2026, 10, 5, 0, 0, tzinfo=timezone.utc))
    assert [(to, sorted(files)) for to, _subject, files in outbox(home) if "Q3" in next(iter(files))] == [
        ("inspector@example.com", ["quarterly-2026-Q3-r1.pdf"]), ("manager@example.com", ["quarterly-2026-Q3-r1.pdf"])]


def test_the_annual_summary_job_makes_last_years_summary_in_january_and_mails_the_subscribers(app, home, company):
    execute(app, "UPDATE users SET email = username || '@example.com'")
    trigger = CronTrigger.from_crontab(scheduler.DEFAULT_SCHEDULES["annual_summary"], timezone=SHANGHAI)
    assert trigger.get_next_fire_time(None, datetime(2026, 11, 22, tzinfo=SHANGHAI)) == datetime(
        2027, 1, 10, 8, 0, tzinfo=SHANGHAI)
    at = datetime(2026, 1, 10, 8, 0, tzinfo=SHANGHAI)
    assert scheduler.run(app, "annual_summary", at) == "annual_summary 2025: report r1 built"
    assert scheduler.run(app, "annual_summary", at) == "annual_summary 2025: already done or running elsewhere"
    assert sql(app, "SELECT kind, period, revision, status FROM reports") == [("annual", "2025", 1, "issued")]
    assert [(to, subject, sorted(files)) for to, subject, files in outbox(home)] == [
        (f"{name}@example.com", "2025年度风险管理工作总结", ["annual-2025-r1.pdf"]) for name in ("admin", "leader", "manager")]
    text = pdf_text(outbox(home)[0][2]["annual-2025-r1.pdf"])
    assert "2025年度风险管理工作总结" in text.replace("\n", "")


def test_a_missed_annual_summary_is_caught_up_at_start(app, home, company):
    now = datetime(2026, 3, 1, 12, 0, tzinfo=SHANGHAI)
    outcomes = scheduler.catch_up(app, now)
    assert "annual_summary 2025: report r1 built" in outcomes
    assert not any(o.startswith("annual_summary") for o in scheduler.catch_up(app, now))
    assert sql(app, "SELECT count(*) FROM reports WHERE kind = 'annual'") == [(1,)]
