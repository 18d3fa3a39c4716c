"""Attacks on issue 17's new doors (benefits, notices and their PDFs, unit proposals, the plan, inspections,
risk links and proposals, project kinds, the year's figures): another unit's rows learnt through an id, a total
or a link; writes outside a role or a unit; bad amounts, codes and dates; stale versions; CSRF; wrong JSON types.
Each test is a hole that was found, or a door that was tried and held."""
import pytest

from conftest import Api, csrf_token, login, sql
from datetime import date

YEAR = date.today().year


def _ok(response, status=201):
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def _fire(api, kind, item_id, transition, **fields):
    return _ok(api.post(f"/{kind}/{item_id}/transitions", {"transition": transition, **fields}), 200)


def _delete(api, path):
    return api.client.delete("/api/v1" + path, headers=api.headers)


def _project(api, **extra):
    return _ok(api.post("/supervision-projects", {
        "year": YEAR, "title": "应收账款管理效能监察", "kind": "sales_collection", "method": "efficiency_audit",
        "lead_unit": "JJ", "participating_units": ["BJ", "SH"], **extra}))


def _monitored(team, **extra):
    inspector = team["inspector"]
    project = _project(inspector, **extra)
    _fire(inspector, "supervision-projects", project["id"], "file")
    _fire(inspector, "supervision-projects", project["id"], "start_monitoring")
    return project


def _recommend(team, pid, unit="BJ", **extra):
    return _ok(team["inspector"].post(f"/supervision-projects/{pid}/recommendations", {
        "finding": "北京大客户欠款超过信用额度", "recommendation": "建立客户信用动态评估机制", "responsible_unit": unit,
        **extra}))


def _risk(team, title, unit="BJ"):
    return _ok(team["manager"].post("/risks", {"title": title, "unit": unit, "category": "receivables"}))


@pytest.fixture
def officer_sh(team, make):
    make.user("officer_sh", "risk_officer", unit="SH")
    return team["inspector"].__class__(team["inspector"].client, make.token("officer_sh"))


# ---- benefits ---------------------------------------------------------------------------------------------------

def test_a_shared_projects_benefit_total_hides_another_units_benefits(team, officer_sh, client):
    """SH takes part in the project; BJ's recommendation saved 1,000,000 yuan. SH's list of benefits hides that
    entry, and so must the project's total (GET /supervision-projects/{id}, the list, the page)."""
    pid = _monitored(team)["id"]
    rec_bj = _recommend(team, pid)
    _ok(team["inspector"].post(f"/supervision-projects/{pid}/benefits", {
        "amount": 1000000, "kind": "recovered", "recommendation_id": rec_bj["id"]}))
    _ok(team["inspector"].post(f"/supervision-projects/{pid}/benefits", {"amount": 50, "kind": "other"}))
    for api in (team["head_sh"], officer_sh):
        assert api.get(f"/supervision-projects/{pid}/benefits").get_json()["total"] == 50.0
        assert api.get(f"/supervision-projects/{pid}").get_json()["economic_benefit"] == 50.0
        listed = {p["id"]: p for p in api.get("/supervision-projects").get_json()["items"]}
        assert listed[pid]["economic_benefit"] == 50.0
    for api in (team["head_bj"], team["inspector"], team["leader"]):
        assert api.get(f"/supervision-projects/{pid}").get_json()["economic_benefit"] == 1000050.0
    login(client, "head_sh")
    page = client.get(f"/supervision/{pid}").get_data(as_text=True)
    assert "1,000,050" not in page and "1000050" not in page and "100.01" not in page


@pytest.mark.parametrize("amount", [-1, 0, "0.001", "NaN", "Infinity", "-Infinity", "1e30", 1e30, "1,000",
                                    "\x00", " ", [1], {"a": 1}, True, 10 ** 40])
def test_bad_amounts_are_422(team, app, amount):
    pid = _monitored(team)["id"]
    response = team["inspector"].post(f"/supervision-projects/{pid}/benefits", {"amount": amount, "kind": "other"})
    assert response.status_code == 422, response.get_json()
    assert sql(app, "SELECT count(*) FROM supervision_benefits") == [(0,)]


def test_benefits_cannot_name_another_projects_recommendation_nor_be_added_by_unit_roles(team, app, officer_sh):
    pid, other = _monitored(team)["id"], _monitored(team)["id"]
    rec_other = _recommend(team, other)
    response = team["inspector"].post(f"/supervision-projects/{pid}/benefits", {
        "amount": 5, "kind": "other", "recommendation_id": rec_other["id"]})
    assert response.status_code == 422 and "recommendation_id" in response.get_json()["errors"]
    for api in (team["head_bj"], team["officer_bj"], team["head_sh"], officer_sh, team["leader"], team["manager"]):
        assert api.post(f"/supervision-projects/{pid}/benefits", {"amount": 5, "kind": "other"}).status_code == 403
    assert sql(app, "SELECT count(*) FROM supervision_benefits") == [(0,)]


def test_another_units_benefit_is_not_found_to_delete_or_attach(team, app, officer_sh):
    pid = _monitored(team)["id"]
    rec_bj = _recommend(team, pid)
    bid = _ok(team["inspector"].post(f"/supervision-projects/{pid}/benefits", {
        "amount": 7, "kind": "other", "recommendation_id": rec_bj["id"]}))["id"]
    for api in (team["head_sh"], officer_sh):
        assert _delete(api, f"/benefits/{bid}").status_code == 404
    assert _delete(team["head_bj"], f"/benefits/{bid}").status_code == 403
    assert sql(app, "SELECT count(*) FROM supervision_benefits") == [(1,)]


