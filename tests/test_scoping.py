"""Unit scoping through every door: a unit's users never see another unit's rows, and never change the company's.

Two sales units, BJ and HB (湖北), share projects, meetings, rounds and incidents. Each test builds the shared
parent with children of both units and checks what BJ's officer or head gets, against what the company sees."""
import io
import re
from datetime import datetime, timezone
from email import message_from_bytes
from email import policy as email_policy

import pytest
from pypdf import PdfReader

from conftest import Api, csrf_token, login, sql
from riskflow.scheduling import scheduler


@pytest.fixture
def two(client, make):
    """Units BJ, HB and the inspection office JJ; a user of each role (BJ's and HB's unit roles) with a token."""
    make.unit("BJ", "北京销售分公司")
    make.unit("HB", "湖北销售分公司")
    make.unit("JJ", "纪检监察室", kind="inspection")
    apis = {}
    for name, role, unit in (("manager", "risk_manager", None), ("inspector", "inspector", "JJ"),
                             ("officer_bj", "risk_officer", "BJ"), ("head_bj", "unit_head", "BJ"),
                             ("officer_hb", "risk_officer", "HB"), ("leader", "viewer", None),
                             ("admin", "admin", None)):
        make.user(name, role, unit=unit, email=f"{name}@example.com")
        apis[name] = Api(client, make.token(name))
    return apis


def _created(response):
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def risk(two, unit, title, likelihood=None, period="2026-10"):
    body = _created(two["manager"].post("/risks", {"title": title, "unit": unit, "category": "price"}))
    if likelihood is not None:
        _created(two["manager"].post(f"/risks/{body['id']}/assessments", {
            "period": period, "likelihood": likelihood, "impact": 3, "rationale": "月度评估"}))
    return body


def incident(two, unit, title, risk_ids=(), occurred_on="2026-05-06"):
    return _created(two["manager"].post("/incidents", {
        "title": title, "kind": "loss_event", "occurred_on": occurred_on, "discovered_on": occurred_on, "unit": unit,
        "losses": {"financial": 1000}, "risk_ids": list(risk_ids)}))


