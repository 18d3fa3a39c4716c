"""The register's pages: what officers and the risk manager see and do in a browser's place."""
import re

from conftest import csrf_token, login


def page(client, path):
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def test_an_officer_lists_and_opens_only_their_units_risks(client, company):
    bj = company.risk("北京的风险", unit="BJ")
    sh = company.risk("上海的风险", unit="SH")
    login(client, "officer_bj")
    status, html = page(client, "/risks")
    assert status == 200 and "北京的风险" in html and "上海的风险" not in html
    assert page(client, f"/risks/{sh['id']}")[0] == 404
    assert page(client, f"/risks/{sh['id']}/edit")[0] == 404
    assert page(client, f"/risks/{bj['id']}")[0] == 200


def test_adding_a_risk_through_the_form(client, company):
    login(client, "officer_bj")
    token = csrf_token(client, "/risks/new")
    response = client.post("/risks/new", data={
        "csrf_token": token, "title": "新登记的风险", "category": "price", "unit": "BJ", "owner": "李娜",
        "response_strategy": "reduce", "source": "", "causes": "", "measures": "", "status": "active"})
    assert response.status_code == 302
    risk = company.manager.get("/risks?q=新登记").get_json()["items"][0]
    assert (risk["code"], risk["unit"], risk["owner"], risk["response_strategy"]) == ("BJ-001", "BJ", "李娜", "reduce")


def test_an_officer_cannot_add_a_risk_for_another_unit(client, company):
    login(client, "officer_bj")
    token = csrf_token(client, "/risks/new")
    response = client.post("/risks/new", data={"csrf_token": token, "title": "x", "category": "price",
                                               "unit": "SH", "status": "active"})
    assert response.status_code == 200
    assert company.manager.get("/risks").get_json()["total"] == 0


