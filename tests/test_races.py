"""Races that lost or doubled work: generated codes, sign-in counting, mail delivery, the monthly job.

Every test here runs real parallel threads or processes, on SQLite and (make test-pg) on PostgreSQL."""
from __future__ import annotations

import threading
import time

from conftest import Api, sql


def in_parallel(n: int, work) -> list:
    """WORK(i) for i in 0..N-1, each in its own thread, all released at once; their results in order."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        barrier.wait(timeout=30)
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer is still running"
    return results


def own_api(app, api: Api) -> Api:
    """The same caller through a client of its own (its own request context and database session)."""
    return Api(app.test_client(), api.headers["Authorization"].split()[1])


def created(responses) -> list[tuple[int, object]]:
    return sorted((r.status_code, r.get_json().get("error")) for r in responses if r.status_code != 201)


def test_eight_parallel_risks_get_eight_distinct_codes(app, company):
    company.risk(code="BJ-003")  # codes go on after the highest one in use, as they did one at a time
    responses = in_parallel(8, lambda i: own_api(app, company.manager).post(
        "/risks", {"title": f"并发风险{i}", "unit": "BJ", "category": "price"}))
    assert created(responses) == []
    assert sorted(r.get_json()["code"] for r in responses) == [f"BJ-{n:03d}" for n in range(4, 12)]
    assert company.risk(unit="SH")["code"] == "SH-001"


def test_eight_parallel_incidents_get_eight_distinct_codes(app, company):
    body = {"title": "客户货款被骗", "kind": "loss_event", "occurred_on": "2026-03-31", "discovered_on": "2026-04-02",
            "unit": "BJ"}
    responses = in_parallel(8, lambda i: own_api(app, company.officer_bj).post("/incidents", body))
    assert created(responses) == []
    assert sorted(r.get_json()["code"] for r in responses) == [f"SJ-2026-{n:04d}" for n in range(1, 9)]


def test_eight_parallel_projects_and_letters_get_distinct_numbers(app, team):
    inspector = team["inspector"]
    body = {"year": 2026, "title": "应收账款管理效能监察", "kind": "sales_collection", "method": "efficiency_audit",
            "lead_unit": "JJ"}
    responses = in_parallel(8, lambda i: own_api(app, inspector).post("/supervision-projects", body))
    assert created(responses) == []
    assert sorted(r.get_json()["code"] for r in responses) == [f"XJ-2026-{n:03d}" for n in range(1, 9)]
    project_id = responses[0].get_json()["id"]
    for step in ("file", "start_monitoring"):
        assert inspector.post(f"/supervision-projects/{project_id}/transitions", {"transition": step}).status_code == 200
    letter = {"finding": "大客户欠款超过信用额度", "recommendation": "建立客户信用动态评估机制", "responsible_unit": "BJ"}
    responses = in_parallel(8, lambda i: own_api(app, inspector).post(
        f"/supervision-projects/{project_id}/recommendations", letter))
    assert created(responses) == []
    with app.app_context():
        from riskflow import periods

        year = periods.today().year
    assert sorted(r.get_json()["letter_no"] for r in responses) == sorted(f"监建〔{year}〕{n}号" for n in range(1, 9))


def test_an_import_numbers_its_risks_from_the_same_counter_skipping_codes_it_gives(app, home, company, tmp_path,
                                                                                   monkeypatch, capsys):
    from conftest import cli_environment
    from riskflow.cli import main

    for name, value in cli_environment(home).items():
        monkeypatch.setenv(name, value)
    company.risk()  # BJ-001, through the API
    path = tmp_path / "risks.csv"
    path.write_text("title,category,unit,code\n甲,price,BJ,\n乙,price,BJ,BJ-003\n丙,price,BJ,\n丁,price,SH,\n",
                    encoding="utf-8")
    assert main(["import", "risks", str(path)]) == 0, capsys.readouterr()
    assert sql(app, "SELECT title, code FROM risks ORDER BY id") == [
        ("应收账款回收风险", "BJ-001"), ("甲", "BJ-002"), ("乙", "BJ-003"), ("丙", "BJ-004"), ("丁", "SH-001")]
    assert company.risk()["code"] == "BJ-005"


def test_parallel_wrong_passwords_lock_the_account_after_five_however_many_run_at_once(app, home, make):
    """Eight browsers guessing at once through a real server get exactly the answers one browser gets alone:
    four "wrong password", then the fifth failure locks the account, and every later try is "locked"."""
    import re

    import requests

    from browser import free_port
    from test_scale_out import start, wait_healthy

    make.user("li", "viewer")
    port = free_port()
    server = start(home, "serve", "--no-scheduler", "--port", str(port), "--threads", "8")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        browsers = []
        for _ in range(8):
            browser = requests.Session()
            page = browser.get(base + "/login", timeout=10).text
            browsers.append((browser, re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)))

        def guess(i):
            browser, token = browsers[i]
            answers = []
            for n in range(3):
                page = browser.post(base + "/login", data={"username": "li", "password": f"guess-{i}-{n}",
                                                           "csrf_token": token}, timeout=30).text
                answers.append("locked" if "该账户已被暂时锁定" in page else
                               "wrong" if "用户名或密码错误。" in page else page)
            return answers

        answers = [a for each in in_parallel(8, guess) for a in each]
        assert (answers.count("wrong"), answers.count("locked")) == (4, 20), answers
        browser, token = browsers[0]
        page = browser.post(base + "/login", data={"username": "li", "password": "correct-horse",
                                                   "csrf_token": token}, timeout=30).text
        assert "该账户已被暂时锁定" in page
    finally:
        server.terminate()
        server.wait(timeout=15)
    user_id = sql(app, "SELECT id FROM users WHERE username = 'li'")[0][0]
    assert sql(app, "SELECT count(*) FROM change_history WHERE entity = 'user' AND entity_id = :id AND action = 'lock'",
               id=user_id) == [(1,)]


def test_when_the_lock_runs_out_the_count_starts_again(app, client, make):
    from conftest import login

    make.user("li", "viewer")
    for _ in range(5):
        login(client, "li", "bad-password")
    assert "该账户已被暂时锁定" in login(client, "li").get_data(as_text=True)
    with app.extensions["riskflow.engine"].begin() as con:
        from sqlalchemy import text

        con.execute(text("UPDATE users SET locked_until = :past WHERE username = 'li'"),
                    {"past": "2000-01-01 00:00:00"})
    for _ in range(4):
        assert "用户名或密码错误。" in login(client, "li", "bad-password").get_data(as_text=True)
    assert login(client, "li").status_code == 302
    assert sql(app, "SELECT failed_logins, locked_until FROM users WHERE username = 'li'") == [(0, None)]


def queue_mail(app, count: int) -> None:
    from riskflow import mail
    from riskflow.db import session_scope

    with app.app_context(), session_scope(app) as s:
        for n in range(count):
            mail.queue(s, f"reader{n}@example.com", f"消息{n}", "正文")


def test_two_delivery_processes_send_each_queued_message_once(app, home):
    import asyncio

    from aiosmtpd.controller import Controller

    from test_jobs import Inbox, cli, free_port

    class MeetingInbox(Inbox):
        """Holds the first message until a second connection sends one: both processes are then sending."""

        def __init__(self):
            super().__init__()
            self.peers = set()

        async def handle_DATA(self, server, session, envelope):
            self.peers.add(session.peer)
            deadline = asyncio.get_running_loop().time() + 30
            while len(self.peers) < 2 and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.01)
            return await super().handle_DATA(server, session, envelope)

    queue_mail(app, 20)
    inbox, port = MeetingInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = {"RISKFLOW_SMTP_URL": f"smtp://127.0.0.1:{port}"}
        runs = [cli(home, "jobs", "run", "mail_delivery", env=env, background=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120) for run in runs]
    finally:
        controller.stop()
    assert [run.returncode for run in runs] == [0, 0], outputs
    delivered = sorted(int(message["Subject"][2:]) for _, message in inbox.messages)
    assert delivered == list(range(20)), outputs
    assert sql(app, "SELECT state, count(*) FROM mail_messages GROUP BY state") == [("sent", 20)]
    assert sum(int(out.split(": ")[1].split()[0]) for out, _ in outputs) == 20  # each process counts its own


def test_a_message_left_sending_by_a_dead_process_is_sent_after_the_lease(app, home):
    from datetime import timedelta

    from riskflow.db import utcnow
    from test_jobs import cli

    queue_mail(app, 2)
    with app.extensions["riskflow.engine"].begin() as con:
        from sqlalchemy import text

        claimed = {"dead": utcnow() - timedelta(hours=1), "alive": utcnow()}
        for n, who in enumerate(("dead", "alive")):
            con.execute(text("UPDATE mail_messages SET state = 'sending', claimed_by = :who, claimed_at = :at "
                             "WHERE subject = :subject"),
                        {"who": who, "at": claimed[who].replace(tzinfo=None), "subject": f"消息{n}"})
    result = cli(home, "jobs", "run", "mail_delivery")
    assert result.stdout.strip() == "mail_delivery: 1 delivered, 0 still queued", result.stderr
    assert sorted(p.name for p in (home / "outbox").iterdir()) == ["000001.eml"]
    assert sql(app, "SELECT subject, state FROM mail_messages ORDER BY id") == [("消息0", "sent"), ("消息1", "sending")]


def wait_for(check, what: str, seconds: float = 60):
    """Poll CHECK until it is true (returns its value), or fail naming WHAT."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


