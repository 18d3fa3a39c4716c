"""Reports reviewed and issued: the monthly draft, the risk manager's analysis, issuing (mailed once per
subscriber, even when asked twice at once), the Word document, the execution-progress report from actions and
the top-3 risks without an action."""
import io
import threading
from datetime import datetime, timedelta, timezone
from email import message_from_bytes
from email import policy as email_policy
from zoneinfo import ZoneInfo

from docx import Document
from docx.oxml.ns import qn

from conftest import Api, sql
from test_reports import graded_company, pdf_text

ANALYSIS = "六月回款风险上升，建议北京分公司加快清欠并每周报告进展。"
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


def subscribers(run_db, make):
    """The leader (a viewer) and the risk manager get reports by mail."""
    from riskflow.auth.service import user_by_name

    make.user("boss", "viewer", email="boss@example.com")
    run_db(lambda s: setattr(user_by_name(s, "manager"), "email", "manager@example.com"))


def outbox(home) -> list[tuple[str, str]]:
    """(recipient, subject) of every mail written to the outbox, sorted."""
    messages = [message_from_bytes(p.read_bytes(), policy=email_policy.default) for p in (home / "outbox").glob("*.eml")]
    return sorted((str(m["To"]), str(m["Subject"])) for m in messages)


def monthly_draft(company):
    graded_company(company)
    made = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def download(api, url: str) -> bytes:
    response = api.get(url[len("/api/v1"):])
    assert response.status_code == 200, url
    return response.data


def test_a_monthly_report_is_a_draft_until_the_risk_manager_writes_the_analysis_and_issues_it(
        app, home, company, make, run_db):
    subscribers(run_db, make)
    draft = monthly_draft(company)
    assert (draft["status"], draft["commentary"], draft["issued_at"], draft["issued_by"]) == ("draft", "", None, None)
    assert draft["docx_url"] == f"/api/v1/reports/{draft['id']}/download?format=docx"
    assert outbox(home) == []  # nothing goes out before issuing
    url = f"/reports/{draft['id']}"
    # Other roles may not review; bad analyses are refused with the field named and change nothing.
    for api in (company.leader, company.officer_bj, company.inspector):
        assert api.patch(url, {"commentary": ANALYSIS}).status_code == 403
        assert api.post(f"{url}/issue", {}).status_code == 403
    for body in ({"commentary": 12}, {"commentary": "长" * 20001}, {"commentary": None}):
        refused = company.manager.patch(url, body)
        assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["commentary"], body
    assert sql(app, "SELECT commentary, status FROM reports") == [("", "draft")]
    saved = company.manager.patch(url, {"commentary": ANALYSIS})
    assert saved.status_code == 200, saved.get_json()
    assert (saved.get_json()["commentary"], saved.get_json()["status"]) == (ANALYSIS, "draft")
    text = pdf_text(download(company.manager, saved.get_json()["download_url"]))
    # Its own section right after the summary, before the sales performance.
    assert text.index("一、总体情况") < text.index("风险分析与管理建议") < text.index(ANALYSIS[:10]) \
        < text.index("二、销售业绩进展")
    issued = company.manager.post(f"{url}/issue", {})
    assert issued.status_code == 200, issued.get_json()
    body = issued.get_json()
    assert (body["status"], body["issued_by"], body["commentary"]) == ("issued", "manager", ANALYSIS)
    assert body["issued_at"] is not None
    # Each subscriber gets the report and, in its own mail, the execution progress of May's warnings.
    assert outbox(home) == [
        ("boss@example.com", "2026年5月风险评估及风险预警应对执行进度"), ("boss@example.com", "2026年6月风险评估及风险预警应对"),
        ("manager@example.com", "2026年5月风险评估及风险预警应对执行进度"),
        ("manager@example.com", "2026年6月风险评估及风险预警应对")]
    assert sql(app, "SELECT kind, period, status FROM reports ORDER BY id") == [
        ("monthly", "2026-06", "issued"), ("progress", "2026-05", "issued")]
    # Issued: no second issue, no more analysis.
    assert company.manager.post(f"{url}/issue", {}).status_code == 409
    assert company.manager.patch(url, {"commentary": "改"}).status_code == 409
    assert sql(app, "SELECT commentary FROM reports WHERE kind = 'monthly'") == [(ANALYSIS,)]
    assert len(outbox(home)) == 4