def test_a_stale_edit_is_refused_and_says_so(app, client, company):
    risk = company.risk()
    login(client, "officer_bj")
    token = csrf_token(client, f"/risks/{risk['id']}/edit")
    # Someone else saves first.
    company.manager.patch(f"/risks/{risk['id']}", {"version": 1, "owner": "王建国"})
    response = client.post(f"/risks/{risk['id']}/edit", data={
        "csrf_token": token, "title": "我的修改", "category": "receivables", "unit": "BJ", "owner": "李娜",
        "response_strategy": "", "status": "active", "version": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "他人已修改了该风险" in html
    current = company.manager.get(f"/risks/{risk['id']}").get_json()
    assert (current["title"], current["owner"], current["version"]) == ("应收账款回收风险", "王建国", 2)


def test_grading_from_the_risk_page_records_then_revises(app, client, company):
    from test_register_versions import hidden, this_month

    risk = company.risk()
    month = this_month(app)
    login(client, "officer_bj")
    path = f"/risks/{risk['id']}"
    token = csrf_token(client, path)
    base = {"csrf_token": token, "period": month, "rationale": "回款放缓"}
    assert client.post(path + "/grade", data={**base, "likelihood": "4", "impact": "3",
                                              "versions": ""}).status_code == 302
    versions = hidden(client.get(path).get_data(as_text=True), "versions")
    assert client.post(path + "/grade", data={**base, "likelihood": "4", "impact": "2", "impact_reputation": "5",
                                              "versions": versions}).status_code == 302
    grades = company.manager.get(path + "/assessments").get_json()["items"]
    assert [(g["period"], g["likelihood"], g["impact"], g["revision"]) for g in grades] == [(month, 4, 5, 2)]
    status, html = page(client, path)
    assert "回款放缓" in html and "20 · 重大风险" in html


def test_the_grading_sheet_saves_all_rows_or_none(app, client, company):
    from riskflow import periods
    from test_register_versions import this_month

    month = this_month(app)
    a, b = company.risk("风险甲"), company.risk("风险乙")
    company.grade(a["id"], periods.shift(month, -1), 2, 2)
    login(client, "officer_bj")
    status, html = page(client, f"/grading?period={month}")
    assert status == 200
    # Last month's grade is shown beside the row, not pre-selected: a row nobody chose a grade for is not saved.
    assert re.search(rf'id="row-{a["id"]}".*?4 · 一般风险', html, re.S)
    select = re.search(rf'<select id="l_{a["id"]}".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option selected value="(\d*)"', select) == [""]
    token = csrf_token(client, f"/grading?period={month}")
    bad = client.post("/grading", data={"csrf_token": token, "period": month, "unit": "BJ",
                                        f"l_{a['id']}": "3", f"i_{a['id']}": "3", f"r_{a['id']}": "ok",
                                        f"l_{b['id']}": "4", f"i_{b['id']}": ""})
    assert bad.status_code == 200
    assert "未保存：请更正下列各项。" in bad.get_data(as_text=True)
    assert company.manager.get(f"/risks?period={month}").get_json()["total"] == 0
    good = client.post("/grading", data={"csrf_token": token, "period": month, "unit": "BJ",
                                         f"l_{a['id']}": "3", f"i_{a['id']}": "3", f"r_{a['id']}": "ok",
                                         f"l_{b['id']}": "4", f"i_{b['id']}": "5", f"r_{b['id']}": "新增"})
    assert good.status_code == 302
    graded = company.manager.get(f"/major-risks?period={month}").get_json()["items"]
    assert [(g["code"], g["score"]) for g in graded] == [("BJ-002", 20), ("BJ-001", 9)]


def test_the_warning_page_records_a_response(client, company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 5, 5)
    warning_id = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]["id"]
    login(client, "head_bj")
    status, html = page(client, "/warnings?period=2026-05")
    assert status == 200 and "BJ-001" in html
    token = csrf_token(client, "/warnings?period=2026-05")
    prefix = f"w{warning_id}-"
    client.post(f"/warnings/{warning_id}", data={"csrf_token": token, prefix + "response": "专项催收",
                                                 prefix + "progress": "50", prefix + "status": "in_progress",
                                                 prefix + "version": "1"})
    client.post(f"/warnings/{warning_id}", data={"csrf_token": token, prefix + "response": "x",
                                                 prefix + "progress": "150", prefix + "status": "done"})
    saved = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    assert (saved["response"], saved["progress"], saved["status"]) == ("专项催收", 50, "in_progress")
    # Next month's page shows how far last month's responses got.
    status, html = page(client, "/warnings?period=2026-06")
    assert "2026-05 预警应对执行进度" in html and '专项催收</textarea>' in html


def test_heat_map_cells_open_their_risks(client, company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 4, 3)
    login(client, "leader")
    status, html = page(client, "/heatmap?period=2026-05")
    assert status == 200
    assert "/risks?period=2026-05&amp;likelihood=4&amp;impact=3" in html
    status, html = page(client, "/risks?period=2026-05&likelihood=4&impact=3")
    assert "BJ-001" in html
    status, html = page(client, "/risks?period=2026-05&likelihood=1&impact=3")
    assert "BJ-001" not in html


def test_rounds_page_is_for_the_risk_manager(client, company):
    login(client, "officer_bj")
    assert page(client, "/rounds")[0] == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "manager")
    token = csrf_token(client, "/rounds")
    response = client.post("/rounds", data={"csrf_token": token, "action": "open", "open-period": "2026-05",
                                            "open-deadline": "2099-01-01"})
    assert response.status_code == 302
    assert company.manager.get("/rounds/2026-05").get_json()["deadline"] == "2099-01-01"


def test_dashboard_lists_what_waits_on_an_officer(app, client, company):
    from datetime import timedelta

    from riskflow import periods

    company.risk()
    company.risk()
    with app.app_context():
        deadline = (periods.today() + timedelta(days=10)).isoformat()
        month = periods.current()  # risks registered today are this month's to grade, not a past month's
    company.manager.post("/rounds", {"period": month, "deadline": deadline})
    login(client, "officer_bj")
    html = page(client, "/")[1]
    assert f"{month} 风险评估：已评估 0/2，截止 {deadline}" in html
    assert re.search(r'已评估 0/2.*?<span class="count">2</span>', html, re.S)


