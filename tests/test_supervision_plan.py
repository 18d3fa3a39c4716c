"""The year's supervision plan: its default and edited dates, the phase reminders of the daily job, the
projects still open at year end and the inspector's to-do in the mid-year inspection window."""
import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text

from conftest import login, sql
from riskflow import periods
from riskflow.scheduling import scheduler
from riskflow.supervision import plan as year_plan
from test_supervision import fire, new_project, recommend

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULTS_2027 = {
    "preparation_start": "2027-02-01", "preparation_end": "2027-03-31",
    "implementation_start": "2027-04-01", "implementation_end": "2027-11-30",
    "tracking_start": "2027-06-01", "tracking_end": "2027-11-30",
    "inspection_start": "2027-06-01", "inspection_end": "2027-07-31",
    "summary_start": "2027-12-01", "summary_end": "2028-01-31",
}


def test_a_year_without_a_plan_has_the_default_dates(team):
    got = team["head_bj"].get("/supervision-plans/2027")
    assert got.status_code == 200
    assert got.get_json() == {"year": 2027, "stored": False, "notes": "", "version": 0, **DEFAULTS_2027}


def test_the_inspector_sets_a_plan_and_a_stale_version_is_refused(team, app):
    inspector = team["inspector"]
    body = {**DEFAULTS_2027, "preparation_end": "2027-03-15", "inspection_start": "2027-06-15",
            "notes": "年中检查由纪检监察室牵头", "version": 0}
    saved = inspector.put("/supervision-plans/2027", body)
    assert saved.status_code == 200, saved.get_json()
    expected = {**DEFAULTS_2027, "year": 2027, "stored": True, "version": 1, "notes": "年中检查由纪检监察室牵头",
                "preparation_end": "2027-03-15", "inspection_start": "2027-06-15"}
    assert saved.get_json() == expected
    assert team["leader"].get("/supervision-plans/2027").get_json() == expected
    # Someone who read the defaults (version 0) saves over the stored plan: refused, nothing changes.
    stale = team["admin"].put("/supervision-plans/2027", {**DEFAULTS_2027, "version": 0})
    assert stale.status_code == 409 and list(stale.get_json()["errors"]) == ["version"]
    assert inspector.get("/supervision-plans/2027").get_json() == expected
    moved = team["admin"].put("/supervision-plans/2027", {**body, "summary_end": "2028-01-20", "version": 1})
    assert moved.status_code == 200 and moved.get_json()["version"] == 2
    assert sql(app, "SELECT action FROM change_history WHERE entity = 'supervision_plan' ORDER BY id") == [
        ("create",), ("update",)]
    for role in ("head_bj", "officer_bj", "leader", "manager"):
        assert team[role].put("/supervision-plans/2027", {**DEFAULTS_2027, "version": 2}).status_code == 403
    assert inspector.get("/supervision-plans/2027").get_json()["summary_end"] == "2028-01-20"


def test_bad_dates_are_422_at_their_fields_and_nothing_is_stored(team, app):
    inspector = team["inspector"]
    bad = {**DEFAULTS_2027,
           "preparation_end": "2027-01-15",      # before its start
           "inspection_start": "2027-05-20",     # before tracking starts
           "inspection_end": "2027-12-10",       # after tracking ends
           "summary_start": "2027-03-01",        # not after the implementation starts
           "summary_end": "2029-01-31",          # past the next year
           "version": 0}
    refused = inspector.put("/supervision-plans/2027", bad)
    assert refused.status_code == 422
    assert sorted(refused.get_json()["errors"]) == ["inspection_end", "inspection_start", "preparation_end",
                                                    "summary_end", "summary_start"]
    malformed = inspector.put("/supervision-plans/2027", {**DEFAULTS_2027, "tracking_end": "2027-13-01"})
    assert malformed.status_code == 422 and list(malformed.get_json()["errors"]) == ["tracking_end"]
    missing = {k: v for k, v in DEFAULTS_2027.items() if k != "summary_end"}
    assert list(inspector.put("/supervision-plans/2027", missing).get_json()["errors"]) == ["summary_end"]
    assert sql(app, "SELECT count(*) FROM supervision_plans") == [(0,)]
    assert inspector.get("/supervision-plans/2027").get_json()["stored"] is False


