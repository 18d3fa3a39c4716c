"""What a new user of each role ran into on the pages of issue 13: each refusal says what went wrong in words
that cannot be read as a success, about the thing the user was doing."""
import re

from conftest import csrf_token, login


def open_collection(client, quarter, deadline="2099-01-01"):
    token = csrf_token(client, "/incidents/collection")
    return client.post("/incidents/collection", data={
        "open-csrf_token": token, "action": "open", "open-quarter": quarter, "open-deadline": deadline})


def test_a_malformed_quarter_refuses_the_collection_not_a_grading_round(client, company):
    login(client, "manager")
    html = open_collection(client, "2026-Q5").get_data(as_text=True)
    assert "风险事件收集未开启。" in html
    assert "评估轮次" not in html
    assert 'id="open-quarter-error">请使用 YYYY-Qn 格式，例如 2026-Q3。' in html
    assert company.manager.get("/incident-rounds/2026-Q5").status_code in (404, 422)


def test_opening_a_collection_twice_is_refused_at_the_quarter_in_words_unlike_the_success(client, company):
    assert company.manager.post("/incident-rounds", {"quarter": "2026-Q2", "deadline": "2099-01-01"}
                                ).status_code == 201
    login(client, "manager")
    response = open_collection(client, "2026-Q2", deadline="2099-02-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2026-Q2 的风险事件收集已开启。" not in html  # what the success says
    assert re.search(r'id="open-quarter-error">2026-Q2 已有风险事件收集，不能再次开启。</p>', html)
    assert 'value="2099-02-01"' in html  # the deadline typed is kept
    assert company.manager.get("/incident-rounds/2026-Q2").get_json()["deadline"] == "2099-01-01"


def test_opening_a_grading_round_twice_does_not_read_like_a_success(client, company):
    assert company.manager.post("/rounds", {"period": "2026-05", "deadline": "2099-01-01"}).status_code == 201
    login(client, "manager")
    token = csrf_token(client, "/rounds")
    html = client.post("/rounds", data={"open-csrf_token": token, "open-period": "2026-05",
                                        "open-deadline": "2099-02-01"}).get_data(as_text=True)
    assert "2026-05 的评估轮次已开启。" not in html
    assert "2026-05 已有评估轮次，不能再次开启。" in html


def test_the_error_summary_separates_a_field_from_its_error_as_chinese_does(client, company):
    login(client, "officer_bj")
    token = csrf_token(client, "/risks/new")
    html = client.post("/risks/new", data={"csrf_token": token, "unit": "BJ"}).get_data(as_text=True)
    assert re.search(r'<a href="#title">风险名称</a>：该字段是必填字段。', html)
    assert '<label for="title">风险名称</label>' in html
    english = client.post("/risks/new?lang=en", data={"csrf_token": csrf_token(client, "/risks/new?lang=en"),
                                                      "unit": "BJ"}).get_data(as_text=True)
    assert re.search(r'<a href="#title">Risk name</a>: This field is required.', english)


def test_a_new_project_is_led_by_the_inspectors_own_office_unless_they_choose_another(client, team):
    login(client, "inspector")
    html = client.get("/supervision/new").get_data(as_text=True)
    select = re.search(r'<select id="lead_unit".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option selected value="(\w+)"', select) == ["JJ"]


def test_the_collection_page_leads_to_the_quarters_before_and_not_past_this_one(app, client, company):
    from riskflow import periods
    with app.app_context():
        this = periods.quarter_of(periods.today())
    login(client, "officer_bj")
    html = client.get("/incidents/collection").get_data(as_text=True)
    links = re.findall(r'href="/incidents/collection\?quarter=(\d{4}-Q\d)"', html)
    assert len(links) == 1 and links[0] < this  # the quarter before; none after this one
    html = client.get(f"/incidents/collection?quarter={links[0]}").get_data(as_text=True)
    assert this in re.findall(r'href="/incidents/collection\?quarter=(\d{4}-Q\d)"', html)
