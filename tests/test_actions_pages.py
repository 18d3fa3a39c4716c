"""The action pages through the test client: the list and its filters, an action's page, assigning one from a
warning, the owner choices, and the to-dos that link to the list."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import csrf_token, login, sql

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MONTH = TODAY.strftime("%Y-%m")


def _due(days=20):
    return (TODAY + timedelta(days=days)).isoformat()


def _warning(company):
    risk = company.risk("渠道压货风险")
    company.grade(risk["id"], MONTH, 5, 4)
    return risk, company.manager.get(f"/warnings?period={MONTH}").get_json()["items"][0]


def _action(company, warning, title="清理库存", owner="officer_bj", days=20):
    made = company.manager.post("/actions", {"title": title, "owner": owner, "due_date": _due(days),
                                             "warning_id": warning["id"]})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def _task(html, url):
    """The count of the to-do linking to URL, or None when there is no such to-do."""
    found = re.search(re.escape(f'href="{url}"') + r'>[^<]*</a> <span class="count">(\d+)</span>', html)
    return int(found.group(1)) if found else None


def _codes(html):
    return re.findall(r">(CS-\d{4}-\d{4})<", html)


def test_the_list_shows_a_unit_only_its_own_and_the_filters_the_todos_use(client, company):
    _risk, warning = _warning(company)
    first = _action(company, warning, "清理库存")
    second = _action(company, warning, "调整返利", owner="head_bj", days=3)
    company.officer_bj.post(f"/actions/{first['id']}/transitions", {"transition": "start"})
    company.officer_bj.post(f"/actions/{first['id']}/transitions", {"transition": "submit", "report": "已清理"})
    login(client, "officer_bj")
    html = client.get("/actions").get_data(as_text=True)
    assert _codes(html) == [second["code"], first["code"]]
    assert _codes(client.get("/actions?state=submitted").get_data(as_text=True)) == [first["code"]]
    assert _codes(client.get("/actions?mine=1").get_data(as_text=True)) == [first["code"]]
    assert _codes(client.get("/actions?due=soon").get_data(as_text=True)) == [second["code"]]
    assert _codes(client.get("/actions?overdue=true").get_data(as_text=True)) == []
    _logout(client)
    login(client, "officer_sh")
    assert _codes(client.get("/actions").get_data(as_text=True)) == []
    assert client.get(f"/actions/{first['id']}").status_code == 404


def test_the_todos_count_due_returned_and_submitted_actions(client, company):
    _risk, warning = _warning(company)
    first = _action(company, warning, "清理库存", days=3)
    _action(company, warning, "调整返利", days=30)
    officer, manager = company.officer_bj, company.manager
    officer.post(f"/actions/{first['id']}/transitions", {"transition": "start"})
    officer.post(f"/actions/{first['id']}/transitions", {"transition": "submit", "report": "已清理"})
    login(client, "manager")
    assert _task(client.get("/").get_data(as_text=True), "/actions?state=submitted") == 1
    manager.post(f"/actions/{first['id']}/transitions", {"transition": "return", "comment": "附件不全"})
    _logout(client)
    login(client, "officer_bj")
    html = client.get("/").get_data(as_text=True)
    assert (_task(html, "/actions?returned=1"), _task(html, "/actions?due=soon"),
            _task(html, "/actions?overdue=true"), _task(html, "/actions?state=submitted")) == (1, 1, None, None)
    assert _codes(client.get("/actions?returned=1").get_data(as_text=True)) == [first["code"]]


def test_a_warning_waits_for_confirmation_only_once_all_its_actions_are_done(client, company):
    _risk, warning = _warning(company)
    first = _action(company, warning, "清理库存")
    second = _action(company, warning, "调整返利")
    officer, manager = company.officer_bj, company.manager
    confirm = f"/warnings?period={MONTH}&amp;todo=confirm"
    login(client, "manager")
    for action in (first, second):
        officer.post(f"/actions/{action['id']}/transitions", {"transition": "start"})
        officer.post(f"/actions/{action['id']}/transitions", {"transition": "submit", "report": "已办"})
        assert _task(client.get("/").get_data(as_text=True), "/actions?state=submitted") == 1
        assert _task(client.get("/").get_data(as_text=True), confirm) is None
        manager.post(f"/actions/{action['id']}/transitions", {"transition": "confirm"})
    assert _task(client.get("/").get_data(as_text=True), confirm) == 1
    assert manager.patch(f"/warnings/{warning['id']}", {"status": "done"}).status_code == 200
    assert _task(client.get("/").get_data(as_text=True), confirm) is None


def test_the_new_page_offers_the_owners_the_service_accepts(client, company):
    _risk, warning = _warning(company)
    options = re.compile(r'<option value="([^"]*)"')
    login(client, "manager")
    assert options.findall(client.get(f"/actions/new?warning_id={warning['id']}").get_data(as_text=True)) == [
        "", "officer_bj", "head_bj"]
    # Nothing linked: any unit's officer or head, and the risk managers.
    assert options.findall(client.get("/actions/new").get_data(as_text=True)) == [
        "", "officer_bj", "head_bj", "officer_sh", "manager"]
    assert client.get("/actions/new?warning_id=999").status_code == 404
    assert client.get("/actions/new?warning_id=x").status_code == 404
    _logout(client)
    login(client, "officer_sh")
    assert client.get(f"/actions/new?warning_id={warning['id']}").status_code == 404
    _logout(client)
    login(client, "leader")
    assert client.get("/actions/new").status_code == 403


def test_the_action_list_and_the_warnings_page_run_the_same_statements_for_2_or_10_actions(app, client, company):
    from test_statement_counts import statements_for

    risks = [company.risk(f"风险{i}", unit="BJ" if i % 2 else "SH") for i in range(5)]
    for risk in risks:
        company.grade(risk["id"], MONTH, 5, 4)
    warnings = company.manager.get(f"/warnings?period={MONTH}").get_json()["items"]

    def assign(ws):
        for w in ws:
            owner = "officer_bj" if w["unit"] == "BJ" else "officer_sh"
            for title in ("甲", "乙"):
                assert company.manager.post("/actions", {"title": title, "owner": owner, "due_date": _due(),
                                                         "warning_id": w["id"]}).status_code == 201

    assign(warnings[:1])
    login(client, "manager")
    pages = ("/actions", f"/warnings?period={MONTH}", f"/risks/{warnings[0]['risk_id']}")
    small = [statements_for(app, lambda: client.get(path)) for path in pages]
    assign(warnings[1:])
    large = [statements_for(app, lambda: client.get(path)) for path in pages]
    assert large == small
