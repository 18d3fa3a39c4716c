"""Grades and warnings carry a version: a save based on a stale read is refused, through every door."""
import re

from conftest import csrf_token, login
from test_races import in_parallel, own_api


def this_month(app) -> str:
    from riskflow import periods

    with app.app_context():
        return periods.current()


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', html) or re.search(
        rf'type="hidden" name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


# The API.

def test_a_grade_carries_its_version_and_a_stale_revision_is_409(company):
    risk = company.risk()
    graded = company.grade(risk["id"], "2026-05", 2, 2)
    assert graded["version"] == 1
    path = f"/risks/{risk['id']}/assessments/2026-05"
    first = company.manager.put(path, {"likelihood": 3, "impact": 3, "rationale": "第一次修订", "version": 1})
    assert (first.status_code, first.get_json()["version"], first.get_json()["score"]) == (200, 2, 9)
    stale = company.manager.put(path, {"likelihood": 5, "impact": 5, "rationale": "基于旧数据", "version": 1})
    assert stale.status_code == 409
    assert stale.get_json() == {
        "error": "BJ-001 的 2026-05 评估在您读取之后已被他人修改（当前第 2 版，您读取的是第 1 版）；请刷新后重新修改。",
        "errors": {"version": ["版本已过期。"]}}
    bad = company.manager.put(path, {"likelihood": 5, "impact": 5, "version": "2"})
    assert (bad.status_code, list(bad.get_json()["errors"])) == (422, ["version"])
    # Without a version the revision applies, as before.
    blind = company.manager.put(path, {"likelihood": 1, "impact": 2})
    assert (blind.status_code, blind.get_json()["version"]) == (200, 3)
    items = company.manager.get(f"/risks/{risk['id']}/assessments").get_json()["items"]
    assert [(a["score"], a["rationale"], a["version"]) for a in items] == [(2, "", 3)]


def test_a_warning_carries_its_version_and_a_stale_response_is_409(company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 5, 5)
    warning = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    assert warning["version"] == 1
    path = f"/warnings/{warning['id']}"
    saved = company.head_bj.patch(path, {"response": "专项催收", "progress": 30, "status": "in_progress", "version": 1})
    assert (saved.status_code, saved.get_json()["version"]) == (200, 2)
    stale = company.officer_bj.patch(path, {"response": "旧页面上的回复", "progress": 10, "version": 1})
    assert stale.status_code == 409
    assert stale.get_json()["error"] == ("BJ-001 的预警在您读取之后已被他人修改（当前第 2 版，您读取的是第 1 版）；"
                                         "请刷新后重新修改。")
    bad = company.officer_bj.patch(path, {"progress": 10, "version": True})
    assert (bad.status_code, list(bad.get_json()["errors"])) == (422, ["version"])
    current = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    assert (current["response"], current["progress"], current["version"]) == ("专项催收", 30, 2)
    assert company.officer_bj.patch(path, {"progress": 40}).get_json()["version"] == 3


def test_a_regrade_moves_the_warning_on_so_a_response_read_before_it_is_refused(company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 3, 3)
    warning = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    company.manager.put(f"/risks/{risk['id']}/assessments/2026-05", {"likelihood": 5, "impact": 5, "version": 1})
    regraded = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    assert (regraded["level"], regraded["version"]) == ("major", 2)
    assert company.head_bj.patch(f"/warnings/{warning['id']}",
                                 {"response": "按重要风险应对", "version": warning["version"]}).status_code == 409


def test_eight_parallel_revisions_of_one_grade_read_at_the_same_version_one_wins(app, company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 2, 2)
    path = f"/risks/{risk['id']}/assessments/2026-05"
    responses = in_parallel(8, lambda i: own_api(app, company.manager).put(
        path, {"likelihood": 3, "impact": 3, "rationale": f"修订{i}", "version": 1}))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 7, [r.get_json() for r in responses]
    winner = next(r.get_json() for r in responses if r.status_code == 200)
    items = company.manager.get(f"/risks/{risk['id']}/assessments").get_json()["items"]
    assert [(a["rationale"], a["version"]) for a in items] == [(winner["rationale"], 2)]
    revisions = [h for h in company.manager.get(f"/history?entity=assessment&id={winner['id']}").get_json()["items"]
                 if h["action"] == "revise"]
    assert len(revisions) == 1


def test_eight_parallel_responses_to_one_warning_read_at_the_same_version_one_wins(app, company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 5, 5)
    warning = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    responses = in_parallel(8, lambda i: own_api(app, company.head_bj).patch(
        f"/warnings/{warning['id']}", {"response": f"应对{i}", "progress": 10 * i, "version": 1}))
    assert sorted(r.status_code for r in responses) == [200] + [409] * 7
    winner = next(r.get_json() for r in responses if r.status_code == 200)
    current = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    assert (current["response"], current["version"]) == (winner["response"], 2)