def test_no_benefit_on_a_closed_or_cancelled_project(team, app):
    pid = _monitored(team)["id"]
    _fire(team["inspector"], "supervision-projects", pid, "cancel", comment="立项有误")
    response = team["inspector"].post(f"/supervision-projects/{pid}/benefits", {"amount": 5, "kind": "other"})
    assert response.status_code == 409
    assert sql(app, "SELECT count(*) FROM supervision_benefits") == [(0,)]


# ---- notices ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("unit", ["XX", "", "bj\x00", "\x00", 7, ["BJ"], {"code": "BJ"}, True, None, "B" * 5000])
def test_notices_to_unknown_or_odd_units_are_422(team, app, unit):
    pid = _monitored(team)["id"]
    response = team["inspector"].post(f"/supervision-projects/{pid}/notices", {
        "recipient_unit": unit, "subject": "请报送材料", "content": "请于五日内报送"})
    assert response.status_code == 422, response.get_json()
    assert sql(app, "SELECT count(*) FROM supervision_notices") == [(0,)]


def test_nul_bytes_in_a_notice_are_refused_or_kept_and_its_pdf_still_made(team, app):
    pid = _monitored(team)["id"]
    for body in ({"subject": "请报送\x00材料"}, {"content": "甲\x00乙\x0b丙"}):
        response = team["inspector"].post(f"/supervision-projects/{pid}/notices", {
            "recipient_unit": "BJ", "subject": "请报送材料", "content": "请于五日内报送", **body})
        assert response.status_code in (201, 422), response.get_json()
        if response.status_code == 201:
            assert team["head_bj"].get(response.get_json()["download_url"][len("/api/v1"):]).status_code == 200


def test_a_notice_to_bj_is_not_read_by_sh_through_any_door(team, officer_sh, client):
    pid = _monitored(team)["id"]
    notice = _ok(team["inspector"].post(f"/supervision-projects/{pid}/notices", {
        "recipient_unit": "BJ", "subject": "北京机密通知", "content": "请于五日内报送"}))
    for api in (team["head_sh"], officer_sh):
        assert api.get(f"/notices/{notice['id']}/download").status_code == 404
        assert api.get(f"/supervision-projects/{pid}/notices").get_json()["items"] == []
        assert "北京机密通知" not in str(api.get("/notifications").get_json())
        assert "北京机密通知" not in str(api.get(f"/history?entity=supervision_project&id={pid}").get_json())
        assert api.post(f"/supervision-projects/{pid}/notices", {
            "recipient_unit": "SH", "subject": "自发通知", "content": "x"}).status_code == 403
    assert team["head_bj"].get(f"/notices/{notice['id']}/download").status_code == 200
    for api in (team["head_bj"], team["officer_bj"], team["leader"], team["manager"]):
        assert api.post(f"/supervision-projects/{pid}/notices", {
            "recipient_unit": "BJ", "subject": "自发通知", "content": "x"}).status_code == 403
    login(client, "head_sh")
    assert client.get(f"/supervision/notices/{notice['id']}.pdf").status_code == 404
    assert "北京机密通知" not in client.get(f"/supervision/{pid}").get_data(as_text=True)


def test_a_project_of_bj_alone_and_its_filing_form_are_not_found_for_sh(team, officer_sh, client):
    pid = _monitored(team, participating_units=["BJ"])["id"]
    for api in (team["head_sh"], officer_sh):
        for path in (f"/supervision-projects/{pid}", f"/supervision-projects/{pid}/filing.pdf",
                     f"/supervision-projects/{pid}/benefits", f"/supervision-projects/{pid}/notices",
                     f"/supervision-projects/{pid}/inspections"):
            assert api.get(path).status_code == 404, path
    login(client, "head_sh")
    assert client.get(f"/supervision/{pid}/filing.pdf").status_code == 404


# ---- unit proposals ---------------------------------------------------------------------------------------------

PROPOSAL = {"year": YEAR, "title": "门店租赁合同管理效能监察", "kind": "leasing", "method": "document_analysis",
            "reason": "租金收取不及时"}