def test_phase_on_lists_the_phases_under_way(app):
    plan = year_plan.Plan(2027, year_plan.default_dates(2027))
    assert year_plan.phase_on(plan, date(2027, 1, 31)) == []
    assert year_plan.phase_on(plan, date(2027, 2, 1)) == ["preparation"]
    assert year_plan.phase_on(plan, date(2027, 6, 1)) == ["implementation", "tracking", "inspection"]
    assert year_plan.phase_on(plan, date(2027, 8, 1)) == ["implementation", "tracking"]
    assert year_plan.phase_on(plan, date(2028, 1, 31)) == ["summary"]


def told(app):
    """(username, year, phase, open projects) of each supervision_phase notification, in order."""
    rows = sql(app, "SELECT u.username, n.params FROM notifications n JOIN users u ON u.id = n.user_id "
                    "WHERE n.kind = 'supervision_phase' ORDER BY n.id")
    out = []
    for username, params in rows:
        params = json.loads(params) if isinstance(params, str) else params
        out.append((username, params["year"], params["phase"], params["open_projects"]))
    return out


def run_on(app, day: date) -> str:
    return scheduler.run(app, "supervision_phase_check", datetime(day.year, day.month, day.day, 7, 40,
                                                                  tzinfo=SHANGHAI))


def test_each_phase_start_is_announced_once_to_its_people(team, app, make):
    make.user("retired", "inspector", unit="JJ")
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text("UPDATE users SET active = false WHERE username = 'retired'"))
    # A project of 2031 led by the inspection office with BJ taking part; SH's is cancelled (not open).
    open_one = new_project(team["inspector"], year=2031)
    cancelled = new_project(team["inspector"], year=2031, lead_unit="SH", participating_units=[])
    assert fire(team["inspector"], "supervision-projects", cancelled["id"], "cancel",
                comment="不再立项").status_code == 200

    # The first run ever falls in the last days of 2030's summary: its start, missed, is told now (no project
    # of 2030 is open), the inactive inspector left out.
    assert run_on(app, date(2031, 1, 31)) == "supervision_phase_check 2031-01-31: 2030:summary"
    assert told(app) == [("inspector", 2030, "summary", 0)]
    assert run_on(app, date(2031, 2, 1)) == "supervision_phase_check 2031-02-01: 2031:preparation"
    assert sorted(told(app)[1:]) == [("head_bj", 2031, "preparation", None), ("head_sh", 2031, "preparation", None),
                             ("inspector", 2031, "preparation", None)]
    assert run_on(app, date(2031, 2, 2)) == "supervision_phase_check 2031-02-02: no phase starts"
    assert "already done" in run_on(app, date(2031, 2, 2))
    # The implementation's first day passed without a run: announced at the next run, once.
    assert run_on(app, date(2031, 4, 3)) == "supervision_phase_check 2031-04-03: 2031:implementation"
    assert run_on(app, date(2031, 4, 4)) == "supervision_phase_check 2031-04-04: no phase starts"
    assert sorted(told(app)[4:]) == [("inspector", 2031, "implementation", None)]
    # Tracking and the mid-year inspection start together: the inspection also tells BJ's head (BJ takes part
    # in an open project), not SH's (its project was cancelled).
    assert run_on(app, date(2031, 6, 1)) == "supervision_phase_check 2031-06-01: 2031:tracking, 2031:inspection"
    assert sorted(told(app)[5:]) == [("head_bj", 2031, "inspection", None), ("inspector", 2031, "inspection", None),
                                     ("inspector", 2031, "tracking", None)]
    assert run_on(app, date(2031, 12, 1)) == "supervision_phase_check 2031-12-01: 2031:summary"
    assert sorted(told(app)[8:]) == [("inspector", 2031, "summary", 1)]
    # Into January the summary of last year is still under way and already told.
    assert run_on(app, date(2032, 1, 5)) == "supervision_phase_check 2032-01-05: no phase starts"
    titles = [i["title"] for i in team["inspector"].get("/notifications").get_json()["items"]
              if i["kind"] == "supervision_phase"]
    assert titles[0] == "2031年度效能监察总结阶段：2031-12-01 至 2032-01-31。本年度仍有 1 个项目未结项。"
    assert open_one["year"] == 2031


