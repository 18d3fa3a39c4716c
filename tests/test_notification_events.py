"""The register's events: a round opened (or reopened for one unit), a grading sheet returned, a warning raised
(by a grade, an indicator's breach, an import). Exactly who is told, in what words, and the group robots'
messages; warnings raised in bulk cost the same few statements however many there are."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from conftest import sql
from riskflow import periods
from riskflow.auth.models import Unit
from riskflow.auth.service import user_by_name
from riskflow.db import session_scope
from riskflow.notifications import events
from riskflow.register import transfer
from riskflow.register.models import RiskWarning
from test_statement_counts import counting

BASE = "https://riskflow.example.com"
COMPANY_ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=company"
BJ_ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=bj"


@pytest.fixture
def robots(app, run_db):
    """The company's robot (RISKFLOW_WEBHOOK_URL) and BJ's; SH has none. Links are made absolute."""
    app.config.update(WEBHOOK_URL=COMPANY_ROBOT, BASE_URL=BASE)
    run_db(lambda s: s.execute(update(Unit).where(Unit.code == "BJ").values(webhook_url=BJ_ROBOT)))


def told(app, kind) -> list[tuple[str, str]]:
    """(username, link) of every notification of KIND, by username."""
    return [tuple(row) for row in sql(app, "SELECT u.username, n.link FROM notifications n JOIN users u "
                                           "ON u.id = n.user_id WHERE n.kind = :kind ORDER BY u.username, n.id",
                                      kind=kind)]


def titles(api, kind) -> list[str]:
    return [item["title"] for item in api.get("/notifications").get_json()["items"] if item["kind"] == kind]


def posted(app, kind) -> list[tuple]:
    """(unit code or None, url, content) of every group message of KIND."""
    return [tuple(row) for row in sql(app, "SELECT u.code, w.url, w.content FROM webhook_deliveries w LEFT JOIN units u "
                                           "ON u.id = w.unit_id WHERE w.kind = :kind ORDER BY w.id", kind=kind)]


def forget(app) -> None:
    """Drop every notification and group message so far (those of the steps before the one tested)."""
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text("DELETE FROM notifications"))
        con.execute(text("DELETE FROM webhook_deliveries"))


def deadline(app, days=10) -> str:
    with app.app_context():
        return (periods.today() + timedelta(days=days)).isoformat()


def this_month(app) -> str:
    with app.app_context():
        return periods.current()


# round_opened

def test_opening_a_round_tells_every_units_people_and_the_other_risk_managers(app, company, api_as, robots):
    company.users["manager2"] = api_as("manager2", "risk_manager")
    day = deadline(app)
    assert company.manager.post("/rounds", {"period": "2026-11", "deadline": day}).status_code == 201
    link = "/grading?period=2026-11"
    # Not the risk manager who opened it, nor the inspector, the leader or the administrator.
    assert told(app, "round_opened") == [("head_bj", link), ("manager2", link), ("officer_bj", link),
                                         ("officer_sh", link)]
    assert titles(company.officer_sh, "round_opened") == [f"2026-11 风险评估轮次已开放，请于 {day} 前完成评估。"]
    for nobody in ("manager", "inspector", "leader", "admin"):
        assert company.users[nobody].get("/notifications").get_json()["total"] == 0, nobody
    # Company-wide: the company's robot only, not BJ's.
    assert posted(app, "round_opened") == [
        (None, COMPANY_ROBOT, f"[riskflow] 2026-11 风险评估轮次已开放，请于 {day} 前完成评估。\n{BASE}{link}")]


def test_a_round_opened_without_a_company_robot_posts_nothing(app, company):
    assert company.manager.post("/rounds", {"period": "2026-11", "deadline": deadline(app)}).status_code == 201
    assert len(told(app, "round_opened")) == 3
    assert sql(app, "SELECT count(*) FROM webhook_deliveries") == [(0,)]


def test_reopening_a_round_for_a_still_grading_unit_tells_only_that_unit_its_new_deadline(app, company, robots):
    month = this_month(app)
    assert company.manager.post("/rounds", {"period": month, "deadline": deadline(app)}).status_code == 201
    assert company.manager.post(f"/rounds/{month}/close").status_code == 200
    forget(app)
    later = deadline(app, 5)
    reopened = company.manager.post(f"/rounds/{month}/reopen", {"unit": "BJ", "reason": "补录新增风险",
                                                                 "deadline": later})
    assert reopened.status_code == 200, reopened.get_json()
    link = f"/grading?period={month}"
    assert told(app, "round_opened") == [("head_bj", link), ("officer_bj", link)]
    assert titles(company.head_bj, "round_opened") == [f"{month} 风险评估轮次已开放，请于 {later} 前完成评估。"]
    assert told(app, "sheet_returned") == []
    assert posted(app, "round_opened") == [
        ("BJ", BJ_ROBOT, f"[riskflow] {month} 风险评估轮次已开放，请于 {later} 前完成评估。\n{BASE}{link}")]


# sheet_returned

def _month_submitted(app, company, api_as):
    """This month's round with BJ's two risks graded, BJ's sheet submitted and confirmed; SH has a head too."""
    company.users["head_sh"] = api_as("head_sh", "unit_head", "SH")
    month = this_month(app)
    assert company.manager.post("/rounds", {"period": month, "deadline": deadline(app)}).status_code == 201
    for title in ("甲风险", "乙风险"):
        company.grade(company.risk(title, unit="BJ")["id"], month, 2, 2)
    step(company, "officer_bj", month, "submit")
    return month