def test_a_head_names_only_their_own_units_risks_in_a_proposal(team, app):
    """SH's head proposing a project named BJ's risk by id or by code: the proposal linked another unit's risk and
    the answer told the risk exists (201 against 422 for an unknown id)."""
    bj = _risk(team, "北京机密风险")
    sh = _risk(team, "上海回款风险", unit="SH")
    for body in ({"risk_ids": [bj["id"]]}, {"risk_codes": bj["code"]}):
        response = team["head_sh"].post("/supervision-projects", {**PROPOSAL, **body})
        assert response.status_code == 422, response.get_json()
        unknown = team["head_sh"].post("/supervision-projects", {**PROPOSAL, **{
            k: ([999999] if k == "risk_ids" else "BJ-999") for k in body}})
        field = next(iter(body))
        assert response.get_json()["errors"][field][0].replace(str(bj["id"]), "?").replace(bj["code"], "?") == \
            unknown.get_json()["errors"][field][0].replace("999999", "?").replace("BJ-999", "?")
    assert sql(app, "SELECT count(*) FROM supervision_project_risks") == [(0,)]
    own = _ok(team["head_sh"].post("/supervision-projects", {**PROPOSAL, "risk_ids": [sh["id"]]}))
    assert own["risk_ids"] == [sh["id"]]
    response = team["head_sh"].patch(f"/supervision-projects/{own['id']}", {
        "risk_ids": [sh["id"], bj["id"]], "version": own["version"]})
    assert response.status_code == 422, response.get_json()
    assert sql(app, "SELECT risk_id FROM supervision_project_risks") == [(sh["id"],)]
    # the inspection office names BJ's risk while reviewing; SH's head, not seeing it, cannot drop it by editing
    named = _ok(team["inspector"].patch(f"/supervision-projects/{own['id']}", {
        "risk_ids": [sh["id"], bj["id"]], "version": own["version"]}), 200)
    assert named["risk_ids"] == [bj["id"], sh["id"]]
    seen = team["head_sh"].get(f"/supervision-projects/{own['id']}").get_json()
    assert seen["risk_ids"] == [sh["id"]]
    _ok(team["head_sh"].patch(f"/supervision-projects/{own['id']}", {"risk_ids": [], "version": seen["version"]}),
        200)
    assert sql(app, "SELECT risk_id FROM supervision_project_risks") == [(bj["id"],)]


def test_a_head_cannot_propose_for_another_unit_nor_touch_its_proposal(team, app, make):
    make.user("head_sh2", "unit_head", unit="SH")
    response = team["head_sh"].post("/supervision-projects", {**PROPOSAL, "lead_unit": "BJ"})
    assert response.status_code == 422 and "lead_unit" in response.get_json()["errors"]
    for bad in (["BJ"], {"c": "BJ"}, 5, True, "bj"):
        response = team["head_sh"].post("/supervision-projects", {**PROPOSAL, "lead_unit": bad})
        assert response.status_code == 422, (bad, response.get_json())
    bj = _ok(team["head_bj"].post("/supervision-projects", PROPOSAL))
    sh = team["head_sh"]
    assert sh.get(f"/supervision-projects/{bj['id']}").status_code == 404
    assert sh.patch(f"/supervision-projects/{bj['id']}", {"title": "改", "version": bj["version"]}).status_code == 404
    assert sh.post(f"/supervision-projects/{bj['id']}/transitions", {
        "transition": "withdraw", "comment": "撤回"}).status_code == 404
    for api in (team["officer_bj"], team["leader"], team["manager"]):
        assert api.post(f"/supervision-projects/{bj['id']}/transitions", {
            "transition": "withdraw", "comment": "撤回"}).status_code in (403, 409)
        assert api.patch(f"/supervision-projects/{bj['id']}", {"title": "改", "version": bj["version"]}
                         ).status_code == 403
    # the head may not file their own proposal
    assert team["head_bj"].post(f"/supervision-projects/{bj['id']}/transitions", {
        "transition": "file"}).status_code in (403, 409)
    assert sql(app, "SELECT title, state FROM supervision_projects") == [(PROPOSAL["title"], "proposed")]


def test_a_head_cannot_edit_after_filing_nor_with_a_stale_version(team, app):
    bj = _ok(team["head_bj"].post("/supervision-projects", PROPOSAL))
    edited = _ok(team["head_bj"].patch(f"/supervision-projects/{bj['id']}", {
        "title": "第一次修改", "version": bj["version"]}), 200)
    stale = team["head_bj"].patch(f"/supervision-projects/{bj['id']}", {"title": "旧版本", "version": bj["version"]})
    assert stale.status_code == 409
    _fire(team["inspector"], "supervision-projects", bj["id"], "file")
    now = team["head_bj"].get(f"/supervision-projects/{bj['id']}").get_json()
    for body in ({"title": "立项后修改"}, {"participating_units": ["SH"]}, {"lead_unit": "SH"}, {"kind": "budget"}):
        response = team["head_bj"].patch(f"/supervision-projects/{bj['id']}", {**body, "version": now["version"]})
        assert response.status_code in (403, 409), (body, response.get_json())
    assert sql(app, "SELECT title, lead_unit_id = (SELECT id FROM units WHERE code = 'BJ') FROM supervision_projects"
               ) == [("第一次修改", True)]
    assert edited["title"] == "第一次修改"


def test_a_head_cannot_move_their_proposal_to_another_unit_while_editing(team, app):
    bj = _ok(team["head_bj"].post("/supervision-projects", PROPOSAL))
    for body in ({"lead_unit": "SH"}, {"participating_units": ["SH"]}, {"economic_benefit": 5}):
        response = team["head_bj"].patch(f"/supervision-projects/{bj['id']}", {**body, "version": bj["version"]})
        assert response.status_code == 422, (body, response.get_json())
    assert sql(app, "SELECT count(*) FROM supervision_project_units") == [(0,)]


# ---- the plan -----------------------------------------------------------------------------------------------------

def _plan(api, year=YEAR):
    return api.get(f"/supervision-plans/{year}").get_json()


