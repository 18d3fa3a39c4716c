"""Each role's "waiting on me", and the warnings' rules: counts within the user's scope, links to the
filtered lists, the cache kept per data revision and date, `done` as the risk manager's confirmation."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from conftest import csrf_token, login
from riskflow import periods, revision
from test_supervision import fire, new_project, recommend


def tasks_of(client) -> dict[str, tuple[int, str]]:
    """The dashboard's to-do list as {label: (count, link)}."""
    html = client.get("/").get_data(as_text=True)
    section = html.split('class="card tasks-card"', 1)[1].split("</section>", 1)[0]
    return {label.strip(): (int(count), link.replace("&amp;", "&")) for link, label, count in re.findall(
        r'<a href="([^"]+)">([^<]+)</a>\s*<span class="count">(\d+)</span>', section)}


@pytest.fixture
def now(app):
    """(this month, today) in the configured zone."""
    with app.app_context():
        day = periods.today()
    return periods.of(day), day


def open_round(company, period, deadline):
    response = company.manager.post("/rounds", {"period": period, "deadline": deadline.isoformat()})
    assert response.status_code == 201, response.get_json()


def set_due(app, rec_id, due):
    """Move a recommendation's due date (the API refuses past ones), as if it had been issued long ago."""
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text("UPDATE recommendations SET due_date = :d WHERE id = :i"), {"d": due, "i": rec_id})
    revision.forget_all()


def test_an_officer_sees_the_months_grading_and_the_warnings_without_a_response(client, company, now):
    month, today = now
    risks = [company.risk(f"北京风险{i}") for i in range(3)]
    company.risk("上海风险", unit="SH")
    last = periods.previous(month)
    company.grade(risks[0]["id"], last, 5, 5)  # a major risk: a warning
    company.grade(risks[1]["id"], last, 4, 4)  # significant: a warning, answered below
    sh = company.manager.get(f"/warnings?period={last}&unit=SH").get_json()
    assert sh["total"] == 0
    answered = company.manager.get(f"/warnings?period={last}").get_json()["items"][1]
    company.officer_bj.patch(f"/warnings/{answered['id']}", {"response": "专项催收", "progress": 40})
    open_round(company, month, today + timedelta(days=10))
    login(client, "officer_bj")
    deadline = (today + timedelta(days=10)).isoformat()
    assert tasks_of(client) == {
        f"{month} 风险评估：已评估 0/3，截止 {deadline}": (3, f"/grading?period={month}"),
        "本单位尚未填写应对措施的预警": (1, f"/warnings?period={last}&todo=respond"),
    }
    company.grade(risks[0]["id"], month, 2, 2, api=company.officer_bj)
    assert tasks_of(client)[f"{month} 风险评估：已评估 1/3，截止 {deadline}"] == (2, f"/grading?period={month}")


def test_the_unit_head_sees_the_units_progress_and_overdue_items(app, client, company, make, now):
    month, today = now
    for i in range(2):
        company.risk(f"北京风险{i}")
    open_round(company, month, today + timedelta(days=2))
    make.unit("JJ", "纪检监察室", kind="inspection")
    pid = new_project(company.inspector)["id"]
    fire(company.inspector, "supervision-projects", pid, "file")
    fire(company.inspector, "supervision-projects", pid, "start_monitoring")
    late = recommend(company.inspector, pid)["id"]
    recommend(company.inspector, pid, unit="SH")
    set_due(app, late, today - timedelta(days=3))
    login(client, "head_bj")
    deadline = (today + timedelta(days=2)).isoformat()
    tasks = tasks_of(client)
    assert tasks[f"本单位 {month} 评估进度：已评估 0/2，截止 {deadline}"] == (2, f"/heatmap?period={month}&unit=BJ")
    assert tasks["逾期未整改事项"] == (1, "/recommendations?overdue=1")
    assert tasks["待接收的监察建议"] == (1, "/recommendations?state=issued")