def history(api, entity, item_id):
    response = api.get(f"/history?entity={entity}&id={item_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- The monthly report by mail -------------------------------------------------------------------------------

def _outbox_recipients(home) -> list[str]:
    return sorted(message_from_bytes(p.read_bytes(), policy=email_policy.default)["To"]
                  for p in (home / "outbox").glob("*.eml"))


def test_the_monthly_report_is_mailed_only_to_users_who_may_read_it(app, home, two, run_db):
    from riskflow.auth.service import set_report_mail, user_by_name

    risk(two, "BJ", "北京价格风险", likelihood=4)
    risk(two, "HB", "湖北回款风险", likelihood=5)
    # head_bj's choice was stored before the profile stopped offering it to unit roles.
    run_db(lambda s: setattr(user_by_name(s, "head_bj"), "notify_reports", True))
    # The leader opted in, and was then made a unit head: the report follows the role, not the old choice.
    run_db(lambda s: set_report_mail(s, user_by_name(s, "leader"), "on"))
    run_db(lambda s: [setattr(user_by_name(s, "leader"), name, value)
                      for name, value in (("role", "unit_head"), ("unit_id", user_by_name(s, "head_bj").unit_id))])
    app.config["REPORT_AUTO_ISSUE"] = True
    scheduler.run(app, "monthly_report", datetime(2026, 11, 3, 0, 0, tzinfo=timezone.utc))
    # Each gets the monthly report and the execution progress; the unit heads who asked for it (head_bj's old
    # choice, the leader's made before becoming BJ's head) get BJ's unit version, never the company's report.
    assert _outbox_recipients(home) == ["admin@example.com"] * 2 + ["head_bj@example.com", "leader@example.com"] + \
        ["manager@example.com"] * 2
    attachments = sorted((m["To"], part.get_filename()) for m in (
        message_from_bytes(p.read_bytes(), policy=email_policy.default) for p in (home / "outbox").glob("*.eml"))
        for part in m.iter_attachments() if m["To"] in ("head_bj@example.com", "leader@example.com"))
    assert attachments == [("head_bj@example.com", "monthly-2026-10-r1-BJ.pdf"),
                           ("leader@example.com", "monthly-2026-10-r1-BJ.pdf")]


def test_the_profile_offers_the_report_mail_only_to_those_who_may_read_it(app, client, two):
    login(client, "officer_bj")
    assert 'id="report-mail"' not in client.get("/profile?lang=en").get_data(as_text=True)
    # A forged form post changes nothing and says why.
    response = client.post("/profile/report-mail", data={"csrf_token": csrf_token(client, "/profile"),
                                                         "choice": "on"}, follow_redirects=True)
    assert "Your role does not receive the monthly report." in response.get_data(as_text=True)
    assert sql(app, "SELECT notify_reports FROM users WHERE username = 'officer_bj'") == [(None,)]
    # A unit head is offered the unit's version.
    head = app.test_client()
    login(head, "head_bj")
    page = head.get("/profile?lang=en").get_data(as_text=True)
    assert "My unit's version of the monthly report by mail" in page and "The monthly report by mail" not in page

    leader = app.test_client()
    login(leader, "inspector")
    assert "The monthly report by mail" in leader.get("/profile?lang=en").get_data(as_text=True)
    leader.post("/profile/report-mail", data={"csrf_token": csrf_token(leader, "/profile"), "choice": "on"})
    assert sql(app, "SELECT notify_reports FROM users WHERE username = 'inspector'") == [(True,)]


# --- Supervision: a shared project, recommendations to each unit ----------------------------------------------

def project_with_two_units(two):
    inspector = two["inspector"]
    project = _created(inspector.post("/supervision-projects", {
        "title": "销售费用效能监察", "kind": "budget", "method": "efficiency_audit", "lead_unit": "JJ",
        "participating_units": ["BJ", "HB"]}))
    for step in ("file", "start_monitoring"):
        assert inspector.post(f"/supervision-projects/{project['id']}/transitions",
                              {"transition": step}).status_code == 200
    recs = {}
    for unit, finding in (("BJ", "北京发票未核对"), ("HB", "湖北合同未经审批")):
        recs[unit] = _created(inspector.post(f"/supervision-projects/{project['id']}/recommendations", {
            "finding": finding, "recommendation": "整改", "responsible_unit": unit}))
    return project, recs


def test_a_project_shows_a_unit_only_the_recommendations_addressed_to_it(client, two):
    project, recs = project_with_two_units(two)
    login(client, "head_bj")
    html = client.get(f"/supervision/{project['id']}").get_data(as_text=True)
    assert "北京发票未核对" in html and recs["BJ"]["letter_no"] in html
    assert "湖北合同未经审批" not in html and recs["HB"]["letter_no"] not in html
    assert two["head_bj"].get(f"/recommendations/{recs['HB']['id']}").status_code == 404
    assert two["head_bj"].get(f"/supervision-projects/{project['id']}").get_json()["recommendations"] == [
        recs["BJ"]["id"]]
    assert two["inspector"].get(f"/supervision-projects/{project['id']}").get_json()["recommendations"] == [
        recs["BJ"]["id"], recs["HB"]["id"]]


def test_the_supervision_board_and_summary_count_only_a_units_own_recommendations(client, two):
    project, _recs = project_with_two_units(two)
    assert two["inspector"].post(f"/supervision-projects/{project['id']}/transitions",
                                 {"transition": "issue_recommendations"}).status_code == 200
    login(client, "head_bj")
    board = client.get("/supervision?lang=en").get_data(as_text=True)
    assert "1 of 1 recommendations open" in board
    assert "Projects filed: 1 · recommendations: 1 · closed loop 0%" in board
    summary = " ".join(client.get("/supervision/summary?lang=en").get_data(as_text=True).split())
    for figure in ("Recommendations issued", "Verified", "Overdue"):  # this year's column comes first
        assert re.search(rf'{figure}</th> ?<td class="num">{1 if figure.endswith("issued") else 0}</td>', summary)
    company = app_client_as(client, "inspector")
    assert "2 of 2 recommendations open" in company.get("/supervision?lang=en").get_data(as_text=True)


def app_client_as(client, username):
    other = client.application.test_client()
    login(other, username)
    return other


def test_a_projects_history_shows_a_unit_only_its_own_recommendations(two):
    project, recs = project_with_two_units(two)

    def recorded(api):
        return [e["changes"]["recommendation"][1] for e in history(api, "supervision_project", project["id"])
                if e["action"] == "recommend"]

    assert recorded(two["head_bj"]) == [recs["BJ"]["letter_no"]]
    assert recorded(two["inspector"]) == [recs["BJ"]["letter_no"], recs["HB"]["letter_no"]]


# --- Incidents: the review meeting, the pack, links across units ----------------------------------------------

def reviewed_quarter(two):
    bj = incident(two, "BJ", "北京油罐泄漏")
    hb = incident(two, "HB", "湖北客户欺诈")
    meeting = _created(two["manager"].post("/review-meetings", {
        "quarter": "2026-Q2", "held_on": "2026-07-10", "attendees": "各单位风险管理员",
        "items": [{"incident_id": bj["id"], "conclusion": "北京加强巡检"},
                  {"incident_id": hb["id"], "conclusion": "湖北追究责任"}]}))
    return bj, hb, meeting


def test_the_review_meeting_page_lists_only_the_units_own_incidents(client, two):
    bj, hb, _meeting = reviewed_quarter(two)
    login(client, "head_bj")
    html = client.get("/incidents/meetings?quarter=2026-Q2").get_data(as_text=True)
    assert bj["code"] in html and "北京加强巡检" in html
    assert hb["code"] not in html and "湖北客户欺诈" not in html and "湖北追究责任" not in html
    manager = app_client_as(client, "manager")
    assert "湖北追究责任" in manager.get("/incidents/meetings?quarter=2026-Q2").get_data(as_text=True)


def test_a_review_meetings_history_is_readable_and_names_no_other_units_incidents(two):
    bj, hb, meeting = reviewed_quarter(two)
    assert [e["changes"]["incidents"][1] for e in history(two["manager"], "review_meeting", meeting["id"])] == [
        [bj["code"], hb["code"]]]
    assert history(two["officer_bj"], "review_meeting", meeting["id"]) == []


def linked_across_units(two):
    """A BJ incident the risk manager linked to a BJ risk and to an HB risk."""
    bj_risk = risk(two, "BJ", "北京价格风险", likelihood=2)
    hb_risk = risk(two, "HB", "湖北回款风险", likelihood=2)
    linked = incident(two, "BJ", "北京客户违约", risk_ids=[bj_risk["id"], hb_risk["id"]])
    return bj_risk, hb_risk, linked


def test_an_incident_shows_a_unit_only_its_own_linked_risks(client, two):
    bj_risk, hb_risk, linked = linked_across_units(two)
    assert two["officer_bj"].get(f"/incidents/{linked['id']}").get_json()["risk_ids"] == [bj_risk["id"]]
    assert [i["risk_ids"] for i in two["officer_bj"].get("/incidents").get_json()["items"]] == [[bj_risk["id"]]]
    assert two["manager"].get(f"/incidents/{linked['id']}").get_json()["risk_ids"] == [bj_risk["id"], hb_risk["id"]]
    login(client, "officer_bj")
    html = client.get(f"/incidents/{linked['id']}").get_data(as_text=True)
    assert bj_risk["code"] in html and hb_risk["code"] not in html and "湖北回款风险" not in html


def test_a_units_review_pack_leaves_out_other_units_risks(client, two):
    bj_risk, hb_risk, _linked = linked_across_units(two)
    incident(two, "HB", "湖北客户欺诈", risk_ids=[hb_risk["id"]])
    login(client, "officer_bj")
    text = pdf_text(client.get("/incidents/pack.pdf?quarter=2026-Q2").data)
    assert "北京价格风险" in text and "北京客户违约" in text
    assert "湖北回款风险" not in text and hb_risk["code"] not in text and "湖北客户欺诈" not in text
    manager = app_client_as(client, "manager")
    assert "湖北回款风险" in pdf_text(manager.get("/incidents/pack.pdf?quarter=2026-Q2").data)


def test_a_risks_incidents_and_calibration_count_only_the_units_own_incidents(client, two):
    bj_risk = risk(two, "BJ", "北京价格风险", likelihood=2)
    incident(two, "BJ", "北京客户违约", risk_ids=[bj_risk["id"]])
    incident(two, "HB", "湖北客户欺诈", risk_ids=[bj_risk["id"]])

    def flags(api):
        return [(c["code"], c["incidents"]) for c in api.get("/calibration").get_json()["items"]]

    assert flags(two["manager"]) == [(bj_risk["code"], 2)]
    assert flags(two["officer_bj"]) == [(bj_risk["code"], 1)]
    assert [i["title"] for i in two["officer_bj"].get(f"/incidents?risk_id={bj_risk['id']}").get_json()["items"]] == [
        "北京客户违约"]
    login(client, "officer_bj")
    html = client.get(f"/risks/{bj_risk['id']}?lang=en").get_data(as_text=True)
    assert "北京客户违约" in html and "湖北客户欺诈" not in html
    assert "1 linked incidents in the last two years" in html


# --- Rounds: grading and incident collection ------------------------------------------------------------------

def test_a_grading_rounds_history_shows_a_unit_only_its_own_reopening(app, two):
    manager = two["manager"]
    _created(manager.post("/rounds", {"period": "2026-05", "deadline": "2099-01-01"}))
    assert manager.post("/rounds/2026-05/close").status_code == 200
    for unit, reason in (("BJ", "北京补录两项风险"), ("HB", "湖北负责人被调查，需重评")):
        assert manager.post("/rounds/2026-05/reopen", {"unit": unit, "reason": reason,
                                                        "deadline": "2099-01-01"}).status_code == 200
    (round_id,), = sql(app, "SELECT id FROM grading_rounds")

    def seen(api):
        return [(e["action"], e["comment"]) for e in history(api, "grading_round", round_id)]

    assert seen(two["officer_bj"]) == [("open", None), ("close", None), ("reopen", "北京补录两项风险")]
    assert seen(manager)[-1] == ("reopen", "湖北负责人被调查，需重评")
    assert [u["unit"] for u in two["officer_bj"].get("/rounds/2026-05").get_json()["units"]] == []


def test_an_incident_rounds_history_shows_a_unit_only_its_own_answer(app, two):
    incident(two, "BJ", "北京油罐泄漏")
    _created(two["manager"].post("/incident-rounds", {"quarter": "2026-Q2", "deadline": "2099-01-01"}))
    assert two["officer_bj"].post("/incident-rounds/2026-Q2/answer", {"nil": False}).status_code == 200
    assert two["officer_hb"].post("/incident-rounds/2026-Q2/answer", {"nil": True}).status_code == 200
    (round_id,), = sql(app, "SELECT id FROM incident_rounds")
    assert [e["action"] for e in history(two["officer_bj"], "incident_round", round_id)] == ["open", "submit", "close"]
    assert [e["action"] for e in history(two["manager"], "incident_round", round_id)] == [
        "open", "submit", "nil_report", "close"]
    assert [u["unit"] for u in two["officer_bj"].get("/incident-rounds/2026-Q2").get_json()["units"]] == ["BJ"]


# --- Writes: company-wide items belong to the company roles ---------------------------------------------------

def test_unit_roles_read_company_wide_indicators_but_never_write_them(client, two):
    manager = two["manager"]
    turnover = _created(manager.post("/indicators", {"code": "TURNOVER", "name": "存货周转次数", "rule": "below_target"}))
    assert manager.put(f"/indicators/{turnover['id']}/targets/2026", {"annual": 6, "monthly": [None] * 12}).status_code == 200
    _created(manager.post(f"/indicators/{turnover['id']}/values", {"period": "2026-11", "value": 5}))
    for officer in ("officer_bj", "officer_hb"):
        response = two[officer].post(f"/indicators/{turnover['id']}/values", {"period": "2026-11", "value": 9})
        assert response.status_code == 403
        assert response.get_json()["error"] == "该事项属于全公司，只有公司层面的角色可以修改；本单位可以查看。"
    seen = {i["code"]: i["latest"] for i in two["officer_bj"].get("/indicators").get_json()["items"]}
    assert seen == {"TURNOVER": {"period": "2026-11", "value": 5, "breached": True}}
    # Their own unit's indicator they still record.
    bj_risk = risk(two, "BJ", "北京回款风险")
    own = _created(manager.post("/indicators", {"code": "BJ-COLLECT", "name": "回款率", "rule": "below_target",
                                               "risk_id": bj_risk["id"]}))
    recorded = two["officer_bj"].post(f"/indicators/{own['id']}/values", {"period": "2026-11", "value": 97})
    assert recorded.status_code == 201
    login(client, "officer_bj")
    html = client.get("/indicators/sheet?period=2026-11").get_data(as_text=True)
    assert f'name="v_{own["id"]}"' in html and f'name="v_{turnover["id"]}"' not in html
    html = client.get("/indicators/sheet?unit=-&period=2026-11").get_data(as_text=True)
    assert f'name="v_{turnover["id"]}"' not in html
    # A box the sheet did not draw is not read: nothing is saved.
    sent = client.post("/indicators/sheet", data={
        "csrf_token": csrf_token(client, "/indicators/sheet"), "unit": "-", "period": "2026-11",
        f"v_{turnover['id']}": "9"}, follow_redirects=True)
    assert "未填写任何指标值，未保存。" in sent.get_data(as_text=True)
    assert {i["code"]: i["latest"]["value"] for i in manager.get("/indicators").get_json()["items"]} == {
        "BJ-COLLECT": 97.0, "TURNOVER": 5.0}


def test_an_import_does_not_tell_another_units_risk_from_an_unknown_one(app, two):
    from riskflow.auth.service import user_by_name
    from riskflow.db import session_scope
    from riskflow.errors import Invalid
    from riskflow.register import transfer

    hb_risk = risk(two, "HB", "湖北回款风险", likelihood=3, period="2026-05")
    rows = [{"编号": hb_risk["code"], "发生可能性": "2", "影响程度": "2"}, {"编号": "HB-999", "发生可能性": "2", "影响程度": "2"}]
    with app.app_context(), session_scope(app) as s:
        with pytest.raises(Invalid) as refused:
            transfer.import_assessments(s, user_by_name(s, "officer_bj"), rows, "2026-05")
        errors = {field: [str(m) for m in messages] for field, messages in refused.value.errors.items()}
    assert errors == {"第 2 行，编号": [f"未知风险 {hb_risk['code']}。"], "第 3 行，编号": ["未知风险 HB-999。"]}


# --- Every door at once ---------------------------------------------------------------------------------------

SECRET = "鄂密"  # in every text of HB's rows: none of it may reach BJ's users


@pytest.fixture
def shared_world(two):
    """Rows of both units under every shared parent; HB's texts carry SECRET."""
    manager, inspector = two["manager"], two["inspector"]
    bj_risk = risk(two, "BJ", "北京价格风险", likelihood=5, period="2026-05")
    hb_risk = risk(two, "HB", f"{SECRET}风险", likelihood=5, period="2026-05")
    _created(manager.post("/indicators", {"code": "HB-K", "name": f"{SECRET}指标", "rule": "below_target",
                                          "risk_id": hb_risk["id"]}))
    underrated = risk(two, "HB", f"{SECRET}低估风险", likelihood=1, period="2026-05")
    both = [bj_risk["id"], hb_risk["id"]]
    bj = incident(two, "BJ", "北京事件", risk_ids=both)
    hb = incident(two, "HB", f"{SECRET}事件", risk_ids=both + [underrated["id"]])
    _created(manager.post("/review-meetings", {
        "quarter": "2026-Q2", "held_on": "2026-07-10", "attendees": "各单位风险管理员",
        "items": [{"incident_id": bj["id"], "conclusion": "北京结论"}, {"incident_id": hb["id"],
                                                                     "conclusion": f"{SECRET}结论"}]}))
    _created(manager.post("/rounds", {"period": "2026-05", "deadline": "2099-01-01"}))
    manager.post("/rounds/2026-05/close")
    for unit, reason in (("BJ", "北京理由"), ("HB", f"{SECRET}理由")):
        manager.post("/rounds/2026-05/reopen", {"unit": unit, "reason": reason, "deadline": "2099-01-01"})
    _created(manager.post("/incident-rounds", {"quarter": "2026-Q2", "deadline": "2099-01-01"}))
    two["officer_bj"].post("/incident-rounds/2026-Q2/answer", {"nil": False})
    two["officer_hb"].post("/incident-rounds/2026-Q2/answer", {"nil": False})
    project = _created(inspector.post("/supervision-projects", {
        "title": "销售费用效能监察", "kind": "budget", "method": "efficiency_audit", "lead_unit": "JJ",
        "participating_units": ["BJ", "HB"]}))
    for step in ("file", "start_monitoring"):
        inspector.post(f"/supervision-projects/{project['id']}/transitions", {"transition": step})
    recs = {unit: _created(inspector.post(f"/supervision-projects/{project['id']}/recommendations", {
        "finding": finding, "recommendation": "整改", "responsible_unit": unit}))
        for unit, finding in (("BJ", "北京发现"), ("HB", f"{SECRET}发现"))}
    inspector.client.post(f"/api/v1/recommendations/{recs['HB']['id']}/attachments", headers=inspector.headers,
                          data={"file": (io.BytesIO(b"%PDF-1.4"), f"{SECRET}证据.pdf")},
                          content_type="multipart/form-data")
    return {"bj_risk": bj_risk["id"], "bj_incident": bj["id"], "project": project["id"], "hb_code": hb_risk["code"],
            "hb_letter": recs["HB"]["letter_no"]}


def _pages(w):
    return ["/", "/risks", "/heatmap?period=2026-05", "/risks?period=2026-05&likelihood=5&impact=3",
            "/warnings?period=2026-05", "/indicators", "/incidents", f"/incidents/{w['bj_incident']}",
            f"/risks/{w['bj_risk']}", "/incidents/meetings?quarter=2026-Q2", "/incidents/collection?quarter=2026-Q2",
            "/incidents/calibration", "/supervision", f"/supervision/{w['project']}", "/supervision/summary",
            "/recommendations", "/incidents/pack.pdf?quarter=2026-Q2", "/risks/export?period=2026-05"]


def _api_paths(w):
    return ["/risks", "/incidents", f"/incidents/{w['bj_incident']}", "/recommendations", "/supervision-projects",
            f"/supervision-projects/{w['project']}", "/warnings?period=2026-05", "/major-risks?period=2026-05",
            "/heatmap?period=2026-05", "/indicators", "/calibration", "/rounds/2026-05", "/incident-rounds/2026-Q2",
            "/history?entity=grading_round&id=1", "/history?entity=incident_round&id=1",
            "/history?entity=review_meeting&id=1", f"/history?entity=supervision_project&id={w['project']}",
            f"/history?entity=risk&id={w['bj_risk']}", f"/history?entity=incident&id={w['bj_incident']}"]


def _readable(response) -> str:
    """What a person would read in a response: the page, the JSON, the PDF's or the workbook's text."""
    assert response.status_code == 200, response.request.path
    if response.mimetype == "application/pdf":
        return pdf_text(response.data)
    if response.mimetype.endswith("spreadsheetml.sheet"):
        import zipfile

        with zipfile.ZipFile(io.BytesIO(response.data)) as book:
            return "".join(book.read(name).decode() for name in book.namelist())
    if response.is_json:
        import json

        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True)