def test_plan_dates_out_of_order_stale_or_by_another_role_change_nothing(team, app, officer_sh):
    plan = _plan(team["inspector"])
    dates = {k: v for k, v in plan.items() if k.endswith(("_start", "_end"))}
    for body in ({"preparation_end": f"{YEAR}-01-01", "preparation_start": f"{YEAR}-03-01"},
                 {"summary_start": f"{YEAR - 1}-12-01"}, {"tracking_start": "2026-13-01"},
                 {"tracking_start": 20260601}, {"tracking_start": ["2026-06-01"]}, {"tracking_start": None},
                 {"tracking_start": "\x00"}, {"notes": 5}, {"notes": "x" * 4001}, {"version": "1"},
                 {"version": True}, {"version": -1}, {"year": 2027}):
        response = team["inspector"].put(f"/supervision-plans/{YEAR}", {**dates, "version": plan["version"], **body})
        assert response.status_code == 422, (body, response.get_json())
    for api in (team["head_bj"], officer_sh, team["leader"], team["manager"]):
        assert api.put(f"/supervision-plans/{YEAR}", {**dates, "version": plan["version"]}).status_code == 403
    assert sql(app, "SELECT count(*) FROM supervision_plans") == [(0,)]
    _ok(team["inspector"].put(f"/supervision-plans/{YEAR}", {**dates, "version": plan["version"]}), 200)
    stale = team["inspector"].put(f"/supervision-plans/{YEAR}", {**dates, "notes": "改", "version": plan["version"]})
    assert stale.status_code == 409
    for year in ("1999", "2101", "99999999999999999999", "-1", "abc"):
        assert team["inspector"].get(f"/supervision-plans/{year}").status_code in (404, 422), year
        assert team["inspector"].put(f"/supervision-plans/{year}", dates).status_code in (404, 422), year


# ---- inspections --------------------------------------------------------------------------------------------------

def test_inspections_only_by_the_inspection_office_and_read_in_scope(team, app, officer_sh):
    pid = _monitored(team, participating_units=["BJ"])["id"]
    body = {"held_on": date.today().isoformat(), "methods": ["report", "site"], "findings": "北京机密发现",
            "rating": "fair"}
    for api in (team["head_bj"], team["officer_bj"], team["leader"], team["manager"]):
        assert api.post(f"/supervision-projects/{pid}/inspections", body).status_code == 403
    for api in (team["head_sh"], officer_sh):
        assert api.post(f"/supervision-projects/{pid}/inspections", body).status_code == 404
    created = _ok(team["inspector"].post(f"/supervision-projects/{pid}/inspections", body))
    for api in (team["head_sh"], officer_sh):
        assert api.get(f"/supervision-projects/{pid}/inspections").status_code == 404
        assert api.patch(f"/inspections/{created['id']}", {"rating": "poor", "version": 1}).status_code == 404
    assert team["head_bj"].patch(f"/inspections/{created['id']}", {"rating": "poor", "version": 1}
                                 ).status_code == 403
    stale = team["inspector"].patch(f"/inspections/{created['id']}", {"rating": "poor", "version": 0})
    assert stale.status_code in (409, 422)
    for bad in ({"methods": "report"}, {"methods": ["report", "x"]}, {"methods": [None]}, {"methods": [["site"]]},
                {"rating": ["good"]}, {"rating": "\x00"}, {"held_on": "2026-02-30"}, {"held_on": 5},
                {"findings": {"a": 1}}):
        response = team["inspector"].patch(f"/inspections/{created['id']}", {**bad, "version": created["version"]})
        assert response.status_code == 422, (bad, response.get_json())
    assert sql(app, "SELECT rating, findings FROM supervision_inspections") == [("fair", "北京机密发现")]


# ---- risk links and proposals -------------------------------------------------------------------------------------

def test_a_risk_proposal_for_another_units_risk_is_refused_and_unit_roles_do_not_decide(team, app, officer_sh):
    pid = _monitored(team)["id"]
    rec_sh = _recommend(team, pid, unit="SH")
    rec_bj = _recommend(team, pid)
    bj = _risk(team, "北京机密风险")
    response = team["inspector"].post(f"/recommendations/{rec_sh['id']}/risk-proposals", {
        "kind": "regrade", "risk_id": bj["id"], "likelihood": 3, "impact": 3, "reason": "复评"})
    assert response.status_code == 422 and "risk_id" in response.get_json()["errors"]
    proposal = _ok(team["inspector"].post(f"/recommendations/{rec_bj['id']}/risk-proposals", {
        "kind": "regrade", "risk_id": bj["id"], "likelihood": 3, "impact": 3, "reason": "复评"}))
    for api in (team["head_sh"], officer_sh):
        assert api.get(f"/risk-proposals/{proposal['id']}").status_code == 404
        assert api.get("/risk-proposals").get_json()["items"] == []
        assert api.post(f"/risk-proposals/{proposal['id']}/accept", {"version": 1}).status_code == 404
    for api in (team["head_bj"], team["officer_bj"], team["inspector"], team["leader"]):
        assert api.post(f"/risk-proposals/{proposal['id']}/accept", {"version": 1}).status_code == 403
        assert api.post(f"/recommendations/{rec_bj['id']}/risk-proposals", {
            "kind": "regrade", "risk_id": bj["id"], "likelihood": 3, "impact": 3, "reason": "x"}
        ).status_code in (403, 404) if api is not team["inspector"] else True
    _ok(team["manager"].post(f"/risk-proposals/{proposal['id']}/accept", {"version": proposal["version"]}), 200)
    again = team["manager"].post(f"/risk-proposals/{proposal['id']}/accept", {"version": proposal["version"] + 1})
    assert again.status_code == 409
    assert team["manager"].post(f"/risk-proposals/{proposal['id']}/decline", {
        "version": proposal["version"] + 1, "comment": "不"}).status_code == 409
    assert sql(app, "SELECT count(*) FROM assessments") == [(1,)]


