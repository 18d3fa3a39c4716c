"""Grading sheets signed off, beyond the pages: the to-dos of each role, the round complete only when every
sheet is accepted, a month before sign-off existed, section 8 of the monthly report, another unit's sheet."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from conftest import login, sql
from riskflow import periods, revision
from test_reports import pdf_text
from test_todo import tasks_of


def month_of_two(app, company, period=None):
    """A round (this month unless PERIOD) with two BJ risks and one SH risk, all graded; the period."""
    with app.app_context():
        period = period or periods.current()
        deadline = (periods.today() + timedelta(days=10)).isoformat()
    assert company.manager.post("/rounds", {"period": period, "deadline": deadline}).status_code == 201
    for title, unit in (("甲风险", "BJ"), ("乙风险", "BJ"), ("丙风险", "SH")):
        company.grade(company.risk(title, unit=unit)["id"], period, 2, 3)
    return period


def step(company, who, period, unit, transition, **fields):
    response = getattr(company, who).post(f"/rounds/{period}/units/{unit}/transitions",
                                          {"transition": transition, **fields})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def sheet_tasks(client, username) -> dict:
    """USERNAME's to-dos about grading sheets."""
    login(client, username)
    if 'class="card tasks-card"' not in client.get("/").get_data(as_text=True):
        return {}
    return {label: task for label, task in tasks_of(client).items() if "评估表" in label}


def test_each_role_is_asked_for_its_step_of_the_sheet(app, client, company, api_as):
    company.users["head_sh"] = api_as("head_sh", "unit_head", "SH")
    month = month_of_two(app, company)
    grading = f"/grading?period={month}"
    assert sheet_tasks(app.test_client(), "officer_bj") == {
        f"{month}风险已全部评估：请提交评估表审核": (1, grading)}
    step(company, "officer_bj", month, "BJ", "submit")
    assert sheet_tasks(app.test_client(), "officer_bj") == {}
    assert sheet_tasks(app.test_client(), "head_bj") == {f"审核本单位{month}评估表": (1, grading)}
    assert sheet_tasks(app.test_client(), "head_sh") == {}
    step(company, "head_bj", month, "BJ", "confirm")
    assert sheet_tasks(app.test_client(), "manager") == {
        f"{month}待风险管理部门审核的评估表": (1, f"/rounds#round-{month}")}
    step(company, "manager", month, "BJ", "return", comment="乙风险理由不足")
    assert sheet_tasks(app.test_client(), "officer_bj") == {
        f"本单位{month}评估表被退回：乙风险理由不足": (1, grading)}
    assert sheet_tasks(app.test_client(), "manager") == {}


def test_a_round_is_complete_only_when_every_sheet_is_accepted(app, company, api_as):
    company.users["head_sh"] = api_as("head_sh", "unit_head", "SH")
    month = month_of_two(app, company)
    for unit, officer, head in (("BJ", "officer_bj", "head_bj"), ("SH", "officer_sh", "head_sh")):
        assert company.manager.get(f"/rounds/{month}").get_json()["complete"] is False
        step(company, officer, month, unit, "submit")
        step(company, head, month, unit, "confirm")
        step(company, "manager", month, unit, "accept")
    body = company.manager.get(f"/rounds/{month}").get_json()
    assert body["complete"] is True
    assert [(u["unit"], u["state"]) for u in body["units"]] == [("BJ", "accepted"), ("SH", "accepted")]


def test_a_unit_never_sees_or_steps_another_units_sheet(app, company):
    month = month_of_two(app, company)
    assert company.officer_sh.post(f"/rounds/{month}/units/BJ/transitions",
                                   {"transition": "submit"}).status_code == 404
    assert [u["unit"] for u in company.officer_sh.get(f"/rounds/{month}").get_json()["units"]] == ["SH"]
    assert sql(app, "SELECT DISTINCT state FROM grading_sheets") == [("grading",)]


def test_a_month_before_sign_off_reads_complete_from_its_grades_and_has_no_sheet_to_submit(app, company):
    month = month_of_two(app, company, "2026-01")
    # The round was opened before the grading_sheet workflow was installed (riskflow init after the upgrade).
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text("UPDATE grading_rounds SET opened_at = '2025-12-01 00:00:00'"))
        if not con.execute(text("SELECT 1 FROM workflow_versions WHERE name = 'grading_sheet'")).first():
            con.execute(text("INSERT INTO workflow_versions (name, version, digest, definition, created_at) "
                             "VALUES ('grading_sheet', 1, 'x', '{}', '2026-02-01 00:00:00')"))
    revision.forget_all()
    body = company.manager.get(f"/rounds/{month}").get_json()
    assert body["complete"] is True
    assert [(u["unit"], u["state"]) for u in body["units"]] == [("BJ", None), ("SH", None)]
    refused = company.officer_bj.post(f"/rounds/{month}/units/BJ/transitions", {"transition": "submit"})
    assert refused.status_code == 409
    risk = company.manager.get("/risks?unit=BJ").get_json()["items"][0]
    revised = company.manager.put(f"/risks/{risk['id']}/assessments/{month}",
                                  {"likelihood": 3, "impact": 3, "rationale": "补评"})
    assert revised.status_code == 200, revised.get_json()
    assert [u["state"] for u in company.manager.get(f"/rounds/{month}").get_json()["units"]] == [None, None]


def test_section_8_of_the_monthly_report_shows_each_units_sheet_state(app, company):
    month = month_of_two(app, company, "2026-06")
    step(company, "officer_bj", month, "BJ", "submit")
    step(company, "head_bj", month, "BJ", "confirm")
    step(company, "manager", month, "BJ", "accept")
    step(company, "officer_sh", month, "SH", "submit")
    response = company.manager.post("/reports", {"kind": "monthly", "period": month})
    assert response.status_code == 201, response.get_json()
    pdf = company.manager.get(response.get_json()["download_url"][len("/api/v1"):])
    section = pdf_text(pdf.data)
    section = section[section.index("八、各单位评估完成情况"):]
    assert "评估表" in section
    assert section.index("北京销售分公司") < section.index("风险管理部门已审核") < section.index("上海销售分公司") \
        < section.index("已提交待审核")