def test_the_openapi_document_describes_the_versions(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for name in ("Assessment", "Warning", "AssessmentRevise", "WarningPatch"):
        assert schemas[name]["properties"]["version"] == {"type": "integer", "minimum": 1}, name
    assert "version" in schemas["Assessment"]["required"] and "version" in schemas["Warning"]["required"]


# The pages: a stale save is refused with a clear message, and what the user typed stays on the page.

def test_a_stale_grade_on_the_risk_page_is_refused_keeping_what_was_typed(app, client, company):
    risk = company.risk()
    month = this_month(app)
    company.grade(risk["id"], month, 2, 2, api=company.officer_bj)
    login(client, "officer_bj")
    path = f"/risks/{risk['id']}"
    html = client.get(path).get_data(as_text=True)
    versions, token = hidden(html, "versions"), csrf_token(client, path)
    assert versions == f"{month}:1"
    company.manager.put(f"{path}/assessments/{month}", {"likelihood": 4, "impact": 4, "rationale": "经理修订"})
    response = client.post(path + "/grade", data={"csrf_token": token, "period": month, "likelihood": "3",
                                                  "impact": "3", "rationale": "我在旧页面上写的理由",
                                                  "versions": versions})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"BJ-001 的 {month} 评估在您读取之后已被他人修改" in html
    assert "我在旧页面上写的理由</textarea>" in html and '<option selected value="3">' in html
    items = company.manager.get(f"{path}/assessments").get_json()["items"]
    assert [(a["score"], a["rationale"]) for a in items] == [(16, "经理修订")]


def test_a_grade_recorded_meanwhile_is_not_overwritten_from_the_risk_page(app, client, company):
    risk = company.risk()
    month = this_month(app)
    login(client, "officer_bj")
    path = f"/risks/{risk['id']}"
    html = client.get(path).get_data(as_text=True)
    versions, token = hidden(html, "versions"), csrf_token(client, path)
    assert versions == ""
    company.grade(risk["id"], month, 4, 4)  # the risk manager grades the month meanwhile
    response = client.post(path + "/grade", data={"csrf_token": token, "period": month, "likelihood": "1",
                                                  "impact": "1", "rationale": "我的判断", "versions": versions})
    assert f"BJ-001 的 {month} 评估在您读取之后已被他人修改" in response.get_data(as_text=True)
    assert company.manager.get(f"{path}/assessments").get_json()["items"][0]["score"] == 16


def test_a_stale_row_on_the_grading_sheet_saves_nothing_and_keeps_what_was_typed(app, client, company):
    a, b = company.risk("风险甲"), company.risk("风险乙")
    month = this_month(app)
    company.grade(a["id"], month, 2, 2, api=company.officer_bj)
    login(client, "officer_bj")
    html = client.get(f"/grading?period={month}").get_data(as_text=True)
    assert hidden(html, f"v_{a['id']}") == "1" and hidden(html, f"v_{b['id']}") == ""
    token = csrf_token(client, f"/grading?period={month}")
    company.manager.put(f"/risks/{a['id']}/assessments/{month}", {"likelihood": 5, "impact": 5})
    response = client.post("/grading", data={
        "csrf_token": token, "period": month, "unit": "BJ",
        f"l_{a['id']}": "3", f"i_{a['id']}": "3", f"r_{a['id']}": "甲的新理由", f"v_{a['id']}": "1",
        f"l_{b['id']}": "4", f"i_{b['id']}": "2", f"r_{b['id']}": "乙的理由", f"v_{b['id']}": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "未保存：请更正下列各项。" in html
    assert f"BJ-001 的 {month} 评估在您读取之后已被他人修改" in html
    assert "甲的新理由</textarea>" in html and "乙的理由</textarea>" in html
    assert re.search(rf'id="i_{b["id"]}".*?<option selected value="2">', html, re.S)
    assert company.manager.get(f"/risks?period={month}").get_json()["total"] == 1  # only the manager's grade


def test_a_stale_response_on_the_warnings_page_is_refused_keeping_what_was_typed(client, company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 5, 5)
    warning_id = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]["id"]
    login(client, "head_bj")
    html = client.get("/warnings?period=2026-05").get_data(as_text=True)
    prefix = f"w{warning_id}-"
    version, token = hidden(html, prefix + "version"), csrf_token(client, "/warnings?period=2026-05")
    assert version == "1"
    company.officer_bj.patch(f"/warnings/{warning_id}", {"response": "风险管理员的回复", "progress": 20})
    response = client.post(f"/warnings/{warning_id}?period=2026-05", data={
        "csrf_token": token, prefix + "response": "负责人在旧页面上写的回复", prefix + "progress": "60",
        prefix + "status": "in_progress", prefix + "version": version})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "BJ-001 的预警在您读取之后已被他人修改" in html
    assert '负责人在旧页面上写的回复</textarea>' in html and 'value="60"' in html
    current = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    assert (current["response"], current["progress"]) == ("风险管理员的回复", 20)