def step(company, who, month, transition, **fields):
    response = company.users[who].post(f"/rounds/{month}/units/BJ/transitions", {"transition": transition, **fields})
    assert response.status_code == 200, response.get_json()


def test_a_sheet_returned_by_the_risk_manager_tells_the_units_officer_and_head_why(app, company, api_as, robots):
    month = _month_submitted(app, company, api_as)
    step(company, "head_bj", month, "confirm")
    step(company, "manager", month, "return", comment="乙风险理由不足")
    link = f"/grading?period={month}"
    assert told(app, "sheet_returned") == [("head_bj", link), ("officer_bj", link)]
    title = f"北京销售分公司 {month} 的评估表被退回：乙风险理由不足"
    assert titles(company.officer_bj, "sheet_returned") == [title]
    for nobody in ("officer_sh", "head_sh", "manager", "inspector", "leader", "admin"):
        assert titles(company.users[nobody], "sheet_returned") == [], nobody
    assert posted(app, "sheet_returned") == [("BJ", BJ_ROBOT, f"[riskflow] {title}\n{BASE}{link}")]


def test_a_sheet_returned_by_the_unit_head_tells_the_officer_only(app, company, api_as):
    month = _month_submitted(app, company, api_as)
    step(company, "head_bj", month, "return", comment="甲风险影响偏低")
    assert told(app, "sheet_returned") == [("officer_bj", f"/grading?period={month}")]
    assert titles(company.officer_bj, "sheet_returned") == [f"北京销售分公司 {month} 的评估表被退回：甲风险影响偏低"]
    assert sql(app, "SELECT count(*) FROM webhook_deliveries") == [(0,)]  # no robot for BJ here


def test_reopening_a_round_returns_a_submitted_sheet_and_says_why_once(app, company, api_as):
    month = _month_submitted(app, company, api_as)
    assert company.manager.post(f"/rounds/{month}/close").status_code == 200
    forget(app)
    reopened = company.manager.post(f"/rounds/{month}/reopen", {"unit": "BJ", "reason": "甲风险需重新评估",
                                                                 "deadline": deadline(app, 3)})
    assert reopened.status_code == 200, reopened.get_json()
    link = f"/grading?period={month}"
    assert told(app, "sheet_returned") == [("head_bj", link), ("officer_bj", link)]
    assert titles(company.head_bj, "sheet_returned") == [f"北京销售分公司 {month} 的评估表被退回：甲风险需重新评估"]
    assert told(app, "round_opened") == []  # the returned sheet's notification says it; not twice


# warning_raised

def test_a_grade_that_warns_tells_the_units_officer_and_head(app, company, api_as, robots):
    company.users["head_sh"] = api_as("head_sh", "unit_head", "SH")
    risk = company.risk("重大价格风险")
    company.grade(risk["id"], "2026-05", 5, 4)
    company.grade(company.risk("平稳风险", unit="SH")["id"], "2026-05", 2, 2)  # no warning
    link = "/warnings?period=2026-05&unit=BJ#warning-1"  # the unit's list at the warning's row
    assert told(app, "warning_raised") == [("head_bj", link), ("officer_bj", link)]
    assert titles(company.officer_bj, "warning_raised") == ["2026-05 新预警：BJ-001 重大价格风险。"]
    for nobody in ("officer_sh", "head_sh", "manager", "inspector", "leader", "admin"):
        assert company.users[nobody].get("/notifications").get_json()["total"] == 0, nobody
    assert posted(app, "warning_raised") == [
        ("BJ", BJ_ROBOT, f"[riskflow] 2026-05 新预警：BJ-001 重大价格风险。\n{BASE}{link}")]
    # A regrade that keeps the warning tells nobody again.
    assert company.manager.put(f"/risks/{risk['id']}/assessments/2026-05",
                                  {"likelihood": 5, "impact": 5}).status_code == 200
    assert len(told(app, "warning_raised")) == 2


def test_a_company_wide_indicators_breach_tells_the_risk_managers(app, company, robots):
    indicator = company.indicator("KRI-COST", "销售费用", rule="above_target", annual=120)
    breached = company.manager.post(f"/indicators/{indicator['id']}/values", {"period": "2026-06", "value": 130})
    assert breached.get_json()["breached"] is True
    link = "/warnings?period=2026-06&unit=-#warning-1"  # the company-wide ones (全公司)
    assert told(app, "warning_raised") == [("manager", link)]
    assert titles(company.manager, "warning_raised") == ["2026-06 新预警：KRI-COST 销售费用。"]
    assert posted(app, "warning_raised") == [
        (None, COMPANY_ROBOT, f"[riskflow] 2026-06 新预警：KRI-COST 销售费用。\n{BASE}{link}")]


