"""Editing the grading standard and the categories through the pages."""
from conftest import csrf_token, login


def standard_form(token, **overrides):
    names = [("极低", "Rare"), ("低", "Unlikely"), ("中等", "Possible"), ("高", "Likely"), ("极高", "Almost certain")]
    data = {"csrf_token": token, "note": "2027 标准"}
    for prefix in ("l", "i"):
        for n, (zh, en) in enumerate(names, 1):
            data[f"{prefix}_name_{n}"], data[f"{prefix}_name_en_{n}"] = zh, en
    for code, low in (("low", 1), ("general", 4), ("significant", 8), ("major", 15)):
        data[f"band_{code}_min"] = str(low)
        data[f"band_{code}_name"] = code
        data[f"band_{code}_name_en"] = code
    data.update(overrides)
    return data


def test_the_risk_manager_saves_a_new_version(client, company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 2, 4)
    login(client, "manager")
    token = csrf_token(client, "/standard")
    response = client.post("/standard", data=standard_form(token, cell_2_4="major", cell_2_5="major",
                                                           cell_3_4="major", cell_3_5="major"))
    assert response.status_code == 302
    body = company.leader.get("/standard").get_json()
    assert body["version"] == 2
    assert next(c for c in body["cells"] if (c["likelihood"], c["impact"]) == (2, 4))["level"] == "major"
    # The May grade keeps the level it got under version 1.
    assert company.manager.get(f"/risks/{risk['id']}").get_json()["latest"]["level"] == "significant"


def test_an_inconsistent_standard_is_refused_with_a_clear_message(client, company):
    login(client, "manager")
    token = csrf_token(client, "/standard")
    response = client.post("/standard", data=standard_form(token, cell_2_3="major"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "单元格 可能性3×影响3（重要风险）的等级低于单元格 可能性2×影响3（重大风险）" in html
    assert 'id="cell_2_3-error"' in html
    assert company.leader.get("/standard").get_json()["version"] == 1


def test_a_three_by_three_standard(client, company):
    login(client, "manager")
    token = csrf_token(client, "/standard")
    data = standard_form(token)
    for prefix in ("l", "i"):
        for n in (4, 5):
            data[f"{prefix}_name_{n}"] = data[f"{prefix}_name_en_{n}"] = ""
    data.update(band_general_min="3", band_significant_min="4", band_major_min="6")
    assert client.post("/standard", data=data).status_code == 302
    body = company.leader.get("/standard").get_json()
    assert (len(body["likelihood"]), len(body["impact"]), len(body["cells"])) == (3, 3, 9)
    risk = company.risk()
    assert company.manager.post(f"/risks/{risk['id']}/assessments",
                                {"period": "2026-05", "likelihood": 4, "impact": 1}).status_code == 422
    assert company.grade(risk["id"], "2026-05", 3, 3)["level"] == "major"
    assert len(company.manager.get("/heatmap?period=2026-05").get_json()["cells"]) == 9


def test_officers_read_but_do_not_edit_the_standard(client, company):
    login(client, "officer_bj")
    html = client.get("/standard").get_data(as_text=True)
    assert "极高" in html and 'name="l_name_1"' not in html
    assert client.post("/standard", data={"csrf_token": csrf_token(client, "/standard")}).status_code == 403


def test_the_risk_manager_adds_a_subcategory(client, company):
    login(client, "manager")
    token = csrf_token(client, "/categories")
    response = client.post("/categories", data={"csrf_token": token, "code": "logistics", "name": "物流风险",
                                                "name_en": "Logistics", "parent": "operational"})
    assert response.status_code == 302
    cats = {c["code"]: c for c in company.leader.get("/categories").get_json()}
    assert cats["logistics"] == {"code": "logistics", "name": "物流风险", "name_en": "Logistics",
                                 "parent": "operational"}
    again = client.post("/categories", data={"csrf_token": token, "code": "logistics", "name": "x", "name_en": "x",
                                             "parent": ""})
    assert "风险分类 logistics 已存在。" in again.get_data(as_text=True)