JOB_AT = "2026-07-03T08:00:00+08:00"


def claim_the_report_elsewhere(app):
    """Another process (the risk manager's "make report" button) has claimed June's report and is building it."""
    from riskflow.auth import policy
    from riskflow.reports import service as reports

    with app.app_context():
        return reports._claim(app, "monthly", "2026-06", 1, policy.SYSTEM, "zh_CN")


def finish_the_other_build(app, row) -> None:
    from riskflow.reports import service as reports

    with app.app_context():
        reports.build_claimed(app, row, today=reports.periods.today())


def run_job(app):
    from datetime import datetime

    from riskflow.scheduling import scheduler

    return scheduler.run(app, "monthly_report", datetime.fromisoformat(JOB_AT))


def job_runs(app):
    return sql(app, "SELECT job_id, slot, state FROM job_runs ORDER BY id")


def test_the_monthly_job_waits_for_a_report_being_built_elsewhere_and_mails_it_once(app, home, company, make):
    make.user("boss", "viewer", email="boss@example.com")
    app.config["REPORT_AUTO_ISSUE"] = True
    app.config["REPORT_POLL_SECONDS"] = 0.02
    other = claim_the_report_elsewhere(app)
    outcome = []
    job = threading.Thread(target=lambda: outcome.append(run_job(app)))
    job.start()
    wait_for(lambda: job_runs(app) == [("monthly_report", "2026-06", "running")], "the job to claim its run")
    finish_the_other_build(app, other)
    job.join(timeout=60)
    assert outcome == ["monthly_report 2026-06: report r1 already there"]
    assert job_runs(app) == [("monthly_report", "2026-06", "done")]
    # The monthly report and its execution progress, once each.
    assert sorted(p.name for p in (home / "outbox").iterdir()) == ["000001.eml", "000002.eml"]
    assert "already done" in run_job(app)
    assert len(list((home / "outbox").iterdir())) == 2