def test_the_risk_page_of_sh_does_not_show_a_project_of_bj(team, officer_sh, client):
    """A project of BJ alone names SH's risk: SH's people see their risk, not the BJ project naming it."""
    sh = _risk(team, "上海回款风险", unit="SH")
    project = _monitored(team, participating_units=["BJ"], title="北京机密项目", risk_ids=[sh["id"]])
    body = officer_sh.get(f"/risks/{sh['id']}").get_json()["supervision"]
    assert body == {"projects": [], "recommendations": []}
    login(client, "officer_sh")
    assert "北京机密项目" not in client.get(f"/risks/{sh['id']}").get_data(as_text=True)
    assert project["code"] not in client.get(f"/risks/{sh['id']}").get_data(as_text=True)


# ---- kinds -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["", "a", "A_b", "1ab", "ab-c", "ab c", "a" * 31, "ab\x00", "a\nb", "中文", 5,
                                  ["ab"], None, True])
def test_bad_kind_codes_are_422(team, app, code):
    before = sql(app, "SELECT count(*) FROM supervision_kinds")
    response = team["admin"].post("/supervision-kinds", {"code": code, "label_zh": "新类", "label_en": "New"})
    assert response.status_code == 422, response.get_json()
    assert sql(app, "SELECT count(*) FROM supervision_kinds") == before


def test_kinds_duplicate_codes_and_unit_roles(team, app, officer_sh):
    before = sql(app, "SELECT count(*) FROM supervision_kinds")
    assert team["admin"].post("/supervision-kinds", {"code": "leasing", "label_zh": "重", "label_en": "D"}
                              ).status_code == 409
    assert team["admin"].post("/supervision-kinds", {"code": " leasing ", "label_zh": "重", "label_en": "D"}
                              ).status_code == 409
    for api in (team["head_bj"], officer_sh, team["inspector"], team["manager"], team["leader"]):
        assert api.post("/supervision-kinds", {"code": "newkind", "label_zh": "新", "label_en": "N"}
                        ).status_code == 403
        assert api.patch("/supervision-kinds/leasing", {"active": False}).status_code == 403
    for body in ({"active": "false"}, {"active": 0}, {"position": -1}, {"position": 10 ** 30}, {"position": "1.5"},
                 {"label_zh": ""}, {"label_zh": "  "}, {"label_en": ["x"]}, {"code": "other"}):
        response = team["admin"].patch("/supervision-kinds/leasing", body)
        assert response.status_code == 422, (body, response.get_json())
    for code in ("nosuch", "x" * 5000, "%00"):
        assert team["admin"].patch(f"/supervision-kinds/{code}", {"active": False}).status_code == 404
    assert sql(app, "SELECT count(*) FROM supervision_kinds") == before
    # retiring a used kind keeps its projects readable
    project = _project(team["inspector"], kind="leasing")
    _ok(team["admin"].patch("/supervision-kinds/leasing", {"active": False}), 200)
    assert team["inspector"].get(f"/supervision-projects/{project['id']}").get_json()["kind"] == "leasing"
    response = team["inspector"].post("/supervision-projects", {
        "year": YEAR, "title": "新项目", "kind": "leasing", "method": "efficiency_audit", "lead_unit": "JJ"})
    assert response.status_code == 422


# ---- the year's figures -------------------------------------------------------------------------------------------

def test_the_years_figures_of_sh_leave_out_bj(team, officer_sh, client):
    pid = _monitored(team, participating_units=["BJ"], kind="eight_rules")["id"]
    rec = _recommend(team, pid)
    _ok(team["inspector"].post(f"/supervision-projects/{pid}/benefits", {"amount": 999, "kind": "recovered"}))
    _ok(team["inspector"].post(f"/supervision-projects/{pid}/benefits", {
        "amount": 1, "kind": "other", "recommendation_id": rec["id"]}))
    _ok(team["inspector"].post(f"/supervision-projects/{pid}/notices", {
        "recipient_unit": "BJ", "subject": "通知", "content": "内容"}))
    for api in (team["head_sh"], officer_sh):
        figures = api.get(f"/supervision-summary?year={YEAR}").get_json()
        assert figures["projects"]["total"] == 0 and figures["projects"]["by_unit"] == {}
        assert figures["projects"]["by_kind"] == {}
        assert figures["notices"] == 0 and figures["economic_benefit"]["total"] == 0
        assert figures["recommendations"] == {"issued": 0, "verified": 0, "overdue": 0}
    login(client, "head_sh")
    page = client.get(f"/supervision/summary?year={YEAR}").get_data(as_text=True)
    assert "999" not in page and "八项规定" not in page
    for year in ("abc", "99999999999999999999", "-5", "\x00", "2026.5"):
        assert team["head_sh"].get(f"/supervision-summary?year={year}").status_code == 422, year
        assert client.get(f"/supervision/summary?year={year}").status_code < 500, year


# ---- CSRF on the new forms ----------------------------------------------------------------------------------------

