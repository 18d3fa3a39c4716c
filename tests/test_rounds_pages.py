"""The rounds page without a browser: every refused field named at once, closing asks before locking a unit at 0%."""
import re
from datetime import timedelta

from riskflow import periods
from conftest import csrf_token, login


def errors(html):
    return dict(re.findall(r'<p class="field-error" id="([\w-]+)-error">([^<]*)</p>', html))


def test_the_open_form_names_every_refused_field_and_keeps_what_was_typed(client, company):
    login(client, "manager")
    token = csrf_token(client, "/rounds")
    response = client.post("/rounds", data={"open-csrf_token": token, "open-period": "2026-13", "open-deadline": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert errors(html) == {"open-period": "请使用 YYYY-MM 格式，例如 2026-07。", "open-deadline": "日期必填。"}
    assert 'value="2026-13"' in html
    assert company.manager.get("/rounds/2026-13").status_code == 404


def test_closing_a_round_with_units_at_nothing_graded_waits_for_confirm(app, client, company):
    with app.app_context():
        this, deadline = periods.current(), (periods.today() + timedelta(days=5)).isoformat()
    risk = company.risk(unit="BJ")
    company.risk(unit="SH")
    company.manager.post("/rounds", {"period": this, "deadline": deadline})
    company.grade(risk["id"], this, 2, 2, api=company.officer_bj)
    login(client, "manager")
    token = csrf_token(client, "/rounds")
    html = client.post(f"/rounds/{this}/close", data={"csrf_token": token}).get_data(as_text=True)
    assert f"上海销售分公司尚未评估 {this} 的任何风险" in html and 'name="confirm" value="1"' in html
    assert company.manager.get(f"/rounds/{this}").get_json()["closed"] is False
    response = client.post(f"/rounds/{this}/close", data={"csrf_token": token, "confirm": "1"})
    assert response.status_code == 302
    assert company.manager.get(f"/rounds/{this}").get_json()["closed"] is True


def test_a_round_where_every_unit_has_graded_closes_at_once(app, client, company):
    with app.app_context():
        this, deadline = periods.current(), (periods.today() + timedelta(days=5)).isoformat()
    company.grade(company.risk(unit="BJ")["id"], this, 2, 2, api=company.officer_bj)
    company.risk(unit="BJ")
    company.manager.post("/rounds", {"period": this, "deadline": deadline})
    login(client, "manager")
    response = client.post(f"/rounds/{this}/close", data={"csrf_token": csrf_token(client, "/rounds")})
    assert response.status_code == 302
    assert company.manager.get(f"/rounds/{this}").get_json()["closed"] is True


def test_only_the_risk_manager_manages_rounds_on_the_page(app, client, company):
    with app.app_context():
        this, deadline = periods.current(), (periods.today() + timedelta(days=5)).isoformat()
    company.manager.post("/rounds", {"period": this, "deadline": deadline})
    login(client, "officer_bj")
    token = csrf_token(client, "/incidents/new")
    assert client.post(f"/rounds/{this}/close", data={"csrf_token": token, "confirm": "1"}).status_code == 403
    assert client.post(f"/rounds/{this}/reopen", data={f"reopen-{this}-csrf_token": token}).status_code == 403
    assert company.manager.get(f"/rounds/{this}").get_json()["closed"] is False


def test_a_unit_the_closed_round_was_reopened_for_shows_its_own_deadline(app, client, company):
    with app.app_context():
        this = periods.current()
        round_deadline = (periods.today() + timedelta(days=5)).isoformat()
        new_deadline = (periods.today() + timedelta(days=9)).isoformat()
    company.risk(unit="BJ")
    company.risk(unit="SH")
    company.manager.post("/rounds", {"period": this, "deadline": round_deadline})
    assert company.manager.post(f"/rounds/{this}/close").get_json()["closed"] is True
    assert company.manager.post(f"/rounds/{this}/reopen", {
        "unit": "BJ", "reason": "北京分公司漏报", "deadline": new_deadline}).status_code == 200
    login(client, "manager")
    html = client.get("/rounds").get_data(as_text=True)
    rows = re.findall(r"<tr><td>(\w+)</td>.*?<td data-label=\"轮次\">([^<]*)</td>", html, re.S)
    assert rows[:2] == [("北京销售分公司", f"已重新开放，截止 {new_deadline}"), ("上海销售分公司", "已关闭")]
