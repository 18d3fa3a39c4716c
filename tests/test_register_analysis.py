"""Heat map, major-risk ranking with ties, the standard and categories through the API."""


def test_heatmap_counts_every_cell(company):
    a, b, c, d = (company.risk(f"风险{n}") for n in range(4))
    company.grade(a["id"], "2026-05", 4, 3)
    company.grade(b["id"], "2026-05", 4, 3)
    company.grade(c["id"], "2026-05", 1, 5)
    company.grade(d["id"], "2026-04", 5, 5)
    body = company.manager.get("/heatmap?period=2026-05").get_json()
    assert body["period"] == "2026-05" and body["total"] == 3
    assert len(body["cells"]) == 25
    counts = {(c["likelihood"], c["impact"]): c["count"] for c in body["cells"]}
    assert counts[(4, 3)] == 2 and counts[(1, 5)] == 1 and sum(counts.values()) == 3
    cell = next(c for c in body["cells"] if (c["likelihood"], c["impact"]) == (4, 3))
    assert cell["level"] == "significant"


def test_heatmap_by_unit_and_scoped_for_officers(company):
    bj, sh = company.risk(unit="BJ"), company.risk(unit="SH")
    company.grade(bj["id"], "2026-05", 2, 2)
    company.grade(sh["id"], "2026-05", 3, 3)
    assert company.manager.get("/heatmap?period=2026-05&unit=SH").get_json()["total"] == 1
    assert company.officer_bj.get("/heatmap?period=2026-05").get_json()["total"] == 1
    assert company.officer_bj.get("/heatmap?period=2026-05&unit=SH").get_json()["total"] == 0
    assert company.manager.get("/heatmap?period=bad").status_code == 422
    assert company.manager.get("/heatmap").status_code == 422
    assert company.manager.get("/heatmap?period=2026-05&unit=XX").status_code == 404


def test_retired_risks_leave_the_heatmap_and_the_ranking(company):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 5, 5)
    company.manager.patch(f"/risks/{risk['id']}", {"version": 1, "status": "retired"})
    assert company.manager.get("/heatmap?period=2026-05").get_json()["total"] == 0
    assert company.manager.get("/major-risks?period=2026-05").get_json()["items"] == []


def test_counts_leave_out_retired_risks_company_wide_and_per_unit(app, company):
    from riskflow.auth import policy
    from riskflow.db import get_session
    from riskflow.register import analysis

    made = {}
    for name, unit, may, retire in (("r1", "BJ", (5, 5), True), ("r2", "BJ", (5, 5), False),
                                    ("r3", "SH", (2, 3), False), ("r4", "SH", (2, 3), True),
                                    ("r5", "SH", (1, 1), False)):
        made[name] = company.risk(name, unit=unit)
        company.grade(made[name]["id"], "2026-05", *may)
        company.grade(made[name]["id"], "2026-04", 3, 3)
    for name in ("r1", "r4"):
        company.manager.patch(f"/risks/{made[name]['id']}", {"version": 1, "status": "retired"})

    def cells(path):
        return {(c["likelihood"], c["impact"]): c["count"]
                for c in company.manager.get(path).get_json()["cells"] if c["count"]}

    assert cells("/heatmap?period=2026-05") == {(5, 5): 1, (2, 3): 1, (1, 1): 1}
    assert cells("/heatmap?period=2026-05&unit=BJ") == {(5, 5): 1}
    assert cells("/heatmap?period=2026-04") == {(3, 3): 3}
    with app.app_context():
        db = get_session()
        assert analysis.level_counts(db, policy.SYSTEM, "2026-05") == {
            "low": 1, "general": 1, "significant": 0, "major": 1}
        sh_id = next(u["id"] for u in company.manager.get("/units").get_json()["items"] if u["code"] == "SH")
        assert analysis.level_counts(db, policy.SYSTEM, "2026-05", sh_id) == {
            "low": 1, "general": 1, "significant": 0, "major": 0}


def test_major_risks_rank_ties_by_impact_then_likelihood_then_code(company):
    grades = {  # code order is creation order: BJ-001 … BJ-006
        1: (3, 4),  # 12, impact 4
        2: (4, 3),  # 12, impact 3
        3: (2, 5),  # 10
        4: (4, 3),  # 12, impact 3, same as BJ-002: code decides
        5: (5, 5),  # 25
        6: (6 - 3, 4),  # 12, impact 4, likelihood 3: same as BJ-001: code decides
    }
    ids = {}
    for n in range(1, 7):
        ids[n] = company.risk(f"风险{n}")["id"]
    for n, (l, i) in grades.items():
        company.grade(ids[n], "2026-05", l, i)
    body = company.manager.get("/major-risks?period=2026-05&top=5").get_json()
    assert body["period"] == "2026-05"
    assert [(r["rank"], r["code"], r["score"]) for r in body["items"]] == [
        (1, "BJ-005", 25), (2, "BJ-001", 12), (3, "BJ-006", 12), (4, "BJ-002", 12), (5, "BJ-004", 12)]
    first = body["items"][0]
    assert {k: first[k] for k in ("risk_id", "title", "likelihood", "impact", "level")} == {
        "risk_id": ids[5], "title": "风险5", "likelihood": 5, "impact": 5, "level": "major"}
    assert len(company.manager.get("/major-risks?period=2026-05").get_json()["items"]) == 6
    assert company.manager.get("/major-risks?period=2026-05&top=0").status_code == 422


def test_standard_lists_scales_bands_and_cells(company):
    body = company.leader.get("/standard").get_json()
    assert body["version"] == 1
    assert [lv["name"] for lv in body["likelihood"]] == ["极低", "低", "中等", "高", "极高"]
    assert [lv["name_en"] for lv in body["impact"]] == ["Negligible", "Minor", "Moderate", "Major", "Catastrophic"]
    bands = {b["code"]: (b["name"], b["colour"], b["scores"]) for b in body["bands"]}
    assert bands == {
        "low": ("低风险", "blue", [1, 2, 3]),
        "general": ("一般风险", "yellow", [4, 5, 6]),
        "significant": ("重要风险", "orange", [8, 9, 10, 12]),
        "major": ("重大风险", "red", [15, 16, 20, 25]),
    }
    assert len(body["cells"]) == 25


def test_categories_two_levels_with_the_five_top_codes(company):
    body = company.officer_bj.get("/categories").get_json()
    top = [c["code"] for c in body if c["parent"] is None]
    assert top == ["strategic", "financial", "market", "operational", "legal"]
    assert {c["code"]: c["parent"] for c in body if c["parent"]}["price"] == "market"
    assert next(c for c in body if c["code"] == "legal")["name"] == "法律风险"