def test_an_issued_report_never_changes_and_a_new_revision_is_a_draft_that_keeps_the_analysis(app, company):
    draft = monthly_draft(company)
    url = f"/reports/{draft['id']}"
    assert company.manager.patch(url, {"commentary": ANALYSIS}).status_code == 200
    pdf_before = download(company.manager, draft["download_url"])
    docx_before = download(company.manager, draft["docx_url"])
    assert company.manager.post(f"{url}/issue", {}).status_code == 200
    again = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06", "regenerate": True}).get_json()
    assert (again["revision"], again["status"], again["commentary"]) == (2, "draft", ANALYSIS)
    assert download(company.manager, draft["download_url"]) == pdf_before
    assert download(company.manager, draft["docx_url"]) == docx_before
    # Only the newest revision can be issued.
    third = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06", "regenerate": True}).get_json()
    stale = company.manager.post(f"/reports/{again['id']}/issue", {})
    assert stale.status_code == 409
    assert company.manager.post(f"/reports/{third['id']}/issue", {}).status_code == 200
    assert sql(app, "SELECT revision, status FROM reports WHERE kind = 'monthly' ORDER BY revision") == [
        (1, "issued"), (2, "draft"), (3, "issued")]


def test_the_word_document_has_the_sections_the_analysis_the_figures_and_a_coloured_heat_map(app, company):
    draft = monthly_draft(company)
    company.manager.patch(f"/reports/{draft['id']}", {"commentary": ANALYSIS})
    response = company.manager.get(f"/reports/{draft['id']}/download?format=docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    doc = Document(io.BytesIO(response.data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["一、总体情况", "风险分析与管理建议", "二、销售业绩进展"]
    assert "四、前十大风险" in headings and "各单位措施执行情况" in headings
    assert ANALYSIS in [p.text for p in doc.paragraphs]
    # The summary table: the company's row counts June's grades by level, low to major, and their total.
    levels = dict(sql(app, "SELECT level, count(*) FROM assessments WHERE period = '2026-06' GROUP BY level"))
    LEVEL_COUNTS = [str(levels.get(level, 0)) for level in ("low", "general", "significant", "major")] + ["12"]
    assert LEVEL_COUNTS == ["2", "3", "4", "3", "12"]
    summary = doc.tables[0]
    assert [c.text for c in summary.rows[-1].cells] == ["全公司"] + LEVEL_COUNTS
    # The heat map: likelihood 5 × impact 5 is a major cell, coloured red, holding June's one 5×5 risk.
    heat = next(t for t in doc.tables if t.rows[0].cells[0].text == "可能性＼影响")
    corner = heat.rows[1].cells[5]
    assert corner.text == "1"
    assert corner._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D62828"
    # Fonts named for Word to substitute: body 仿宋, headings 黑体.
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_every_kind_downloads_as_word(company):
    graded_company(company)
    for kind, period, title in (("quarterly", "2026-Q2", "风险事件季度审议材料"), ("annual", "2025", "年度风险管理工作总结"),
                                ("progress", "2026-05", "执行进度")):
        made = company.manager.post("/reports", {"kind": kind, "period": period})
        assert made.status_code == 201, made.get_json()
        assert made.get_json()["status"] == "issued"  # only the monthly report waits for review
        doc = Document(io.BytesIO(download(company.manager, made.get_json()["docx_url"])))
        assert title in doc.paragraphs[0].text, (kind, doc.paragraphs[0].text)


def _action(company, warning_id, title, days):
    made = company.officer_bj.post("/actions", {"title": title, "owner": "head_bj", "warning_id": warning_id,
                                                "due_date": (TODAY + timedelta(days=days)).isoformat()})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_the_execution_progress_report_counts_each_units_actions_from_the_pdf(app, company):
    from riskflow.auth import policy
    from riskflow.reports import service

    graded_company(company)
    may = company.manager.get("/warnings?period=2026-05").get_json()["items"]
    bj = [w for w in may if w["unit"] == "BJ"]
    sh = [w for w in may if w["unit"] == "SH"]
    done = _action(company, bj[0]["id"], "清理渠道库存", 5)
    late = _action(company, bj[0]["id"], "催收逾期货款", 10)
    _action(company, bj[0]["id"], "修订授信制度", 40)
    officer = company.officer_bj
    officer.post(f"/actions/{done['id']}/transitions", {"transition": "start"})
    officer.post(f"/actions/{done['id']}/transitions", {"transition": "submit", "report": "已清理"})
    assert company.manager.post(f"/actions/{done['id']}/transitions", {"transition": "confirm"}).status_code == 200
    with app.app_context():  # read on a day when the second action is past due
        row, built = service.ensure(app, "progress", "2026-05", policy.SYSTEM, today=TODAY + timedelta(days=20))
        assert built
        text = " ".join(pdf_text((service.folder() / row.filename).read_bytes()).split())
    assert "2026年5月风险评估及风险预警应对执行进度" in text
    # Unit, warnings, actions, done, overdue, done rate.
    assert f"北京销售分公司 {len(bj)} 3 1 1 33%" in text
    assert f"单位 风险预警 措施数 已完成 已逾期 完成率 上海销售分公司 {len(sh)} 0 0 0 —" in text
    assert f"全公司 {len(may)} 3 1 1 33%" in text
    assert f"{late['code']} 催收逾期货款 head_bj {(TODAY + timedelta(days=10)).isoformat()} 未开始（已逾期）" in text
    assert f"{done['code']} 清理渠道库存 head_bj {(TODAY + timedelta(days=5)).isoformat()} 已完成" in text
    section = text[text.index("尚无措施的预警"):]
    assert all(w["code"] in section for w in sh) and bj[0]["code"] not in section


def test_the_top_three_without_an_action_are_marked_in_the_report(app, company):
    graded_company(company)
    top = company.manager.get("/major-risks?period=2026-06&top=3").get_json()["items"]
    made = company.manager.post("/actions", {"title": "专项清欠", "owner": "head_bj" if top[0]["unit"] == "BJ" else
                                             "officer_sh", "risk_id": top[0]["id"] if "id" in top[0] else top[0]["risk_id"],
                                             "due_date": (TODAY + timedelta(days=9)).isoformat()})
    assert made.status_code == 201, made.get_json()
    draft = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"}).get_json()
    text = pdf_text(download(company.manager, draft["download_url"]))
    table = text[text.index("四、前十大风险"):text.index("五、")]
    assert table.count("无措施") == 3  # the column heading's word is 措施; two rows say 无措施, and the sentence
    sentence = f"无措施的重大风险：{top[1]['code']}、{top[2]['code']}。"
    assert sentence in table and top[0]["code"] not in table[table.index("无措施的重大风险"):]


def _issue_at_once(apis, url):
    results = []
    barrier = threading.Barrier(len(apis))

    def click(api):
        barrier.wait()
        results.append(api.post(url, {}).status_code)

    threads = [threading.Thread(target=click, args=(api,)) for api in apis]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(results)


def test_two_clicks_at_once_issue_once_and_mail_each_subscriber_once(app, home, company, make, run_db):
    subscribers(run_db, make)
    draft = monthly_draft(company)
    make.user("manager2", "risk_manager")
    apis = [Api(app.test_client(), make.token(name)) for name in ("manager", "manager2", "admin")]
    assert _issue_at_once(apis, f"/reports/{draft['id']}/issue") == [200, 409, 409]
    assert sql(app, "SELECT recipient, count(*) FROM mail_messages GROUP BY recipient ORDER BY recipient") == [
        ("boss@example.com", 2), ("manager@example.com", 2)]
    assert len(outbox(home)) == 4


def test_two_schedulers_with_auto_issue_mail_each_subscriber_once(app, home, company, make, run_db):
    from riskflow.scheduling import scheduler

    subscribers(run_db, make)
    graded_company(company)
    app.config.update(REPORT_AUTO_ISSUE=True, REPORT_POLL_SECONDS=0.02)
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        barrier.wait()
        outcomes.append(scheduler.run(app, "monthly_report", datetime(2026, 7, 3, 0, 0, tzinfo=timezone.utc)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == 2
    assert sql(app, "SELECT kind, status FROM reports ORDER BY id") == [("monthly", "issued"), ("progress", "issued")]
    assert sql(app, "SELECT recipient, count(*) FROM mail_messages GROUP BY recipient ORDER BY recipient") == [
        ("boss@example.com", 2), ("manager@example.com", 2)]


def test_the_day_3_job_makes_a_draft_and_tells_the_risk_managers(app, home, company, make, run_db):
    from riskflow.scheduling import scheduler

    subscribers(run_db, make)
    graded_company(company)
    outcome = scheduler.run(app, "monthly_report", datetime(2026, 7, 3, 0, 0, tzinfo=timezone.utc))
    assert outcome == "monthly_report 2026-06: report r1 built"
    assert sql(app, "SELECT kind, status FROM reports") == [("monthly", "draft")]
    # A notification, mailed at once by the delivery job (the leader, a subscriber of issued reports, gets none).
    assert outbox(home) == []
    scheduler.run(app, "notification_delivery")
    assert outbox(home) == [("manager@example.com", "《2026年6月风险评估及风险预警应对》草稿待您审核。")]
