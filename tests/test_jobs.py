"""Scheduled jobs: trigger times, --at, exactly once across processes, a killed generation, catch-up, mail."""
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from email import message_from_bytes as _parse
from email import policy as email_policy
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from apscheduler.triggers.cron import CronTrigger

from conftest import cli_environment, sql
from riskflow.scheduling import scheduler
from test_reports import graded_company

SHANGHAI = ZoneInfo("Asia/Shanghai")


def cli(home, *args, env=None, background=False):
    environment = {**os.environ, **cli_environment(home), **(env or {})}
    command = [sys.executable, "-m", "riskflow.cli", *args]
    if background:
        return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)


def reports_in(app):
    return sql(app, "SELECT kind, period, revision, state FROM reports ORDER BY id")


def test_the_default_trigger_times():
    monthly = CronTrigger.from_crontab(scheduler.DEFAULT_SCHEDULES["monthly_report"], timezone=SHANGHAI)
    quarterly = CronTrigger.from_crontab(scheduler.DEFAULT_SCHEDULES["quarterly_incident_review"], timezone=SHANGHAI)
    daily = CronTrigger.from_crontab(scheduler.DEFAULT_SCHEDULES["overdue_check"], timezone=SHANGHAI)
    now = datetime(2026, 11, 22, 14, 0, tzinfo=SHANGHAI)
    assert monthly.get_next_fire_time(None, now) == datetime(2026, 12, 3, 8, 0, tzinfo=SHANGHAI)
    assert quarterly.get_next_fire_time(None, now) == datetime(2027, 1, 5, 8, 0, tzinfo=SHANGHAI)
    assert daily.get_next_fire_time(None, now) == datetime(2026, 11, 23, 7, 30, tzinfo=SHANGHAI)
    assert scheduler.last_fire(monthly, now, scheduler.LOOKBACK["monthly_report"]) == datetime(
        2026, 11, 3, 8, 0, tzinfo=SHANGHAI)


def test_jobs_list_and_a_configured_time(app, home):
    result = cli(home, "jobs", "list", env={"RISKFLOW_SCHEDULE_MONTHLY_REPORT": "0 9 4 * *"})
    lines = dict(line.split("\t") for line in result.stdout.strip().splitlines())
    assert sorted(lines) == ["annual_summary", "mail_delivery", "monthly_report", "notification_delivery",
                             "notification_digest", "overdue_check", "quarterly_incident_review",
                             "supervision_phase_check"]
    assert lines["monthly_report"].endswith("T09:00:00+08:00") and "-04T" in lines["monthly_report"]
    assert cli(home, "jobs", "run", "no_such_job").returncode == 1


def test_jobs_run_at_computes_last_month_and_runs_once(app, home, company):
    graded_company(company)
    first = cli(home, "jobs", "run", "monthly_report", "--at", "2026-07-03T08:00:00+08:00")
    assert first.returncode == 0, first.stderr
    assert "monthly_report 2026-06: report r1 built" in first.stdout
    again = cli(home, "jobs", "run", "monthly_report", "--at", "2026-07-03T09:00:00+08:00")
    assert "already done" in again.stdout
    assert reports_in(app) == [("monthly", "2026-06", 1, "ready")]
    assert (home / "reports" / "monthly-2026-06-r1.pdf").is_file()


def test_four_concurrent_runs_make_one_report(app, home, company):
    graded_company(company)
    runs = [cli(home, "jobs", "run", "monthly_report", "--at", "2026-07-03T08:00:00+08:00", background=True)
            for _ in range(4)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
    assert reports_in(app) == [("monthly", "2026-06", 1, "ready")]
    assert sorted(p.name for p in (home / "reports").iterdir()) == ["monthly-2026-06-r1.docx", "monthly-2026-06-r1.pdf"]


def test_a_killed_generation_leaves_no_report_and_is_redone(app, home, company):
    graded_company(company)
    slow = cli(home, "jobs", "run", "monthly_report", "--at", "2026-07-03T08:00:00+08:00",
               env={"RISKFLOW_REPORT_PAUSE_SECONDS": "60"}, background=True)
    deadline = time.monotonic() + 60
    while reports_in(app) == [] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert reports_in(app) == [("monthly", "2026-06", 1, "generating")]
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)
    assert reports_in(app) == [("monthly", "2026-06", 1, "generating")]
    assert not (home / "reports" / "monthly-2026-06-r1.pdf").exists()
    # Within the lease another run leaves it alone; once the lease has passed the next run redoes it.
    assert "running elsewhere" in cli(home, "jobs", "run", "monthly_report", "--at", "2026-07-03T09:00:00+08:00").stdout
    redo = cli(home, "jobs", "run", "monthly_report", "--at", "2026-07-03T10:00:00+08:00",
               env={"RISKFLOW_REPORT_LEASE_SECONDS": "0"})
    assert "report r1 built" in redo.stdout, redo.stderr
    assert reports_in(app) == [("monthly", "2026-06", 1, "ready")]


def test_catch_up_runs_what_was_missed_once(app, home, company):
    graded_company(company)
    now = datetime(2026, 7, 20, 12, 0, tzinfo=SHANGHAI)
    outcomes = scheduler.catch_up(app, now)
    assert any("monthly_report 2026-06: report r1 built" in o for o in outcomes)
    assert any("quarterly_incident_review 2026-Q2: report r1 built" in o for o in outcomes)
    assert any(o.startswith("overdue_check 2026-07-20") for o in outcomes)
    assert sorted(reports_in(app)) == [("monthly", "2026-06", 1, "ready"), ("quarterly", "2026-Q2", 1, "ready")]
    assert not any("built" in o for o in scheduler.catch_up(app, now))


