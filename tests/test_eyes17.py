"""Fresh eyes on issue 17: what a new user of each role found wrong, each kept fixed by a test."""
import re

from conftest import csrf_token, login, sql
from test_risklinks import linked, monitored_project, recommend, risk  # noqa: F401 (the fixture)


def test_a_regrade_without_a_risk_asks_for_one_instead_of_naming_a_dash(app, team, linked):  # noqa: F811
    rec = linked["rec_bj"]
    for body in ({},):
        refused = team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", {
            "kind": "regrade", "likelihood": 4, "impact": 5, "reason": "欠款扩大", **body})
        assert refused.status_code == 422
        errors = refused.get_json()["errors"]
        assert errors == {"risk_id": ["请写明要调整评级的风险编号。"]}, errors
    assert sql(app, "SELECT count(*) FROM risk_proposals") == [(0,)]


PROPOSAL = {"year": 2026, "title": "门店费用效能监察", "kind": "marketing", "method": "document_analysis"}


def test_the_proposal_page_stores_the_risks_its_head_names(app, client, team):
    own = risk(team, "门店费用超支风险")
    login(client, "head_bj")
    response = client.post("/supervision/propose", data={
        **PROPOSAL, "risk_codes": own["code"].lower(), "csrf_token": csrf_token(client, "/supervision/propose")})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    stored = team["inspector"].get("/supervision-projects?year=2026").get_json()["items"]
    assert [(p["title"], p["risk_ids"]) for p in stored] == [("门店费用效能监察", [own["id"]])]


def test_a_unit_head_cannot_name_another_units_risk(app, client, team):
    other = risk(team, "上海回款风险", unit="SH")
    refused = team["head_bj"].post("/supervision-projects", {**PROPOSAL, "risk_ids": [other["id"]]})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"risk_ids": [f"未知风险 {other['id']}。"]}
    login(client, "head_bj")
    page = client.post("/supervision/propose", data={
        **PROPOSAL, "risk_codes": other["code"], "csrf_token": csrf_token(client, "/supervision/propose")})
    assert page.status_code in (200, 422)
    assert f"未知风险 {other['code']}。" in page.get_data(as_text=True)
    assert sql(app, "SELECT count(*) FROM supervision_projects") == [(0,)]


def test_the_head_editing_a_proposal_sees_and_keeps_its_risks(app, client, team):
    own = risk(team, "门店费用超支风险")
    project = team["head_bj"].post("/supervision-projects", {**PROPOSAL, "risk_ids": [own["id"]]}).get_json()
    login(client, "head_bj")
    form = client.get(f"/supervision/{project['id']}/edit").get_data(as_text=True)
    assert f'value="{own["code"]}"' in form
    saved = client.post(f"/supervision/{project['id']}/edit", data={
        **PROPOSAL, "title": "门店费用管理效能监察", "risk_codes": own["code"], "version": project["version"],
        "csrf_token": csrf_token(client, f"/supervision/{project['id']}/edit")})
    assert saved.status_code == 302, saved.get_data(as_text=True)[-1500:]
    stored = team["inspector"].get(f"/supervision-projects/{project['id']}").get_json()
    assert (stored["title"], stored["risk_ids"]) == ("门店费用管理效能监察", [own["id"]])


def test_a_units_proposal_records_benefits_only_once_filed(app, client, team):
    project = team["head_bj"].post("/supervision-projects", PROPOSAL).get_json()
    benefit = {"amount": 1000, "kind": "cost_reduction", "description": "节约费用"}
    early = team["inspector"].post(f"/supervision-projects/{project['id']}/benefits", benefit)
    assert early.status_code == 409, early.get_json()
    assert early.get_json()["error"] == "立项建议经纪检监察室立项备案后方可登记经济效益。"
    login(client, "inspector")
    assert "登记效益" not in client.get(f"/supervision/{project['id']}").get_data(as_text=True)
    assert sql(app, "SELECT count(*) FROM supervision_benefits") == [(0,)]
    filed = team["inspector"].post(f"/supervision-projects/{project['id']}/transitions", {"transition": "file"})
    assert filed.status_code == 200
    assert "登记效益" in client.get(f"/supervision/{project['id']}").get_data(as_text=True)
    assert team["inspector"].post(f"/supervision-projects/{project['id']}/benefits", benefit).status_code == 201


def test_the_annual_report_lists_the_kinds_in_the_kinds_list_order(team, app, run_db):
    """Not by code (budget, eight_rules, procurement), which means nothing in Chinese: as the page lists them."""
    import io

    from pypdf import PdfReader

    from riskflow.reports import collect, render
    from test_supervision_figures import project

    for kind in ("eight_rules", "budget", "procurement"):
        project(team["inspector"], kind=kind, to="setup")
    data = run_db(lambda s: collect.annual(s, 2025))
    with app.app_context():
        pdf = render.render_annual(data, "zh_CN")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    start = text.index("项目类别项目数")
    assert text[start:text.index("牵头单位", start)] == (
        "项目类别项目数大宗物资采购1预算管理1落实中央八项规定精神（业务招待、领导人员履职待遇）1")


def test_two_kinds_cannot_share_a_name(team, app):
    """The filing form's list and the year's figures show kinds by name: two with one name cannot be told apart."""
    admin = team["admin"]
    twin = admin.post("/supervision-kinds", {"code": "budget2", "label_zh": " 预算管理 ", "label_en": "Budgets"})
    assert twin.status_code == 422
    assert twin.get_json()["errors"] == {"label_zh": ["类别budget已使用此名称。"]}
    renamed = admin.patch("/supervision-kinds/budget", {"label_zh": "预算管理", "label_en": "procurement of bulk materials"})
    assert renamed.status_code == 422
    assert renamed.get_json()["errors"] == {"label_en": ["类别procurement已使用此名称。"]}
    assert admin.patch("/supervision-kinds/budget", {"label_zh": "预算管理", "position": 4}).status_code == 200
    assert sql(app, "SELECT count(*) FROM supervision_kinds WHERE label_zh = '预算管理'") == [(1,)]
    assert sql(app, "SELECT label_en FROM supervision_kinds WHERE code = 'budget'") == [("Budget management",)]


def test_the_filing_and_proposal_forms_choose_no_kind_for_the_user(client, team):
    """Like the grading sheet's untouched rows: a form left as it opened must not file a project of the first kind
    on the list; it comes back asking for one, with what was typed kept."""
    login(client, "inspector")
    html = client.get("/supervision/new").get_data(as_text=True)
    assert re.search(r'<select[^>]*id="kind"[^>]*>\s*<option value="">请选择</option>', html)
    response = client.post("/supervision/new", data={
        "csrf_token": csrf_token(client, "/supervision/new"), "year": "2026", "title": "未选类型的项目", "kind": "",
        "method": "efficiency_audit", "lead_unit": "JJ"})
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422) and 'id="kind-error"' in page and "未选类型的项目" in page
    assert team["inspector"].get("/supervision-projects").get_json()["total"] == 0