def test_a_units_indicator_breach_tells_that_unit(app, company, robots):
    indicator = company.indicator("SH-COLLECT", "上海货款回收率", unit="SH")
    breached = company.officer_sh.post(f"/indicators/{indicator['id']}/values", {"period": "2026-06", "value": 80})
    assert breached.get_json()["breached"] is True
    assert told(app, "warning_raised") == [("officer_sh", "/warnings?period=2026-06&unit=SH#warning-1")]
    assert titles(company.officer_sh, "warning_raised") == ["2026-06 新预警：SH-COLLECT 上海货款回收率。"]
    assert posted(app, "warning_raised") == []  # SH has no robot


def test_an_import_tells_its_warnings_in_one_insert(app, company):
    codes = [company.risk(f"风险{i}")["code"] for i in range(3)]
    rows = [{"编号": code, "发生可能性": "5", "影响程度": "4"} for code in codes]
    with counting(app) as statements:
        with app.app_context(), session_scope(app) as s:
            assert transfer.import_assessments(s, user_by_name(s, "manager"), rows, "2026-05") == 3
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS")]
    assert len(inserts) == 1
    links = [f"/warnings?period=2026-05&unit=BJ#warning-{i}" for i in (1, 2, 3)]
    assert told(app, "warning_raised") == [("head_bj", link) for link in links] + \
        [("officer_bj", link) for link in links]


def test_an_import_that_fails_tells_nobody(app, company):
    code = company.risk("风险")["code"]
    rows = [{"编号": code, "发生可能性": "5", "影响程度": "4"}, {"编号": "BJ-404", "发生可能性": "1", "影响程度": "1"}]
    with app.app_context(), session_scope(app) as s:
        with pytest.raises(Exception):
            transfer.import_assessments(s, user_by_name(s, "manager"), rows, "2026-05")
    assert sql(app, "SELECT count(*) FROM notifications") == [(0,)]


def test_warnings_raised_in_bulk_cost_the_same_statements_for_10_as_for_100(app, company, make, robots):
    make.user("head_sh", "unit_head", unit="SH")
    indicator = company.indicator("KRI-COST", "销售费用", rule="above_target", annual=120)
    assert company.manager.post(f"/indicators/{indicator['id']}/values",
                                {"period": "2026-06", "value": 130}).status_code == 201
    for i in range(100):
        company.grade(company.risk(f"风险{i}", unit="BJ" if i % 2 else "SH")["id"], "2026-06", 5, 4)
    forget(app)

    def raise_again(n):
        with app.app_context(), session_scope(app) as s:
            warnings = list(s.scalars(select(RiskWarning).order_by(RiskWarning.id).limit(n)))
            assert len(warnings) == n
            with counting(app) as statements:
                events.warning_raised(s, warnings)
        return statements

    few, many = raise_again(10), raise_again(101)
    # 7: the units' codes for the links (each warning opens its unit's list at its row) are one more query.
    assert len(few) == len(many) <= 7, "\n".join(s[:90] for s in many)
    # The company-wide warning to the risk manager, each risk's to its unit's two people (the first 10: the
    # indicator's and 9 risks'; then all 101).
    assert sql(app, "SELECT count(*) FROM notifications") == [(1 + 9 * 2 + 1 + 100 * 2,)]
    # Group messages: the company's robot and BJ's, one message a group for the warnings raised together (SH has
    # none): the first 10 hold 4 of BJ's, the 101 hold 50.
    assert sql(app, "SELECT kind, unit_id IS NULL, content LIKE '%（4 条）%' OR content LIKE '%（50 条）%' "
                    "FROM webhook_deliveries ORDER BY id") == [("warning_raised", True, False),
                                                               ("warning_raised", False, True)] * 2


def test_a_warning_raised_and_withdrawn_by_the_same_import_tells_nobody(app, company):
    code = company.risk("风险")["code"]
    rows = [{"编号": code, "发生可能性": "5", "影响程度": "4"}, {"编号": code, "发生可能性": "1", "影响程度": "1"}]
    with app.app_context(), session_scope(app) as s:
        assert transfer.import_assessments(s, user_by_name(s, "manager"), rows, "2026-05") == 2
    assert sql(app, "SELECT count(*) FROM warnings") == [(0,)]
    assert sql(app, "SELECT count(*) FROM notifications") == [(0,)]


def test_a_warning_of_a_unit_with_nobody_to_tell_still_reaches_its_group(app, company, make, run_db):
    make.unit("GZ", "广州销售分公司")  # no officer, no head
    run_db(lambda s: s.execute(text("UPDATE units SET webhook_url = 'http://robot.test/gz' WHERE code = 'GZ'")))
    risk = company.risk("广州价格风险", unit="GZ")
    company.grade(risk["id"], "2026-05", 5, 5)
    assert told(app, "warning_raised") == []
    [(content,)] = sql(app, "SELECT content FROM webhook_deliveries")
    assert content.startswith(f"[riskflow] 2026-05 新预警：{risk['code']} 广州价格风险。\n/warnings?period=2026-05&unit=GZ#warning-")