def message_from_bytes(data: bytes):
    """A parsed message whose headers read as text."""
    return _parse(data, policy=email_policy.default)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback that keeps what it receives."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, auth_require_tls=False,
                            authenticator=lambda *args: __import__("aiosmtpd.smtp").smtp.AuthResult(success=True))
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_the_monthly_report_reaches_subscribers_by_smtp_with_the_pdf(app, company, make, smtp_server):
    inbox, port = smtp_server
    make.user("boss", "viewer", email="boss@example.com")
    make.user("optout", "viewer", email="optout@example.com")
    make.user("keen", "inspector", email="keen@example.com")  # not mailed by default, may read the report
    with app.app_context():
        from riskflow.auth.service import set_report_mail, user_by_name
        from riskflow.db import session_scope

        with session_scope(app) as s:
            set_report_mail(s, user_by_name(s, "optout"), "off")
            set_report_mail(s, user_by_name(s, "keen"), "on")
    graded_company(company)
    app.config["SMTP_URL"] = f"smtp://riskflow:secret@127.0.0.1:{port}"
    app.config["REPORT_AUTO_ISSUE"] = True  # the company that reviews nothing: the job issues and mails at once
    scheduler.run(app, "monthly_report", datetime(2026, 7, 3, 0, 0, tzinfo=timezone.utc))
    # The monthly report and, in its own mail, the execution progress of May's warnings.
    assert sorted((r[0][0], r[1]["Subject"]) for r in inbox.messages) == [
        ("boss@example.com", "2026年5月风险评估及风险预警应对执行进度"), ("boss@example.com", "2026年6月风险评估及风险预警应对"),
        ("keen@example.com", "2026年5月风险评估及风险预警应对执行进度"), ("keen@example.com", "2026年6月风险评估及风险预警应对")]
    message = next(m for _to, m in inbox.messages if m["Subject"] == "2026年6月风险评估及风险预警应对")
    (attachment,) = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert attachment.get_filename() == "monthly-2026-06-r1.pdf"
    assert attachment.get_payload(decode=True).startswith(b"%PDF-")
    # Running the job again sends nothing more.
    scheduler.run(app, "monthly_report", datetime(2026, 7, 3, 1, 0, tzinfo=timezone.utc))
    assert len(inbox.messages) == 4


def test_without_smtp_mail_goes_to_the_outbox(app, home, company, make):
    make.user("boss", "viewer", email="boss@example.com")
    graded_company(company)
    app.config["REPORT_AUTO_ISSUE"] = True
    scheduler.run(app, "monthly_report", datetime(2026, 7, 3, 0, 0, tzinfo=timezone.utc))
    files = sorted((home / "outbox").glob("*.eml"))
    assert len(files) == 2  # the monthly report, then the execution progress
    message = message_from_bytes(files[0].read_bytes())
    assert message["To"] == "boss@example.com"
    assert any(part.get_content_type() == "application/pdf" for part in message.walk())


def test_a_failed_send_is_kept_and_retried(app, home, company, make, smtp_server, run_db):
    from riskflow.mail import MailMessage

    inbox, port = smtp_server
    make.user("boss", "viewer", email="boss@example.com")
    graded_company(company)
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    app.config["REPORT_AUTO_ISSUE"] = True
    scheduler.run(app, "monthly_report", datetime(2026, 7, 3, 0, 0, tzinfo=timezone.utc))
    queued = run_db(lambda s: [(m.state, m.attempts) for m in s.query(MailMessage)])
    assert queued == [("queued", 1), ("queued", 1)]  # the monthly report and the execution progress
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    scheduler.run(app, "mail_delivery", datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert [r[0] for r in inbox.messages] == [["boss@example.com"], ["boss@example.com"]]
    assert run_db(lambda s: [m.state for m in s.query(MailMessage)]) == ["sent", "sent"]


def test_overdue_check_reminds_by_colour(app, home, make, client):
    from conftest import Api

    make.unit("BJ", "北京销售分公司")
    make.unit("JJ", "纪检监察室", kind="inspection")
    make.user("insp", "inspector", unit="JJ", email="insp@example.com")
    make.user("head", "unit_head", unit="BJ", email="head@example.com")
    insp = Api(client, make.token("insp"))
    project = insp.post("/supervision-projects", {"title": "回款监察", "kind": "sales_collection",
                                                  "method": "efficiency_audit", "lead_unit": "JJ"}).get_json()
    for step in ("file", "start_monitoring"):
        insp.post(f"/supervision-projects/{project['id']}/transitions", {"transition": step})
    insp.post(f"/supervision-projects/{project['id']}/recommendations",
              {"finding": "欠款", "recommendation": "催收", "responsible_unit": "BJ", "due_date": "2099-08-10"})
    outcome = scheduler.run(app, "overdue_check", datetime(2099, 8, 5, 7, 30, tzinfo=SHANGHAI))
    assert outcome == "overdue_check 2099-08-05: 1 reminders"
    subjects = sorted(message_from_bytes(p.read_bytes())["Subject"] for p in (home / "outbox").glob("*.eml"))
    assert subjects == ["蓝色提醒：整改事项 监建〔2026〕1号 将于 2099-08-10 到期"]
    assert "already done" in scheduler.run(app, "overdue_check", datetime(2099, 8, 5, 9, 0, tzinfo=SHANGHAI))
