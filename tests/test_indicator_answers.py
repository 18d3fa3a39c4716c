"""Every breach answered, and the values collected: an indicator's warning on the warnings page with its figures,
cause and explanation; after the report day, last month's missing values on their reporters' to-do lists and on
the risk manager's page, with exact counts before and after the day on a fixed clock."""
import re
from datetime import date

import pytest

from conftest import csrf_token, login
from riskflow import periods
from riskflow.config import ConfigError, finalize, from_environment
from test_indicators_api import expense
from test_todo import tasks_of


def sign_in(client, name):
    """Sign NAME in, signing out whoever was."""
    if client.get("/").status_code == 200:
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, name)


def page(client, path):
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def row(html, warning_id):
    """The warnings page's row of one warning."""
    return html.split(f'id="warning-{warning_id}"', 1)[1].split("</tr>", 1)[0]


def warning_of(api, period, code):
    return next(w for w in api.get(f"/warnings?period={period}").get_json()["items"] if w["code"] == code)


def breach(company, period="2026-03", value=130):
    """BJ's selling expenses over their budget of 100 in PERIOD: an indicator warning with no risk."""
    indicator = expense(company)
    assert company.officer_bj.post(f"/indicators/{indicator['id']}/values",
                                   {"period": period, "value": value}).status_code == 201
    return indicator, warning_of(company.manager, period, "BJ-SELL-EXP")


def row_form(html, warning_id, **typed):
    """The fields of a warning's row as the page drew them, with TYPED (by field name) changed."""
    prefix = f"w{warning_id}-"
    part = row(html, warning_id)
    data = {prefix + "version": re.search(rf'name="{prefix}version"[^>]*value="(\d+)"', part).group(1),
            prefix + "shown": re.search(rf'name="{prefix}shown"[^>]*value="(\w+)"', part).group(1)}
    # A browser drops the newline that opens a textarea's text.
    data[prefix + "response"] = re.search(rf'name="{prefix}response"[^>]*>\r?\n?([^<]*)</textarea>', part).group(1)
    data[prefix + "progress"] = re.search(rf'name="{prefix}progress"[^>]*value="(\d+)"', part).group(1)
    data[prefix + "status"] = re.search(rf'<option selected value="(\w+)"', part.split(f'name="{prefix}status"')[1]
                                        ).group(1)
    if f'name="{prefix}cause"' in part:
        data[prefix + "cause"] = ""
        data[prefix + "explanation"] = ""
    data.update({prefix + name: value for name, value in typed.items()})
    return data


def test_an_indicator_warning_shows_its_figures_and_links_the_indicator(client, company):
    indicator, warning = breach(company)
    login(client, "head_bj")
    status, html = page(client, "/warnings?period=2026-03")
    assert status == 200
    drawn = row(html, warning["id"])
    assert f'<a href="/indicators/{indicator["id"]}">BJ-SELL-EXP</a> 销售费用' in drawn
    assert "北京销售分公司" in drawn
    figures = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", drawn.split('class="figures">')[1].split("</dl>")[0]))
    assert figures.split() == ["当月值", "130", "万元", "实际预算（冲减后）", "100", "万元", "差异", "+30", "万元"]
    assert f'<label for="w{warning["id"]}-cause">偏差原因' in drawn
    assert f'<label for="w{warning["id"]}-explanation">情况说明' in drawn


def test_a_company_wide_indicators_warning_reads_whole_company_and_a_risks_shows_its_indicator(client, company):
    turnover = company.indicator("CO-TURNOVER", "应收账款周转次数", annual=8, measure="次", years=(2026,))
    company.manager.post(f"/indicators/{turnover['id']}/values", {"period": "2026-03", "value": 7.5})
    risk = company.risk()
    linked = company.indicator("BJ-COLLECT", "货款回收率", annual=95, measure="%", unit="BJ", years=(2026,),
                               risk_id=risk["id"])
    company.officer_bj.post(f"/indicators/{linked['id']}/values", {"period": "2026-03", "value": 88})
    login(client, "manager")
    html = page(client, "/warnings?period=2026-03")[1]
    company_row = row(html, warning_of(company.manager, "2026-03", "CO-TURNOVER")["id"])
    assert "全公司" in company_row and "7.5 次" in company_row and "-0.5 次" in company_row
    risk_row = row(html, warning_of(company.manager, "2026-03", risk["code"])["id"])
    assert f'<a href="/risks/{risk["id"]}">{risk["code"]}</a>' in risk_row
    assert f'<a href="/indicators/{linked["id"]}">BJ-COLLECT</a>' in risk_row and "88%" in risk_row \
        and "-7%" in risk_row
    # The dashboard (its newest graded month) and the risk page draw them too.
    company.grade(risk["id"], "2026-03", 1, 1)
    dashboard = client.get("/").get_data(as_text=True)
    assert f'<a href="/indicators/{turnover["id"]}">CO-TURNOVER</a> 应收账款周转次数' in dashboard
    assert f'<a href="/risks/{risk["id"]}">{risk["code"]}</a>' in dashboard
    status, detail = page(client, f"/risks/{risk['id']}")
    assert status == 200 and "指标超出预警线" in detail