def test_a_changed_plan_is_what_the_job_reads(team, app):
    body = {**{k: v.replace("2027", "2033").replace("2028", "2034") for k, v in DEFAULTS_2027.items()},
            "preparation_start": "2033-01-10", "version": 0}
    assert team["inspector"].put("/supervision-plans/2033", body).status_code == 200
    assert run_on(app, date(2033, 1, 10)) == "supervision_phase_check 2033-01-10: 2032:summary, 2033:preparation"
    assert run_on(app, date(2033, 2, 1)) == "supervision_phase_check 2033-02-01: no phase starts"


def test_the_projects_still_open_at_year_end(team, app, run_db):
    inspector = team["inspector"]
    draft = new_project(inspector, title="草拟项目")
    monitored = new_project(inspector, title="监督中项目")
    for step in ("file", "start_monitoring"):
        fire(inspector, "supervision-projects", monitored["id"], step)
    recommend(inspector, monitored["id"], unit="BJ")
    recommend(inspector, monitored["id"], unit="SH")
    cancelled = new_project(inspector, title="取消项目")
    fire(inspector, "supervision-projects", cancelled["id"], "cancel", comment="取消")
    new_project(inspector, year=2025, title="上年项目")
    # A unit's proposal the office has not filed is not a project under way (yet).
    proposal = team["head_bj"].post("/supervision-projects", {"year": 2026, "title": "北京自选项目", "kind": "budget",
                                                               "method": "efficiency_audit"})
    assert proposal.status_code == 201 and proposal.get_json()["state"] == "proposed"

    def listed(username):
        def read(s):
            from riskflow.auth import service as auth_service
            actor = auth_service.user_by_name(s, username)
            return [(row.project.code, row.project.state, row.open_recommendations)
                    for row in year_plan.open_at_year_end(s, actor, 2026)]
        return run_db(read)

    assert listed("inspector") == [(draft["code"], "draft", 0), (monitored["code"], "monitoring", 2)]
    # SH's head sees the project recommending to SH, and only SH's recommendation in its count.
    assert listed("head_sh") == [(monitored["code"], "monitoring", 1)]


def test_the_inspectors_to_do_lists_projects_without_a_mid_year_inspection_in_the_window(team, app, client,
                                                                                         run_db):
    with app.app_context():
        today = periods.today()
    year = today.year
    whole = {f"{phase}_{end}": (date(year, 1, 1) if end == "start" else date(year, 12, 31)).isoformat()
             for phase in year_plan.PHASES for end in ("start", "end")}
    whole.update(summary_start=date(year, 1, 2).isoformat(), summary_end=date(year + 1, 1, 2).isoformat())
    inspector = team["inspector"]
    under_way, second = new_project(inspector, year=year, title="监督中"), new_project(inspector, year=year)
    for project in (under_way, second):
        for step in ("file", "start_monitoring"):
            fire(inspector, "supervision-projects", project["id"], step)
    new_project(inspector, year=year, title="仍是草拟")
    login(client, "inspector")
    label = "尚未年中检查的项目"

    def count_on_the_dashboard():
        page = client.get("/").get_data(as_text=True)
        if label not in page:
            return None
        return int(re.search(r">\s*(\d+)\s*<", page.split(label, 1)[1]).group(1))

    window = {**whole, "inspection_start": today.isoformat(), "inspection_end": today.isoformat(), "version": 0}
    assert inspector.put(f"/supervision-plans/{year}", window).status_code == 200
    assert count_on_the_dashboard() == 2

    def inspect(s):
        from riskflow.supervision.models import SupervisionInspection
        s.add(SupervisionInspection(project_id=under_way["id"], held_on=today, methods=["report"], rating="good"))
    run_db(inspect)
    assert count_on_the_dashboard() == 1
    # Outside the window the line is not there.
    other = date(year, 1, 1) if today != date(year, 1, 1) else date(year, 12, 31)
    assert inspector.put(f"/supervision-plans/{year}", {**window, "inspection_start": other.isoformat(),
                                                       "inspection_end": other.isoformat(),
                                                       "version": 1}).status_code == 200
    assert count_on_the_dashboard() is None


def test_a_year_no_plan_can_have_is_refused(team, client):
    assert team["leader"].get("/supervision-plans/1999").status_code == 422
    refused = team["inspector"].put("/supervision-plans/9999", {**DEFAULTS_2027, "version": 0})
    assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["year"]
    login(client, "inspector")
    with client.application.app_context():
        this_year = periods.today().year
    page = client.get("/supervision/plan?year=9999")
    assert page.status_code == 200 and f"{this_year}年度效能监察计划" in page.get_data(as_text=True)