def test_the_new_forms_refuse_a_post_without_its_csrf_token(team, app):
    pid = _monitored(team)["id"]
    rec = _recommend(team, pid)
    client = app.test_client()
    login(client, "inspector")
    posts = [(f"/supervision/{pid}/benefits", {"amount": "5", "kind": "other"}),
             (f"/supervision/{pid}/notices", {"recipient_unit": "BJ", "subject": "s", "content": "c"}),
             (f"/supervision/{pid}/inspections", {"held_on": date.today().isoformat(), "rating": "good"}),
             ("/supervision/plan", {"notes": "x"}),
             (f"/recommendations/{rec['id']}/risk-proposals", {"kind": "new", "title": "t"})]
    for path, data in posts:
        assert client.post(path, data=data).status_code == 400, path
    client = app.test_client()
    login(client, "admin")
    for path, data in (("/admin/supervision-kinds", {"code": "newkind", "label_zh": "新", "label_en": "N"}),
                       ("/admin/supervision-kinds/leasing/active", {"active": "0"}),
                       ("/admin/supervision-kinds/leasing", {"label_zh": "改"})):
        assert client.post(path, data=data).status_code == 400, path
    client = app.test_client()
    login(client, "head_bj")
    assert client.post("/supervision/propose", data={"title": "t"}).status_code == 400
    assert sql(app, "SELECT count(*) FROM supervision_benefits") == [(0,)]
    assert sql(app, "SELECT count(*) FROM supervision_notices") == [(0,)]
    assert sql(app, "SELECT count(*) FROM supervision_inspections") == [(0,)]
    assert sql(app, "SELECT count(*) FROM supervision_plans") == [(0,)]
    assert sql(app, "SELECT count(*) FROM risk_proposals") == [(0,)]
    assert sql(app, "SELECT count(*) FROM supervision_kinds WHERE code = 'newkind' OR active = false") == [(0,)]


# ---- wrong JSON types: 422 (or 400, 404), never 500 --------------------------------------------------------------

ODD = ["x", "", True, False, None, 0, -1, 1.5, 10 ** 30, [], [1], {}, {"a": 1}, "\x00", "1\x00", "9" * 400]


def _doors(team):
    """(api, method, path, body) of every new door, with a base body each ODD value replaces a field of."""
    pid = _monitored(team)["id"]
    rec = _recommend(team, pid)
    inspection = _ok(team["inspector"].post(f"/supervision-projects/{pid}/inspections", {
        "held_on": date.today().isoformat(), "methods": ["report"], "findings": "f", "rating": "good"}))
    proposal = _ok(team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "new", "title": "新风险", "category": "receivables", "likelihood": 2, "impact": 2, "reason": "r"}))
    head_project = _ok(team["head_bj"].post("/supervision-projects", PROPOSAL))
    plan = _plan(team["inspector"])
    dates = {k: v for k, v in plan.items() if k.endswith(("_start", "_end"))}
    inspector, admin, manager, head = team["inspector"], team["admin"], team["manager"], team["head_bj"]
    return [
        (inspector, "post", f"/supervision-projects/{pid}/benefits",
         {"amount": 5, "kind": "other", "recommendation_id": rec["id"], "description": "d"}),
        (inspector, "post", f"/supervision-projects/{pid}/notices",
         {"recipient_unit": "BJ", "subject": "s", "content": "c"}),
        (inspector, "put", f"/supervision-plans/{YEAR}", {**dates, "notes": "n", "version": plan["version"]}),
        (inspector, "post", f"/supervision-projects/{pid}/inspections",
         {"held_on": date.today().isoformat(), "methods": ["report"], "findings": "f", "rating": "good"}),
        (inspector, "patch", f"/inspections/{inspection['id']}",
         {"held_on": date.today().isoformat(), "methods": ["site"], "findings": "g", "rating": "fair",
          "version": inspection["version"]}),
        (inspector, "post", f"/recommendations/{rec['id']}/risk-proposals",
         {"kind": "regrade", "risk_id": 1, "risk_code": "BJ-001", "likelihood": 2, "impact": 2, "reason": "r",
          "title": "t", "category": "receivables"}),
        (manager, "post", f"/risk-proposals/{proposal['id']}/decline", {"version": proposal["version"], "comment": "c"}),
        (manager, "post", f"/risk-proposals/{proposal['id']}/accept", {"version": proposal["version"], "comment": "c"}),
        (admin, "post", "/supervision-kinds", {"code": "zz", "label_zh": "z", "label_en": "z", "position": 1,
                                               "active": True}),
        (admin, "patch", "/supervision-kinds/leasing", {"label_zh": "z", "label_en": "z", "position": 1,
                                                         "active": True}),
        (head, "post", "/supervision-projects", {**PROPOSAL, "risk_ids": [], "risk_codes": "", "lead_unit": "BJ",
                                                  "participating_units": [], "economic_benefit": 0}),
        (head, "patch", f"/supervision-projects/{head_project['id']}",
         {"title": "t", "kind": "leasing", "risk_ids": [], "year": YEAR, "version": head_project["version"]}),
        (inspector, "post", f"/supervision-projects/{head_project['id']}/transitions",
         {"transition": "send_back", "comment": "c"}),
        (head, "post", f"/supervision-projects/{head_project['id']}/transitions",
         {"transition": "withdraw", "comment": "c"}),
        (inspector, "post", f"/recommendations/{rec['id']}/transitions", {"transition": "x"}),
        (inspector, "patch", f"/recommendations/{rec['id']}", {"risk_ids": [], "inspection_id": inspection["id"],
                                                                "version": rec["version"]}),
        (inspector, "patch", f"/supervision-projects/{pid}", {"risk_ids": [], "version": 2}),
    ]