def test_the_risk_manager_defines_an_indicator_on_the_page(client, company):
    risk = company.risk()
    login(client, "manager")
    token = csrf_token(client, "/indicators/new")
    bad = client.post("/indicators/new", data={"csrf_token": token, "code": "KRI-X", "name": "回款率",
                                               "unit": "BJ", "rule": "below_target", "risk": "NO-SUCH"})
    assert bad.status_code == 200 and "未知风险。" in bad.get_data(as_text=True)
    good = client.post("/indicators/new", data={"csrf_token": token, "code": "KRI-X", "name": "回款率",
                                                "unit": "BJ", "rule": "below_target", "risk": "BJ-001"})
    assert good.status_code == 302
    (ind,) = company.leader.get("/indicators").get_json()["items"]
    assert (ind["code"], ind["unit"], ind["rule"], ind["risk_id"]) == ("KRI-X", "BJ", "below_target", risk["id"])


def test_an_officer_cannot_grade_another_units_risk_by_upload(client, company):
    import io

    from openpyxl import Workbook

    from test_register_transfer import wait_for

    company.risk(unit="SH")
    book = Workbook()
    book.active.append(("code", "likelihood", "impact"))
    book.active.append(("SH-001", 3, 3))
    buffer = io.BytesIO()
    book.save(buffer)
    login(client, "officer_bj")
    token = csrf_token(client, "/imports")
    response = client.post("/imports", data={"csrf_token": token, "kind": "assessments", "period": "2026-05",
                                             "file": (io.BytesIO(buffer.getvalue()), "g.xlsx")},
                           content_type="multipart/form-data")
    status = wait_for(client, response.headers["Location"] + ".json")
    # Another unit's code reads as unknown: the file cannot tell its risks from codes that do not exist.
    assert status["state"] == "failed" and status["errors"] == {"第 2 行，code": ["未知风险 SH-001。"]}
    assert company.manager.get("/heatmap?period=2026-05").get_json()["total"] == 0


def test_the_warning_page_filters_and_pages_each_month(client, company):
    for n in range(55):
        risk = company.risk(f"预警风险{n}", unit="BJ" if n < 30 else "SH")
        company.grade(risk["id"], "2026-05", 5, 5 if n % 5 else 4)
    first = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    company.manager.patch(f"/warnings/{first['id']}", {"response": "已部署", "progress": 20, "status": "in_progress"})
    login(client, "manager")

    def rows(html, section):
        part = html.split("<section class=\"card\">")[section]
        return re.findall(r'<tr class="warn-(\w+)"', part)

    status, html = page(client, "/warnings?period=2026-05")
    assert status == 200 and "(55)" in html
    assert len(rows(html, 1)) == 50 and 'href="/warnings?period=2026-05&amp;page=2"' in html
    status, html = page(client, "/warnings?period=2026-05&page=2")
    assert len(rows(html, 1)) == 5 and 'rel="prev"' in html
    status, html = page(client, "/warnings?period=2026-05&unit=SH")
    assert "(25)" in html and len(rows(html, 1)) == 25 and 'rel="next"' not in html
    assert "BJ-001" not in html and "SH-001" in html
    status, html = page(client, "/warnings?period=2026-05&status=in_progress")
    assert "(1)" in html and rows(html, 1) == ["major"] and first["code"] in html
    status, html = page(client, "/warnings?period=2026-06&level=major")
    # June's own list is empty; May's progress is the second list, paged on its own
    assert rows(html, 1) == [] and len(rows(html, 2)) == 50
    assert 'href="/warnings?period=2026-06&amp;level=major&amp;prev_page=2"' in html
    status, html = page(client, "/warnings?period=2026-05&level=nonsense")
    assert "筛选条件无效，已显示全部预警。" in html and "(55)" in html


def test_the_grading_sheet_of_a_month_not_open_to_the_officer_is_read_only(app, client, company):
    from riskflow import periods

    company.risk("风险甲")
    with app.app_context():
        last = periods.shift(periods.current(), -1)
    login(client, "officer_bj")
    status, html = page(client, f"/grading?period={last}")
    assert status == 200 and "本月评估已对贵单位关闭，评估结果已锁定。" in html and "保存全部评估" not in html
    manager = app.test_client()
    login(manager, "manager")
    status, html = page(manager, f"/grading?period={last}&unit=BJ")
    assert "保存全部评估" in html  # the risk manager records history
