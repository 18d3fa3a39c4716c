"""The library's pages: recording, answering the quarter, the meeting."""
from datetime import timedelta

from conftest import csrf_token, login
from riskflow import periods


def test_recording_an_incident_through_the_form(client, company):
    risk = company.risk()
    login(client, "officer_bj")
    token = csrf_token(client, "/incidents/new")
    response = client.post("/incidents/new", data={
        "csrf_token": token, "title": "油品被盗", "kind": "loss_event", "unit": "BJ", "occurred_on": "2026-05-03",
        "discovered_on": "2026-05-04", "loss_type": "external_fraud", "gross_loss": "8000", "recoveries": "2000",
        "reputation": "1", "compliance": "0", "safety": "0", "environment": "0", "operations": "2",
        "risk_ids": [str(risk["id"])]})
    assert response.status_code == 302
    body = company.manager.get("/incidents").get_json()["items"][0]
    assert (body["title"], body["quarter"], body["net_loss"], body["losses"]["operations"], body["risk_ids"]) == (
        "油品被盗", "2026-Q2", 6000.0, 2, [risk["id"]])
    html = client.get(f"/risks/{risk['id']}").get_data(as_text=True)
    assert "油品被盗" in html


def test_a_future_date_on_the_form_is_refused_in_chinese(app, client, company):
    with app.app_context():
        tomorrow = (periods.today() + timedelta(days=1)).isoformat()
    login(client, "officer_bj")
    token = csrf_token(client, "/incidents/new")
    response = client.post("/incidents/new", data={"csrf_token": token, "title": "x", "kind": "near_miss",
                                                    "unit": "BJ", "occurred_on": tomorrow, "discovered_on": tomorrow})
    assert "该日期在今天之后。" in response.get_data(as_text=True)
    assert company.manager.get("/incidents").get_json()["total"] == 0


def test_a_unit_answers_the_quarter_with_a_nil_report_from_the_page(client, company):
    company.manager.post("/incident-rounds", {"quarter": "2026-Q2", "deadline": "2099-01-01"})
    login(client, "officer_sh")
    token = csrf_token(client, "/incidents/collection?quarter=2026-Q2")
    form = {"nil-csrf_token": token, "quarter": "2026-Q2", "action": "nil"}
    # The nil report is sent only with its confirmation ticked.
    unconfirmed = client.post("/incidents/collection", data=form).get_data(as_text=True)
    assert "请勾选确认本单位本季度没有发生风险事件。" in unconfirmed
    assert company.manager.get("/incident-rounds/2026-Q2").get_json()["units"][1]["status"] == "missing"
    client.post("/incidents/collection", data={**form, "nil-nil": "y"})
    units = company.manager.get("/incident-rounds/2026-Q2").get_json()["units"]
    assert [(u["unit"], u["status"], u["nil"]) for u in units] == [("BJ", "missing", False), ("SH", "done", True)]


def test_the_meeting_page_reviews_the_ticked_incidents(client, company):
    from test_incidents import incident

    a = incident(company.manager, occurred_on="2026-04-03", discovered_on="2026-04-03").get_json()
    b = incident(company.manager, occurred_on="2026-04-05", discovered_on="2026-04-05").get_json()
    login(client, "manager")
    token = csrf_token(client, "/incidents/meetings?quarter=2026-Q2")
    response = client.post("/incidents/meetings", data={
        "csrf_token": token, "quarter": "2026-Q2", "held_on": "2026-07-10", "attendees": "全体风险管理员",
        "conclusions": "加强审核", "actions": "", f"review_{a['id']}": "1", f"conclusion_{a['id']}": "已整改"})
    assert response.status_code == 302
    assert company.manager.get(f"/incidents/{a['id']}").get_json()["state"] == "reviewed"
    assert company.manager.get(f"/incidents/{b['id']}").get_json()["state"] == "reported"
    html = client.get("/incidents/meetings?quarter=2026-Q2").get_data(as_text=True)
    assert "全体风险管理员" in html and "已整改" in html


def test_the_library_pages_its_incidents_and_totals_every_quarter_in_one_aggregate(app, client, company):
    import re

    from conftest import sql
    from test_incidents import incident

    for n in range(55):
        occurred = "2026-02-10" if n % 2 else "2026-05-10"
        body = {"occurred_on": occurred, "discovered_on": occurred, "losses": {"financial": 1000 + n},
                "recoveries": n, "kind": "near_miss" if n % 5 == 0 else "loss_event"}
        assert incident(company.manager, **body).status_code == 201
    login(client, "manager")
    first = client.get("/incidents").get_data(as_text=True)
    assert "(55)" in first and len(re.findall(r'href="/incidents/\d+"', first)) == 50
    assert 'href="/incidents?page=2"' in first
    second = client.get("/incidents?page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/incidents/\d+"', second)) == 5
    rows = re.findall(r'quarter=(\d{4}-Q\d)">[^<]+</a></td><td>(\d+)</td><td>(\d+)</td><td class="num">([\d,.]+)</td>',
                      first)
    raw = sql(app, "SELECT quarter, sum(CASE WHEN kind = 'loss_event' THEN 1 ELSE 0 END), "
                   "sum(CASE WHEN kind = 'near_miss' THEN 1 ELSE 0 END), sum(gross_loss - recoveries) "
                   "FROM incidents GROUP BY quarter ORDER BY quarter DESC")
    assert rows == [(q, str(losses), str(near), f"{float(net):,.2f}") for q, losses, near, net in raw]
    assert [q for q, *_ in rows] == ["2026-Q2", "2026-Q1"]
    only_q1 = client.get("/incidents?quarter=2026-Q1").get_data(as_text=True)
    assert "(27)" in only_q1 and 'href="/incidents?page=2' not in only_q1


def test_the_calibration_page_is_paged(client, company):
    import re

    from test_incidents import incident

    ids = []
    for n in range(51):
        risk = company.risk(f"校准风险{n}")
        company.grade(risk["id"], "2026-05", 1, 3)
        ids.append(risk["id"])
    for day in ("2026-01-10", "2026-02-10", "2026-03-10"):
        assert incident(company.manager, occurred_on=day, discovered_on=day, risk_ids=ids).status_code == 201
    login(client, "manager")
    first = client.get("/incidents/calibration").get_data(as_text=True)
    assert "(51)" in first and len(re.findall(r'<td><a href="/risks/\d+">', first)) == 50
    second = client.get("/incidents/calibration?page=2").get_data(as_text=True)
    assert len(re.findall(r'<td><a href="/risks/\d+">', second)) == 1 and 'rel="prev"' in second