def test_a_job_that_gives_up_waiting_leaves_its_run_to_the_next_one(app, home, company, make):
    make.user("boss", "viewer", email="boss@example.com")
    app.config["REPORT_AUTO_ISSUE"] = True
    app.config["REPORT_WAIT_SECONDS"] = 0
    other = claim_the_report_elsewhere(app)
    assert run_job(app) == "monthly_report 2026-06: being generated elsewhere; left to the next run"
    assert job_runs(app) == []  # released, not left running
    finish_the_other_build(app, other)
    assert run_job(app) == "monthly_report 2026-06: report r1 already there"
    assert job_runs(app) == [("monthly_report", "2026-06", "done")]
    assert sorted(p.name for p in (home / "outbox").iterdir()) == ["000001.eml", "000002.eml"]


def test_a_job_that_fails_releases_its_run(app, home, company, make, monkeypatch):
    from riskflow.reports import service as reports

    make.user("boss", "viewer", email="boss@example.com")
    app.config["REPORT_AUTO_ISSUE"] = True

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(reports, "build_pdf", broken)
    try:
        run_job(app)
    except OSError:
        pass
    assert job_runs(app) == []
    monkeypatch.undo()
    assert run_job(app).startswith("monthly_report 2026-06: report r")
    assert len(list((home / "outbox").iterdir())) == 2  # the monthly report and its execution progress


def test_eight_parallel_risks_typed_with_the_same_code_one_is_added_the_others_told_why(app, company):
    responses = in_parallel(8, lambda i: own_api(app, company.manager).post(
        "/risks", {"title": f"并发风险{i}", "unit": "BJ", "category": "price", "code": "BJ-100"}))
    assert sorted(r.status_code for r in responses) == [201] + [409] * 7
    assert {r.get_json()["error"] for r in responses if r.status_code == 409} == {"风险 BJ-100 已存在。"}
    assert company.manager.get("/risks").get_json()["total"] == 1