def test_wrong_json_types_on_every_new_door_are_never_500(team):
    for api, method, path, base in _doors(team):
        for field in base:
            for odd in ODD:
                response = getattr(api, method)(path, {**base, field: odd})
                assert response.status_code < 500, (method, path, field, odd, response.get_data(as_text=True)[:300])
        for body in ([base], "text", 5, None):
            response = getattr(api, method)(path, body)
            assert response.status_code < 500, (method, path, body)


@pytest.mark.parametrize("path", ["/benefits/{big}", "/notices/{big}/download", "/supervision-projects/{big}/benefits",
                                  "/supervision-projects/{big}/notices", "/supervision-projects/{big}/filing.pdf",
                                  "/supervision-projects/{big}/inspections", "/inspections/{big}",
                                  "/risk-proposals/{big}", "/supervision-plans/{big}",
                                  "/recommendations/{big}/risk-proposals", "/risks/{big}"])
def test_huge_and_odd_ids_in_paths_are_never_500(team, path):
    for big in ("99999999999999999999999", "0", "-1", "abc", "%00"):
        for method in ("get", "post", "patch", "put"):
            args = () if method == "get" else ({},)
            response = getattr(team["inspector"], method)(path.format(big=big), *args)
            assert response.status_code < 500, (method, path, big)
        assert _delete(team["inspector"], path.format(big=big)).status_code < 500


def test_list_filters_with_odd_values_are_never_500(team):
    for query in ("state=\x00", "state=nosuch", "state=1", "page=-1", "per_page=99999999999999999999", "page=abc"):
        response = team["manager"].get(f"/risk-proposals?{query}")
        assert response.status_code in (200, 422), (query, response.get_json())
        assert team["admin"].get(f"/supervision-kinds?{query}").status_code in (200, 422), query


# ---- the project's history ----------------------------------------------------------------------------------------