def test_the_risk_manager_sees_rounds_near_their_deadline_warnings_to_confirm_and_the_report(client, company, now):
    month, today = now
    last = periods.previous(month)
    bj, sh = company.risk("北京风险"), company.risk("上海风险", unit="SH")
    company.grade(bj["id"], last, 5, 5)
    company.grade(sh["id"], last, 5, 4)
    items = company.manager.get(f"/warnings?period={last}").get_json()["items"]
    company.head_bj.patch(f"/warnings/{items[0]['id']}", {"response": "已完成清收", "progress": 100,
                                                          "status": "in_progress"})
    open_round(company, month, today + timedelta(days=3))
    company.grade(bj["id"], month, 1, 1, api=company.officer_bj)
    login(client, "manager")
    deadline = (today + timedelta(days=3)).isoformat()
    assert tasks_of(client) == {
        f"尚未完成 {month} 评估的单位：评估轮次于 {deadline} 截止（剩余 3 天）": (1, "/rounds"),
        "已报告完成、待您确认的预警": (1, f"/warnings?period={month}&todo=confirm"),
        f"{last} 月度报告尚未生成": (1, "/reports"),
    }


def test_an_inspector_sees_verifications_recommendations_by_colour_and_projects_by_state(app, client, company,
                                                                                       make, now):
    today = now[1]
    make.unit("JJ", "纪检监察室", kind="inspection")
    pid = new_project(company.inspector, year=today.year)["id"]
    fire(company.inspector, "supervision-projects", pid, "file")
    fire(company.inspector, "supervision-projects", pid, "start_monitoring")
    new_project(company.inspector, year=today.year)
    red, yellow, blue, later = (recommend(company.inspector, pid)["id"] for _ in range(4))
    set_due(app, red, today - timedelta(days=31))
    set_due(app, yellow, today)
    set_due(app, blue, today + timedelta(days=7))
    login(client, "inspector")
    year = today.year
    assert tasks_of(client) == {
        "红色督办的监察建议": (1, "/recommendations?colour=red"),
        "黄色通报的监察建议": (1, "/recommendations?colour=yellow"),
        "蓝色提醒的监察建议": (1, "/recommendations?colour=blue"),
        f"{year} 年处于“草拟”状态的监察项目": (1, f"/supervision?year={year}#lane-draft"),
        f"{year} 年处于“监督检查”状态的监察项目": (1, f"/supervision?year={year}#lane-monitoring"),
    }
    html = client.get("/recommendations?colour=red").get_data(as_text=True)
    assert re.findall(r"监建〔\d+〕\d+号", html) == [f"监建〔{year}〕1号"]


def test_the_leader_sees_the_months_top_three_and_red_items(client, company, now):
    month = periods.previous(now[0])
    for i, (l, im) in enumerate(((5, 5), (5, 4), (4, 3), (3, 3), (1, 1))):
        company.grade(company.risk(f"风险{i}")["id"], month, l, im)
    login(client, "leader")
    tasks = tasks_of(client)
    assert tasks[f"{month} 排名前三的重大风险"] == (3, f"/heatmap?period={month}")
    assert tasks[f"{month} 红色（重大）等级的风险"] == (2, f"/risks?period={month}&level=major")
    html = client.get("/").get_data(as_text=True)
    assert re.findall(r'<li class="task-item"><a href="/risks/\d+">(BJ-\d+)', html) == ["BJ-001", "BJ-002", "BJ-003"]


def test_counts_stay_within_the_unit(client, company, now):
    last = periods.previous(now[0])
    for unit in ("BJ", "SH", "SH"):
        company.grade(company.risk(unit=unit)["id"], last, 5, 5)
    login(client, "officer_sh")
    assert tasks_of(client)["本单位尚未填写应对措施的预警"][0] == 2
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "officer_bj")
    assert tasks_of(client)["本单位尚未填写应对措施的预警"][0] == 1


def test_a_task_that_depends_on_the_date_is_not_served_from_yesterday(client, company, monkeypatch, now):
    month, today = now
    company.risk()
    open_round(company, month, today + timedelta(days=4))
    login(client, "manager")
    assert f"尚未完成 {month} 评估的单位（截止 {(today + timedelta(days=4)).isoformat()}）" in tasks_of(client)
    monkeypatch.setattr(periods, "today", lambda: today + timedelta(days=1))
    assert f"尚未完成 {month} 评估的单位：评估轮次于 {(today + timedelta(days=4)).isoformat()} 截止（剩余 3 天）" \
        in tasks_of(client)


