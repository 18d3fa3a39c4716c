"""The risk database through the API: create, read, edit with optimistic locking, filters, scoping."""


def test_create_generates_a_code_per_unit(company):
    first = company.risk("价格波动风险", unit="BJ", category="price")
    second = company.risk("竞争加剧风险", unit="BJ", category="competition")
    other = company.risk("应收账款风险", unit="SH")
    assert (first["code"], second["code"], other["code"]) == ("BJ-001", "BJ-002", "SH-001")
    assert {k: first[k] for k in ("title", "category", "unit", "status", "version", "latest")} == {
        "title": "价格波动风险", "category": "price", "unit": "BJ", "status": "active", "version": 1, "latest": None}


def test_a_given_code_is_kept_and_a_duplicate_is_409(company):
    assert company.risk(code="XS-01")["code"] == "XS-01"
    response = company.manager.post("/risks", {"title": "x", "unit": "BJ", "category": "price", "code": "XS-01"})
    assert response.status_code == 409


def test_bad_fields_are_422_naming_each_and_store_nothing(company):
    # Against the published schema first, then the business rules (codes that name nothing).
    response = company.manager.post("/risks", {"title": "", "unit": "XX", "category": "nope",
                                               "response_strategy": "ignore"})
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == ["response_strategy", "title"]
    response = company.manager.post("/risks", {"title": "x", "unit": "XX", "category": "nope"})
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == ["category", "unit"]
    assert company.manager.get("/risks").get_json()["total"] == 0


def test_patch_needs_the_version_and_refuses_a_stale_one(company):
    risk = company.risk()
    path = f"/risks/{risk['id']}"
    first = company.manager.patch(path, {"version": 1, "owner": "张三", "response_strategy": "reduce"})
    assert first.status_code == 200
    assert (first.get_json()["owner"], first.get_json()["version"]) == ("张三", 2)
    stale = company.officer_bj.patch(path, {"version": 1, "owner": "李四"})
    assert stale.status_code == 409
    assert "version" in stale.get_json()["errors"]
    assert company.manager.get(path).get_json()["owner"] == "张三"
    assert company.manager.patch(path, {"owner": "李四"}).status_code == 422


def test_every_edit_is_in_the_history(company):
    risk = company.risk()
    company.manager.patch(f"/risks/{risk['id']}", {"version": 1, "title": "新标题"})
    company.manager.patch(f"/risks/{risk['id']}", {"version": 2, "status": "retired"})
    items = company.manager.get(f"/history?entity=risk&id={risk['id']}").get_json()["items"]
    assert [i["action"] for i in items] == ["create", "update", "retire"]
    assert items[1]["changes"] == {"title": ["应收账款回收风险", "新标题"]}
    assert items[2]["changes"] == {"status": ["active", "retired"]}


def test_filters(company):
    a = company.risk("价格波动风险", unit="BJ", category="price")
    b = company.risk("竞争风险", unit="SH", category="competition")
    c = company.risk("合同违约风险", unit="BJ", category="contracts")
    company.grade(a["id"], "2026-05", 5, 4)
    company.grade(b["id"], "2026-05", 1, 2)
    company.grade(c["id"], "2026-06", 2, 2)

    def codes(query):
        body = company.manager.get("/risks" + query).get_json()
        return [r["code"] for r in body["items"]]

    assert codes("?unit=BJ") == ["BJ-001", "BJ-002"]
    assert codes("?category=market") == ["BJ-001", "SH-001"]
    assert codes("?category=price") == ["BJ-001"]
    assert codes("?level=major") == ["BJ-001"]
    assert codes("?period=2026-05") == ["BJ-001", "SH-001"]
    assert codes("?period=2026-05&level=low") == ["SH-001"]
    assert codes("?q=合同") == ["BJ-002"]
    assert codes("?q=sh-0") == ["SH-001"]
    assert company.manager.get("/risks?level=huge").status_code == 422
    assert company.manager.get("/risks?period=2026-13").status_code == 422


def test_latest_is_the_newest_grade(company):
    risk = company.risk()
    company.grade(risk["id"], "2026-06", 2, 3)
    company.grade(risk["id"], "2026-05", 4, 4)
    latest = company.manager.get(f"/risks/{risk['id']}").get_json()["latest"]
    assert (latest["period"], latest["score"], latest["level"]) == ("2026-06", 6, "general")


def test_an_officer_sees_and_edits_only_their_unit(company):
    bj = company.risk(unit="BJ")
    sh = company.risk(unit="SH")
    officer = company.officer_bj
    assert [r["code"] for r in officer.get("/risks").get_json()["items"]] == ["BJ-001"]
    assert officer.get("/risks?unit=SH").get_json()["total"] == 0
    assert officer.get(f"/risks/{sh['id']}").status_code == 404
    assert officer.patch(f"/risks/{sh['id']}", {"version": 1, "owner": "x"}).status_code == 404
    assert officer.post(f"/risks/{sh['id']}/assessments",
                        {"period": "2026-05", "likelihood": 1, "impact": 1}).status_code == 404
    assert officer.get(f"/risks/{sh['id']}/assessments").status_code == 404
    assert officer.get(f"/history?entity=risk&id={sh['id']}").status_code == 404
    created = officer.post("/risks", {"title": "x", "unit": "SH", "category": "price"})
    assert created.status_code == 403
    assert officer.patch(f"/risks/{bj['id']}", {"version": 1, "unit": "SH"}).status_code == 403
    assert officer.patch(f"/risks/{bj['id']}", {"version": 1, "owner": "王五"}).status_code == 200


def test_read_only_roles_cannot_write(company):
    risk = company.risk()
    for api in (company.leader, company.inspector, company.head_bj):
        assert api.post("/risks", {"title": "x", "unit": "BJ", "category": "price"}).status_code == 403
        assert api.patch(f"/risks/{risk['id']}", {"version": 1, "owner": "x"}).status_code == 403
        assert api.get(f"/risks/{risk['id']}").status_code == 200