def _everything(client, api, w) -> dict[str, str]:
    return {**{path: _readable(client.get(path)) for path in _pages(w)},
            **{"/api/v1" + path: _readable(api.get(path)) for path in _api_paths(w)}}


@pytest.mark.parametrize("username", ["officer_bj", "head_bj"])
def test_no_door_shows_a_unit_another_units_rows(client, two, shared_world, username):
    w = shared_world
    login(client, username)

    def shows_hb(text):
        return SECRET in text or w["hb_code"] in text or w["hb_letter"] in text

    assert sorted(door for door, text in _everything(client, two[username], w).items() if shows_hb(text)) == []
    # The company sees HB's rows through these same doors: the world does reach them.
    company = _everything(app_client_as(client, "manager"), two["manager"], w)
    assert sorted(door for door, text in company.items() if shows_hb(text)) == sorted([
        "/", "/risks", "/heatmap?period=2026-05", "/risks?period=2026-05&likelihood=5&impact=3",
        "/warnings?period=2026-05", "/indicators", "/incidents", f"/incidents/{w['bj_incident']}",
        f"/risks/{w['bj_risk']}", "/incidents/meetings?quarter=2026-Q2", "/incidents/calibration",
        f"/supervision/{w['project']}", "/recommendations", "/incidents/pack.pdf?quarter=2026-Q2",
        "/risks/export?period=2026-05", "/api/v1/risks", "/api/v1/incidents",
        "/api/v1/recommendations", "/api/v1/warnings?period=2026-05", "/api/v1/major-risks?period=2026-05",
        "/api/v1/indicators", "/api/v1/history?entity=grading_round&id=1",
        f"/api/v1/history?entity=supervision_project&id={w['project']}"])