def test_the_page_saves_cause_and_explanation_with_the_response(client, company):
    indicator, warning = breach(company)
    login(client, "head_bj")
    html = page(client, "/warnings?period=2026-03")[1]
    i = warning["id"]
    data = row_form(html, i, response="压缩下月费用", progress="30", status="in_progress", cause="external",
                    explanation="原材料涨价，促销费用前移")
    response = client.post("/warnings?period=2026-03", data={"csrf_token": csrf_token(client, "/warnings"),
                                                             "back": "/warnings?period=2026-03", **data})
    assert response.status_code == 302
    saved = warning_of(company.manager, "2026-03", "BJ-SELL-EXP")
    assert {k: saved[k] for k in ("response", "progress", "status", "cause", "explanation")} == {
        "response": "压缩下月费用", "progress": 30, "status": "in_progress", "cause": "external",
        "explanation": "原材料涨价，促销费用前移"}
    # Drawn again, the row's fingerprint includes the cause and explanation: sent back as drawn, nothing is saved.
    html = page(client, "/warnings?period=2026-03")[1]
    assert '<option selected value="external">外部因素</option>' in row(html, i)
    again = row_form(html, i, cause="external", explanation="原材料涨价，促销费用前移")
    response = client.post("/warnings?period=2026-03", data={"csrf_token": csrf_token(client, "/warnings"), **again})
    assert response.status_code == 302
    assert warning_of(company.manager, "2026-03", "BJ-SELL-EXP")["version"] == saved["version"]
    # Only the explanation changed: the row is touched and saved.
    changed = row_form(html, i, cause="external", explanation="促销费用前移")
    client.post("/warnings?period=2026-03", data={"csrf_token": csrf_token(client, "/warnings"), **changed})
    assert warning_of(company.manager, "2026-03", "BJ-SELL-EXP")["explanation"] == "促销费用前移"


def test_a_refused_row_keeps_the_typed_cause_and_explanation(client, company):
    indicator, warning = breach(company)
    login(client, "head_bj")
    html = page(client, "/warnings?period=2026-03")[1]
    i = warning["id"]
    data = row_form(html, i, response="压缩下月费用", progress="150", cause="internal", explanation="费用前移" * 1001)
    response = client.post("/warnings?period=2026-03", data={"csrf_token": csrf_token(client, "/warnings"), **data})
    assert response.status_code in (200, 422)
    drawn = row(response.get_data(as_text=True), i)
    assert '<option selected value="internal">内部可控</option>' in drawn
    assert f'id="w{i}-explanation-error"' in drawn and f'id="w{i}-progress-error"' in drawn
    assert re.search(rf'aria-invalid="true"[^>]*id="w{i}-explanation"|id="w{i}-explanation"[^>]*aria-invalid="true"',
                     drawn)
    assert "费用前移" * 1001 in drawn and re.search(r">\s*压缩下月费用</textarea>", drawn)
    saved = warning_of(company.manager, "2026-03", "BJ-SELL-EXP")
    assert (saved["response"], saved["cause"], saved["explanation"]) == ("", None, "")


def test_a_risk_warning_row_posted_without_cause_fields_saves_as_before(client, company):
    risk = company.risk()
    company.grade(risk["id"], "2026-03", 5, 5)
    warning = warning_of(company.manager, "2026-03", risk["code"])
    login(client, "head_bj")
    html = page(client, "/warnings?period=2026-03")[1]
    assert f'name="w{warning["id"]}-cause"' not in row(html, warning["id"])
    data = row_form(html, warning["id"], response="专项催收", progress="10", status="in_progress")
    assert client.post("/warnings?period=2026-03", data={"csrf_token": csrf_token(client, "/warnings"),
                                                         **data}).status_code == 302
    saved = warning_of(company.manager, "2026-03", risk["code"])
    assert (saved["response"], saved["progress"], saved["cause"]) == ("专项催收", 10, None)