def test_the_dashboard_says_when_its_month_is_still_being_graded(client, company, now):
    month = now[0]
    risks = [company.risk(f"北京风险{i}") for i in range(3)] + [company.risk("上海风险", unit="SH")]
    company.grade(risks[0]["id"], month, 3, 3, api=company.officer_bj)
    login(client, "manager")
    html = client.get("/").get_data(as_text=True)
    assert f"{month} 评估进行中：已评估 1/4" in html
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "officer_bj")
    html = client.get("/").get_data(as_text=True)
    assert f"{month} 评估进行中：北京销售分公司 已评估 1/3" in html
    for risk in risks[1:3]:
        company.grade(risk["id"], month, 1, 1, api=company.officer_bj)
    assert "评估进行中" not in client.get("/").get_data(as_text=True)


# Warnings: `done` is the risk manager's confirmation, and only at 100 %.

@pytest.fixture
def warning(company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 5, 5)
    return company.manager.get("/warnings?period=2026-05").get_json()["items"][0]


def test_a_unit_role_may_not_confirm_a_warning(company, warning):
    path = f"/warnings/{warning['id']}"
    for api in (company.head_bj, company.officer_bj):
        response = api.patch(path, {"response": "完成", "progress": 100, "status": "done"})
        assert response.status_code == 403
        assert response.get_json()["error"] == "只有风险管理部门可以确认预警应对已完成。"
    assert company.head_bj.patch(path, {"response": "完成", "progress": 100}).status_code == 200
    assert company.manager.patch(path, {"status": "done"}).status_code == 200
    # Once confirmed, the unit no longer changes it.
    assert company.head_bj.patch(path, {"progress": 90}).status_code == 403
    saved = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    assert (saved["response"], saved["progress"], saved["status"]) == ("完成", 100, "done")


def test_done_below_full_progress_is_refused_with_the_reason(company, warning):
    path = f"/warnings/{warning['id']}"
    company.head_bj.patch(path, {"response": "部分完成", "progress": 30})
    response = company.manager.patch(path + "?lang=en", {"status": "done"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "status": ["A warning is confirmed done only at 100% progress; it is at 30%."]}
    assert company.manager.patch(path, {"status": "done", "progress": 100}).status_code == 200


def test_the_page_offers_done_only_to_the_risk_manager(client, company, warning):
    login(client, "head_bj")
    html = client.get("/warnings?period=2026-05").get_data(as_text=True)
    select = re.search(rf'<select[^>]*name="w{warning["id"]}-status".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option[^>]*value="(\w+)"', select) == ["open", "in_progress"]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "manager")
    html = client.get("/warnings?period=2026-05").get_data(as_text=True)
    select = re.search(rf'<select[^>]*name="w{warning["id"]}-status".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option[^>]*value="(\w+)"', select) == ["open", "in_progress", "done"]


def test_the_page_refuses_done_at_30_percent_at_the_field(client, company, warning):
    login(client, "manager")
    token = csrf_token(client, "/warnings?period=2026-05")
    prefix = f"w{warning['id']}-"
    response = client.post("/warnings?period=2026-05", data={
        "csrf_token": token, prefix + "response": "部分完成", prefix + "progress": "30", prefix + "status": "done",
        prefix + "version": "1", "back": "/warnings?period=2026-05"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{prefix}status-error">只有进度达到 100% 的预警才能确认完成；当前进度为 30%。</p>' in html
    assert '部分完成</textarea>' in html and 'value="30"' in html
    assert company.manager.get("/warnings?period=2026-05").get_json()["items"][0]["status"] == "open"


def test_a_refused_row_that_the_filter_no_longer_lists_is_still_named(client, company, warning):
    login(client, "head_bj")
    token = csrf_token(client, "/warnings?period=2026-05&status=open")
    company.officer_bj.patch(f"/warnings/{warning['id']}", {"response": "风险管理员的回复", "status": "in_progress"})
    prefix = f"w{warning['id']}-"
    response = client.post("/warnings?period=2026-05&status=open", data={
        "csrf_token": token, prefix + "response": "负责人的回复", prefix + "progress": "20",
        prefix + "status": "open", prefix + "version": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<li><a href="#warning-\d+">BJ-001</a>：BJ-001 的预警在您读取之后已被他人修改', html)
    assert company.manager.get("/warnings?period=2026-05").get_json()["items"][0]["response"] == "风险管理员的回复"