def _history(api, entity, item_id):
    response = api.get(f"/history?entity={entity}&id={item_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_a_removed_benefit_of_bj_stays_out_of_shs_history(team, officer_sh, client):
    """The entry of a benefit BJ's recommendation produced is hidden from SH; the entry of its removal was not
    (its letter no. is on the side before)."""
    pid = _monitored(team)["id"]
    rec_bj = _recommend(team, pid)
    bid = _ok(team["inspector"].post(f"/supervision-projects/{pid}/benefits", {
        "amount": 777777, "kind": "recovered", "recommendation_id": rec_bj["id"], "description": "北京追缴欠款"}))["id"]
    assert _delete(team["inspector"], f"/benefits/{bid}").status_code == 204
    for api in (team["head_sh"], officer_sh):
        text = str(_history(api, "supervision_project", pid))
        assert "777777" not in text and "北京追缴欠款" not in text
    assert [e["action"] for e in _history(team["head_bj"], "supervision_project", pid)
            if e["action"].startswith("benefit")] == ["benefit", "benefit_deleted"]
    login(client, "head_sh")
    page = client.get(f"/supervision/{pid}").get_data(as_text=True)
    assert "777,777" not in page and "北京追缴欠款" not in page


def test_the_risk_codes_of_bj_stay_out_of_the_history_sh_reads(team, officer_sh):
    """A shared project (and SH's recommendation) naming BJ's risk beside SH's: SH sees only its own risk's link,
    and the history it reads names no BJ risk either."""
    bj = _risk(team, "北京机密风险")
    sh = _risk(team, "上海回款风险", unit="SH")
    pid = _monitored(team, risk_ids=[bj["id"], sh["id"]])["id"]
    rec_sh = _recommend(team, pid, unit="SH", risk_ids=[bj["id"], sh["id"]])
    project = team["inspector"].get(f"/supervision-projects/{pid}").get_json()
    _ok(team["inspector"].patch(f"/supervision-projects/{pid}", {"risk_ids": [sh["id"]], "version": project["version"]}),
        200)
    for api in (team["head_sh"], officer_sh):
        assert api.get(f"/supervision-projects/{pid}").get_json()["risk_ids"] == [sh["id"]]
        assert api.get(f"/recommendations/{rec_sh['id']}").get_json()["risk_ids"] == [sh["id"]]
        for entity, item in (("supervision_project", pid), ("recommendation", rec_sh["id"])):
            text = str(_history(api, entity, item))
            assert bj["code"] not in text, (entity, text)


def test_accepting_a_regrade_of_a_risk_retired_since_changes_nothing(team, app):
    pid = _monitored(team)["id"]
    rec_bj = _recommend(team, pid)
    bj = _risk(team, "北京应收风险")
    proposal = _ok(team["inspector"].post(f"/recommendations/{rec_bj['id']}/risk-proposals", {
        "kind": "regrade", "risk_id": bj["id"], "likelihood": 4, "impact": 4, "reason": "复评"}))
    risk = team["manager"].get(f"/risks/{bj['id']}").get_json()
    retired = team["manager"].post(f"/risks/{bj['id']}/transitions", {"transition": "retire", "comment": "合并"})
    if retired.status_code != 200:
        retired = team["manager"].patch(f"/risks/{bj['id']}", {"status": "retired", "version": risk.get("version")})
    assert retired.status_code == 200, retired.get_json()
    response = team["manager"].post(f"/risk-proposals/{proposal['id']}/accept", {"version": proposal["version"]})
    assert response.status_code in (409, 422), response.get_json()
    assert sql(app, "SELECT count(*) FROM assessments") == [(0,)]
    assert sql(app, "SELECT state FROM risk_proposals") == [("proposed",)]


@pytest.mark.parametrize("path", ["/supervision/plan?year=99999999999999999999", "/supervision/plan?year=-1",
                                  "/supervision/plan?year=%00", "/supervision/summary?year=99999999999999999999",
                                  "/supervision/summary?year=abc", "/risk-proposals?state=%00",
                                  "/risk-proposals?state=nosuch", "/risk-proposals?page=99999999999999999999",
                                  "/admin/supervision-kinds/" + "x" * 3000, "/admin/supervision-kinds/%00",
                                  "/supervision/notices/99999999999999999999.pdf",
                                  "/supervision/99999999999999999999/filing.pdf", "/supervision/propose"])
def test_odd_page_arguments_are_never_500(team, app, path):
    for who in ("admin", "head_bj", "inspector"):
        client = app.test_client()
        login(client, who)
        assert client.get(path).status_code < 500, (who, path)


def test_no_notification_of_sh_names_bjs_notice_recommendation_benefit_or_proposal(team, officer_sh, app):
    pid = _monitored(team, title="共同项目")["id"]
    rec_bj = _recommend(team, pid, finding="北京机密发现")
    _ok(team["inspector"].post(f"/supervision-projects/{pid}/notices", {
        "recipient_unit": "BJ", "subject": "北京机密通知", "content": "北京机密内容"}))
    _ok(team["inspector"].post(f"/supervision-projects/{pid}/benefits", {
        "amount": 31415, "kind": "recovered", "recommendation_id": rec_bj["id"], "description": "北京机密效益"}))
    proposal = _ok(team["inspector"].post(f"/recommendations/{rec_bj['id']}/risk-proposals", {
        "kind": "new", "title": "北京机密风险", "category": "receivables", "likelihood": 3, "impact": 3,
        "reason": "北京机密理由"}))
    _fire(team["inspector"], "supervision-projects", pid, "issue_recommendations")
    _ok(team["manager"].post(f"/risk-proposals/{proposal['id']}/decline", {
        "version": proposal["version"], "comment": "北京机密拒绝"}), 200)
    bj_items = team["head_bj"].get("/notifications?per_page=100").get_json()["items"]
    assert any("北京机密通知" in str(n) for n in bj_items)
    for api in (team["head_sh"], officer_sh):
        text = str(api.get("/notifications?per_page=100").get_json())
        for secret in ("北京机密", "31415", rec_bj["letter_no"]):
            assert secret not in text, (secret, text)
        assert api.get("/risk-proposals").get_json()["items"] == []
    rows = sql(app, "SELECT u.username, n.link FROM notifications n JOIN users u ON u.id = n.user_id "
                    "WHERE u.username IN ('head_sh', 'officer_sh')")
    assert all(f"/recommendations/{rec_bj['id']}" not in (link or "") for _user, link in rows), rows


def test_the_pdfs_take_markup_long_words_and_control_characters(team):
    odd = "<b>未闭合 & <font name=x> \x0b\x1f \u202e"
    pid = _monitored(team, title=odd[:100], reason="W" * 4000, plan="长" * 8000, scope="x" * 4000,
                     control_points=odd)["id"]
    notice = _ok(team["inspector"].post(f"/supervision-projects/{pid}/notices", {
        "recipient_unit": "BJ", "subject": odd, "content": "A" * 8000}))
    for path in (f"/notices/{notice['id']}/download", f"/supervision-projects/{pid}/filing.pdf"):
        response = team["inspector"].get(path)
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), path


def test_a_proposal_whose_recommendation_was_readdressed_is_not_accepted_into_the_first_units_register(team, app):
    """A regrade of BJ's risk proposed from a recommendation to BJ, which the office then readdressed to SH:
    accepting it would grade BJ's risk on SH's recommendation, and a new risk would enter BJ's register."""
    pid = _monitored(team)["id"]
    rec = _recommend(team, pid)
    bj = _risk(team, "北京应收风险")
    regrade = _ok(team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "regrade", "risk_id": bj["id"], "likelihood": 4, "impact": 4, "reason": "复评"}))
    new = _ok(team["inspector"].post(f"/recommendations/{rec['id']}/risk-proposals", {
        "kind": "new", "title": "新发现风险", "category": "receivables", "likelihood": 2, "impact": 2, "reason": "新"}))
    current = team["inspector"].get(f"/recommendations/{rec['id']}").get_json()
    _ok(team["inspector"].patch(f"/recommendations/{rec['id']}", {"responsible_unit": "SH",
                                                                   "version": current["version"]}), 200)
    for proposal in (regrade, new):
        response = team["manager"].post(f"/risk-proposals/{proposal['id']}/accept", {"version": proposal["version"]})
        assert response.status_code == 409, response.get_json()
    assert sql(app, "SELECT count(*) FROM assessments") == [(0,)]
    assert sql(app, "SELECT count(*) FROM risks") == [(1,)]
    assert sql(app, "SELECT state FROM risk_proposals ORDER BY id") == [("proposed",), ("proposed",)]
    # declining it with the reason stays possible
    _ok(team["manager"].post(f"/risk-proposals/{regrade['id']}/decline", {
        "version": regrade["version"], "comment": "建议已改由上海整改"}), 200)