def test_the_waiting_filter_and_count_include_indicator_warnings(client, company, monkeypatch):
    monkeypatch.setattr(periods, "today", lambda: date(2026, 4, 2))
    breach(company)
    login(client, "officer_bj")
    assert tasks_of(client)["本单位尚未填写应对措施的预警"] == (1, "/warnings?period=2026-04&todo=respond")
    html = page(client, "/warnings?period=2026-04&todo=respond")[1]
    assert "2026-03 预警应对执行进度 (1)" in html and "BJ-SELL-EXP" in html


def test_the_risk_manager_is_asked_to_answer_company_wide_warnings(client, company, clock):
    clock(date(2026, 4, 2))
    breach(company)  # BJ's: not the risk manager's to answer
    turnover = company.indicator("CO-TURNOVER", "应收账款周转次数", annual=8, measure="次", years=(2026,))
    company.manager.post(f"/indicators/{turnover['id']}/values", {"period": "2026-03", "value": 7.5})
    company.manager.post(f"/indicators/{turnover['id']}/values", {"period": "2026-02", "value": 7})
    login(client, "manager")
    link = "/warnings?period=2026-04&unit=-&todo=respond"
    assert tasks_of(client)["尚未填写应对措施的全公司指标预警"] == (1, link)
    html = page(client, link)[1]
    assert "2026-03 预警应对执行进度 (1)" in html and "CO-TURNOVER" in html and "BJ-SELL-EXP" not in html
    assert '<option value="-" selected>全公司</option>' in html
    company.manager.patch(f"/warnings/{warning_of(company.manager, '2026-03', 'CO-TURNOVER')['id']}",
                          {"response": "加快回款", "cause": "internal", "explanation": "大客户回款延迟"})
    assert "尚未填写应对措施的全公司指标预警" not in tasks_of(client)
    # A unit's roles have no such filter: "-" is an unknown unit to them.
    sign_in(client, "head_bj")
    assert "筛选条件无效，已显示全部预警。" in page(client, link)[1]


# ---- collection --------------------------------------------------------------------------------------------

def indicators_to_collect(company, make):
    """BJ: two indicators without an owner and one owned by head_bj; SH: one; company-wide: one, and one owned by
    officer_sh; an inactive BJ one. March's values: BJ's first one recorded."""
    make.user("officer_bj2", "risk_officer", unit="BJ")
    bj = [expense(company, code=f"BJ-EXP-{n}") for n in (1, 2)]
    owned = expense(company, code="BJ-EXP-3", owner="head_bj")
    sh = expense(company, unit="SH", code="SH-EXP-1")
    whole = company.indicator("CO-TURNOVER", "应收账款周转次数", annual=8, measure="次", years=(2026,))
    company.indicator("CO-DEBT", "资产负债率", rule="above_target", annual=60, measure="%", years=(2026,),
                      owner="officer_sh")
    off = expense(company, code="BJ-EXP-OFF")
    assert company.manager.patch(f"/indicators/{off['id']}", {"active": False, "version": off["version"]}
                                 ).status_code == 200
    company.officer_bj.post(f"/indicators/{bj[0]['id']}/values", {"period": "2026-03", "value": 80})
    return bj, owned, sh, whole


@pytest.fixture
def clock(monkeypatch):
    """Set the date the app reads: clock(date(...))."""
    return lambda day: monkeypatch.setattr(periods, "today", lambda: day)


def indicator_tasks(client):
    return {label: task for label, task in tasks_of(client).items() if "指标" in label}


def test_before_the_report_day_nothing_is_listed(client, company, make, clock):
    indicators_to_collect(company, make)
    clock(date(2026, 4, 5))
    for name in ("officer_bj", "head_bj", "officer_sh", "manager"):
        sign_in(client, name)
        assert indicator_tasks(client) == {}, name
    html = page(client, "/indicators/missing")[1]
    assert "2026-03 的指标数值应于 2026-04-05 前报送" in html and "BJ-EXP-2" not in html


def test_after_the_report_day_each_reporter_sees_their_missing_values(client, company, make, clock):
    indicators_to_collect(company, make)
    clock(date(2026, 4, 6))
    sheet = "/indicators/sheet?period=2026-03"
    expected = {
        "officer_bj": {"尚未填报的 2026-03 指标数值": (1, sheet)},  # BJ-EXP-2 (BJ-EXP-1 recorded, BJ-EXP-3 owned)
        "officer_bj2": {"尚未填报的 2026-03 指标数值": (1, sheet)},
        "head_bj": {"尚未填报的 2026-03 指标数值": (1, sheet)},  # BJ-EXP-3, its own
        "officer_sh": {"尚未填报的 2026-03 指标数值": (2, sheet)},  # SH-EXP-1 and CO-DEBT, owned
        "manager": {"尚未填报的 2026-03 指标数值": (1, sheet),  # CO-TURNOVER
                    "全公司缺报的 2026-03 指标数值": (5, "/indicators/missing")},
        "leader": {},
    }
    for name, tasks in expected.items():
        sign_in(client, name)
        assert indicator_tasks(client) == tasks, name


def test_a_recorded_value_leaves_the_list(client, company, make, clock):
    bj, owned, sh, whole = indicators_to_collect(company, make)
    clock(date(2026, 4, 20))
    company.officer_bj.post(f"/indicators/{bj[1]['id']}/values", {"period": "2026-03", "value": 90})
    sign_in(client, "officer_bj")
    assert indicator_tasks(client) == {}
    sign_in(client, "manager")
    assert indicator_tasks(client)["全公司缺报的 2026-03 指标数值"][0] == 4


def test_the_report_day_is_a_setting(app, client, company, make, clock):
    indicators_to_collect(company, make)
    clock(date(2026, 4, 6))
    app.config["INDICATOR_DAY"] = 10
    login(client, "officer_bj")
    assert indicator_tasks(client) == {}
    clock(date(2026, 4, 11))
    assert indicator_tasks(client) == {"尚未填报的 2026-03 指标数值": (1, "/indicators/sheet?period=2026-03")}


def test_the_setting_is_read_from_the_environment_and_checked(tmp_path):
    assert from_environment({"RISKFLOW_HOME": str(tmp_path)})["INDICATOR_DAY"] == 5
    config = from_environment({"RISKFLOW_HOME": str(tmp_path), "RISKFLOW_INDICATOR_DAY": "12"})
    assert config["INDICATOR_DAY"] == 12
    with pytest.raises(ConfigError, match="RISKFLOW_INDICATOR_DAY"):
        finalize(from_environment({"RISKFLOW_HOME": str(tmp_path), "RISKFLOW_INDICATOR_DAY": "31"}))
    with pytest.raises(ConfigError, match="RISKFLOW_INDICATOR_DAY"):
        from_environment({"RISKFLOW_HOME": str(tmp_path), "RISKFLOW_INDICATOR_DAY": "五"})


def test_the_risk_managers_page_lists_missing_values_per_unit_since_when(client, company, make, clock):
    bj, owned, sh, whole = indicators_to_collect(company, make)
    company.officer_bj.post(f"/indicators/{bj[0]['id']}/values", {"period": "2026-01", "value": 80})
    clock(date(2026, 4, 6))
    login(client, "manager")
    status, html = page(client, "/indicators/missing")
    assert status == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "2026-03 有 5 项指标数值未在报送日前填报。" in text
    sections = re.findall(r'<section class="card missing-values" id="missing-(\w+)">\s*<h2>([^<]+)</h2>', html)
    assert sections == [("BJ", "北京销售分公司 (2)"), ("SH", "上海销售分公司 (1)"), ("company", "全公司 (2)")]
    bj_rows = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="missing-BJ"')[1].split("</table>")[0]))
    # Defined today, so each is missing since its report day; head_bj reports the one they own.
    assert "BJ-EXP-2 销售费用 本单位风险管理员 2026-03 2026-04-06" in bj_rows
    assert "BJ-EXP-3 销售费用 head_bj 2026-03 2026-04-06" in bj_rows
    assert f'href="/indicators/{owned["id"]}"' in html
    assert 'href="/indicators/sheet?period=2026-03"' in html
    for name in ("officer_bj", "head_bj", "leader", "inspector"):
        sign_in(client, name)
        assert client.get("/indicators/missing").status_code == 403, name


def test_since_when_follows_a_run_of_missing_months(app, company, make):
    from riskflow.db import session_scope
    from riskflow.indicators import collection
    from riskflow.auth.models import User
    from sqlalchemy import select, text

    bj, owned, sh, whole = indicators_to_collect(company, make)
    company.officer_bj.post(f"/indicators/{bj[1]['id']}/values", {"period": "2025-12", "value": 80})
    with app.extensions["riskflow.engine"].begin() as con:  # defined long ago
        con.execute(text("UPDATE indicators SET created_at = '2025-01-01 00:00:00'"))
    with app.test_request_context(), session_scope(app) as session:
        manager = session.scalar(select(User).where(User.username == "manager"))
        period, groups = collection.missing_by_unit(session, manager, date(2026, 4, 6))
        found = {m.indicator.code: (m.first, m.months, m.since.isoformat()) for g in groups for m in g.items}
    assert period == "2026-03"
    assert found["BJ-EXP-2"] == ("2026-01", 3, "2026-02-06")
    assert found["SH-EXP-1"] == ("2025-04", 12, "2025-05-06")
