"""Attacks on issue 15's new doors (closing the loop): another unit's actions, sheets and warnings read or
written through the API; wrong roles on the action and sheet workflows; grades changed after a sheet is
submitted; reports issued or commented by the wrong role; wrong JSON types and odd values. Each test is a
hole that was found, or a door that was tried and held."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import sql

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MONTH = TODAY.strftime("%Y-%m")


def _due(days=20):
    return (TODAY + timedelta(days=days)).isoformat()


@pytest.fixture
def bj(company):
    """BJ's major risk graded this month, its warning, and an action of BJ's (secret title) on it."""
    risk = company.risk("北京机密风险")
    company.grade(risk["id"], MONTH, 5, 4)
    warning = company.manager.get(f"/warnings?period={MONTH}").get_json()["items"][0]
    made = company.manager.post("/actions", {"title": "北京机密措施", "owner": "officer_bj", "due_date": _due(),
                                             "warning_id": warning["id"]})
    assert made.status_code == 201, made.get_json()
    return {"risk": risk, "warning": warning, "action": made.get_json()}


def action_count(app) -> int:
    return sql(app, "SELECT count(*) FROM actions")[0][0]


# ---- reading another unit's actions ------------------------------------------------------------------------

def test_another_unit_lists_none_of_bj_actions_by_any_filter(company, bj):
    sh = company.officer_sh
    for query in ("unit=BJ", "owner=officer_bj", f"warning_id={bj['warning']['id']}", f"risk_id={bj['risk']['id']}",
                  "state=open", "overdue=false", ""):
        listed = sh.get(f"/actions?{query}")
        assert listed.status_code in (200, 422), (query, listed.get_json())
        assert "北京机密措施" not in str(listed.get_json()), query
    action_id = bj["action"]["id"]
    assert sh.get(f"/actions/{action_id}").status_code == 404
    assert sh.get(f"/history?entity=action&id={action_id}").status_code == 404
    assert sh.patch(f"/actions/{action_id}", {"title": "改"}).status_code == 404
    assert sh.post(f"/actions/{action_id}/transitions", {"transition": "start"}).status_code == 404


def test_another_unit_cannot_read_or_add_evidence_on_bj_action(company, bj):
    action_id = bj["action"]["id"]
    import io
    sent = company.officer_bj.client.post(f"/api/v1/actions/{action_id}/attachments", headers=company.officer_bj.headers,
                                          data={"file": (io.BytesIO(b"%PDF-1.4 secret"), "evidence.pdf")},
                                          content_type="multipart/form-data")
    assert sent.status_code == 201, sent.get_json()
    attachment = sent.get_json()
    assert company.officer_sh.get(f"/attachments/{attachment['id']}").status_code == 404
    forged = company.officer_sh.client.post(f"/api/v1/actions/{action_id}/attachments",
                                            headers=company.officer_sh.headers,
                                            data={"file": (io.BytesIO(b"%PDF-1.4 x"), "x.pdf")},
                                            content_type="multipart/form-data")
    assert forged.status_code == 404
    for reader in (company.leader, company.inspector):
        refused = reader.client.post(f"/api/v1/actions/{action_id}/attachments", headers=reader.headers,
                                     data={"file": (io.BytesIO(b"%PDF-1.4 x"), "x.pdf")},
                                     content_type="multipart/form-data")
        assert refused.status_code == 403, refused.get_json()


# ---- writing: creating and moving actions ------------------------------------------------------------------

def test_another_unit_cannot_assign_on_bj_items_nor_to_bj_people(app, company, bj):
    before = action_count(app)
    sh = company.officer_sh
    cases = [
        {"title": "甲", "owner": "officer_sh", "due_date": _due(), "warning_id": bj["warning"]["id"]},
        {"title": "甲", "owner": "officer_sh", "due_date": _due(), "risk_id": bj["risk"]["id"]},
        {"title": "甲", "owner": "officer_bj", "due_date": _due()},
        {"title": "甲", "owner": "head_bj", "due_date": _due()},
    ]
    for body in cases:
        refused = sh.post("/actions", body)
        assert refused.status_code in (403, 422), (body, refused.get_json())
        text = str(refused.get_json())
        assert "北京机密" not in text and bj["risk"]["code"] not in text, text
    assert action_count(app) == before


def test_an_action_is_owned_only_by_a_unit_role_or_a_risk_manager_who_is_active(app, company, make, bj):
    make.user("gone_bj", "risk_officer", unit="BJ")
    from sqlalchemy import text
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text("UPDATE users SET active = false WHERE username = 'gone_bj'"))
    before = action_count(app)
    for owner in ("leader", "inspector", "admin", "gone_bj", "", "officer_bj\x00"):
        refused = company.manager.post("/actions", {"title": "甲", "owner": owner, "due_date": _due()})
        assert refused.status_code == 422, (owner, refused.get_json())
        assert "owner" in refused.get_json()["errors"]
    assert action_count(app) == before


def test_items_of_two_units_are_not_linked_and_an_action_is_not_moved_to_another_unit(app, company, bj):
    sh_risk = company.risk("上海风险", unit="SH")
    two = company.manager.post("/actions", {"title": "甲", "owner": "officer_bj", "due_date": _due(),
                                            "warning_id": bj["warning"]["id"], "risk_id": sh_risk["id"]})
    assert two.status_code == 422
    action_id = bj["action"]["id"]
    moved = company.officer_bj.patch(f"/actions/{action_id}", {"owner": "officer_sh"})
    assert moved.status_code == 422, moved.get_json()
    relinked = company.officer_bj.patch(f"/actions/{action_id}", {"risk_id": sh_risk["id"], "warning_id": None})
    assert relinked.status_code == 422, relinked.get_json()
    by_manager = company.manager.patch(f"/actions/{action_id}", {"owner": "officer_sh"})
    assert by_manager.status_code == 422, by_manager.get_json()
    assert sql(app, f"SELECT unit_id, owner_id FROM actions WHERE id = {action_id}") == sql(
        app, "SELECT u.unit_id, u.id FROM users u WHERE username = 'officer_bj'")


# ---- the action workflow with the wrong role or unit -------------------------------------------------------

def test_the_action_workflow_refuses_the_wrong_role_or_unit(app, company, bj):
    path = f"/actions/{bj['action']['id']}/transitions"
    assert company.manager.post(path, {"transition": "start"}).status_code == 422  # the owner's unit starts it
    for api in (company.leader, company.inspector, company.admin):
        assert api.post(path, {"transition": "start"}).status_code == 403
    assert company.officer_bj.post(path, {"transition": "start"}).status_code == 200
    assert company.officer_bj.post(path, {"transition": "submit", "report": "完成"}).status_code == 200
    for transition in ("confirm", "return", "cancel"):
        refused = company.head_bj.post(path, {"transition": transition, "comment": "x"})
        assert refused.status_code == 403, (transition, refused.get_json())
    assert sql(app, f"SELECT state FROM actions WHERE id = {bj['action']['id']}") == [("submitted",)]


def test_a_warning_is_not_confirmed_done_while_actions_are_open_nor_by_a_unit_role(company, bj):
    warning_id = bj["warning"]["id"]
    assert company.head_bj.patch(f"/warnings/{warning_id}", {"status": "done"}).status_code == 403
    early = company.manager.patch(f"/warnings/{warning_id}", {"status": "done"})
    assert early.status_code == 422, early.get_json()
    assert company.officer_sh.patch(f"/warnings/{warning_id}", {"status": "done"}).status_code == 404


@pytest.mark.parametrize("key", ["actor", "item", "name", "session", "period", "unit_code", "transition_name"])
def test_a_transition_body_with_an_odd_field_name_is_not_a_server_error(company, bj, key):
    path = f"/actions/{bj['action']['id']}/transitions"
    response = company.officer_bj.post(path, {"transition": "start", key: "x"})
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:300]
    company.manager.post("/rounds", {"period": MONTH, "deadline": _due(5)})
    sheet = company.officer_bj.post(f"/rounds/{MONTH}/units/BJ/transitions", {"transition": "submit", key: "x"})
    assert sheet.status_code in (200, 409, 422), sheet.get_data(as_text=True)[:300]


# ---- grading sheets ----------------------------------------------------------------------------------------

def _submitted_bj_sheet(company):
    assert company.manager.post("/rounds", {"period": MONTH, "deadline": _due(5)}).status_code in (200, 201)
    risk = company.risk("北京甲风险")
    company.grade(risk["id"], MONTH, 2, 2, api=company.officer_bj)
    path = f"/rounds/{MONTH}/units/BJ/transitions"
    assert company.officer_bj.post(path, {"transition": "submit"}).status_code == 200
    return risk, path


def test_another_unit_or_the_wrong_role_cannot_step_bj_sheet(make, company):
    from conftest import Api
    make.user("head_sh", "unit_head", unit="SH")
    head_sh = Api(company.manager.client, make.token("head_sh"))
    risk, path = _submitted_bj_sheet(company)
    for api, transition in ((company.officer_sh, "confirm"), (head_sh, "confirm"), (head_sh, "return"),
                            (company.officer_sh, "return")):
        refused = api.post(path, {"transition": transition, "comment": "x"})
        assert refused.status_code == 404, (transition, refused.get_json())
    for api in (company.leader, company.inspector, company.officer_bj):
        assert api.post(path, {"transition": "confirm"}).status_code == 403
    assert company.manager.post(path, {"transition": "accept"}).status_code == 409  # not confirmed yet
    unknown = company.officer_sh.post(f"/rounds/{MONTH}/units/NOPE/transitions", {"transition": "submit"})
    assert unknown.status_code == 404


def test_a_grade_is_not_changed_after_submit_through_any_api_door(app, company):
    risk, _path = _submitted_bj_sheet(company)
    before = sql(app, "SELECT likelihood, impact FROM assessments")
    put = company.officer_bj.put(f"/risks/{risk['id']}/assessments/{MONTH}",
                                 {"likelihood": 5, "impact": 5, "rationale": "改"})
    assert put.status_code == 409
    post = company.officer_bj.post(f"/risks/{risk['id']}/assessments",
                                   {"period": MONTH, "likelihood": 5, "impact": 5, "rationale": "改"})
    assert post.status_code in (409, 422), post.get_json()
    new = company.manager.post("/risks", {"title": "新风险", "unit": "BJ", "category": "receivables"})
    if new.status_code == 201:
        graded = company.officer_bj.post(f"/risks/{new.get_json()['id']}/assessments",
                                         {"period": MONTH, "likelihood": 5, "impact": 5, "rationale": "改"})
        assert graded.status_code == 409, graded.get_json()
    assert sql(app, "SELECT likelihood, impact FROM assessments") == before


# ---- reports -----------------------------------------------------------------------------------------------

def test_reports_are_issued_and_commented_only_by_the_risk_manager(company):
    made = company.manager.post("/reports", {"kind": "monthly", "period": MONTH})
    assert made.status_code in (200, 201), made.get_json()
    report_id = made.get_json()["id"]
    for api in (company.officer_bj, company.head_bj, company.leader, company.inspector):
        assert api.post(f"/reports/{report_id}/issue").status_code in (403, 404)
        assert api.patch(f"/reports/{report_id}", {"commentary": "x"}).status_code in (403, 404)
    for bad in (1, ["x"], {"a": 1}, True, "x" * 20001):
        refused = company.manager.patch(f"/reports/{report_id}", {"commentary": bad})
        assert refused.status_code in (400, 422), (repr(bad)[:30], refused.get_data(as_text=True)[:300])
    odd = company.manager.patch(f"/reports/{report_id}", {"commentary": "分析\x00\x0b\u202e\ud7ff 🚧"})
    assert odd.status_code in (200, 422), odd.get_data(as_text=True)[:300]
    for form in ("pdf", "docx"):
        got = company.manager.get(f"/reports/{report_id}/download?format={form}")
        assert got.status_code == 200
        if form == "docx":
            _parses(got.data)
    assert company.manager.post(f"/reports/{report_id}/issue").status_code == 200
    assert company.manager.post(f"/reports/{report_id}/issue").status_code == 409
    assert company.manager.patch(f"/reports/{report_id}", {"commentary": "迟来"}).status_code == 409
    again = company.manager.post("/reports", {"kind": "monthly", "period": MONTH, "regenerate": True})
    assert again.status_code in (200, 201, 409), again.get_json()
    row = company.manager.get(f"/reports?kind=monthly&period={MONTH}").get_json()["items"]
    issued = [r for r in row if r["id"] == report_id][0]
    assert issued["status"] == "issued"


# ---- wrong JSON types and odd values -----------------------------------------------------------------------

BAD_CREATE = [
    {"title": 1}, {"title": True}, {"title": ["x"]}, {"title": {"a": 1}}, {"title": "x" * 201},
    {"description": "x" * 8001}, {"title": "甲\ud800"}, {"owner": "officer_bj\udfff"},
    {"owner": 3}, {"owner": ["officer_bj"]}, {"owner": {"username": "officer_bj"}}, {"owner": True},
    {"due_date": "2026-02-30"}, {"due_date": "0000-01-01"}, {"due_date": "9999-99-99"}, {"due_date": 20260101},
    {"due_date": True}, {"due_date": ["2030-01-01"]}, {"due_date": "2030-01-01T00:00:00"},
    {"due_date": (TODAY - timedelta(days=1)).isoformat()},
    {"warning_id": "1"}, {"warning_id": True}, {"warning_id": 10 ** 30}, {"warning_id": 2 ** 63},
    {"warning_id": -1}, {"warning_id": 1.5}, {"warning_id": [1]}, {"risk_id": {"id": 1}},
    {"incident_id": 2 ** 63}, {"meeting_id": 10 ** 20},
]


@pytest.mark.parametrize("bad", BAD_CREATE, ids=lambda b: repr(b)[:40])
def test_wrong_types_and_odd_values_are_refused_never_a_server_error(app, company, bad):
    before = action_count(app)
    body = {"title": "甲", "owner": "officer_bj", "due_date": _due(), **bad}
    response = company.manager.post("/actions", body)
    assert response.status_code in (400, 404, 422), (response.status_code, response.get_data(as_text=True)[:300])
    assert action_count(app) == before


def test_patch_with_wrong_types_and_forged_versions_is_refused(app, company, bj):
    action_id = bj["action"]["id"]
    for bad in ({"version": "1"}, {"version": True}, {"version": 10 ** 30}, {"version": -1},
                {"title": None}, {"owner": None}, {"due_date": None}, {"due_date": "2026-02-30"},
                {"id": 999}, {"state": "done"}, {"unit_id": 2}, {"code": "CS-1999-0001"}):
        response = company.manager.patch(f"/actions/{action_id}", bad)
        assert response.status_code in (400, 409, 422), (bad, response.status_code,
                                                         response.get_data(as_text=True)[:300])
    assert sql(app, f"SELECT title, state, code FROM actions WHERE id = {action_id}") == [
        ("北京机密措施", "open", bj["action"]["code"])]


def test_huge_or_odd_ids_in_the_list_filters_are_refused_never_a_server_error(company, bj):
    for query in ("warning_id=99999999999999999999999", "risk_id=abc", "risk_id=-1", "meeting_id=1.5",
                  "state=nope", "overdue=maybe", "unit=%00", "owner=%00", "incident_id=9223372036854775808"):
        response = company.manager.get(f"/actions?{query}")
        assert response.status_code in (200, 400, 422), (query, response.status_code)
    assert company.manager.get("/actions/99999999999999999999").status_code == 404
    assert company.manager.get("/history?entity=action&id=99999999999999999999").status_code in (404, 422)
    assert company.manager.get("/history?entity=grading_sheet&id=1").status_code in (200, 404)


def test_odd_unicode_is_kept_as_typed(company):
    title = "整改\u200b措施 🚧 \u202eRTL ﷽"
    made = company.manager.post("/actions", {"title": title, "owner": "officer_bj", "due_date": _due()})
    assert made.status_code == 201, made.get_json()
    assert company.manager.get(f"/actions/{made.get_json()['id']}").get_json()["title"] == title


def test_control_characters_in_an_action_do_not_break_the_reports_that_name_it(company, bj):
    odd = "甲\x00乙\x0b丙\x1f丁"
    made = company.manager.post("/actions", {"title": odd, "description": odd, "owner": "head_bj", "due_date": _due(),
                                             "warning_id": bj["warning"]["id"]})
    assert made.status_code in (201, 422), made.get_json()
    for kind in ("progress", "monthly"):
        report = company.manager.post("/reports", {"kind": kind, "period": MONTH})
        assert report.status_code in (200, 201), (kind, report.get_data(as_text=True)[:300])
        for form in ("pdf", "docx"):
            got = company.manager.get(f"/reports/{report.get_json()['id']}/download?format={form}")
            assert got.status_code == 200, (kind, form)
            if form == "docx":
                _parses(got.data)


def _parses(docx: bytes) -> None:
    """A Word document whose body is XML Word can open (no control characters inside)."""
    import io
    import zipfile
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        ElementTree.fromstring(z.read("word/document.xml"))


# ---- the risk department's own actions and the pages -------------------------------------------------------

def test_a_unit_role_reads_none_of_the_risk_department_own_actions(client, company):
    made = company.manager.post("/actions", {"title": "风险部内部核查北京", "owner": "manager", "due_date": _due()})
    assert made.status_code == 201, made.get_json()
    action_id = made.get_json()["id"]
    for api in (company.officer_sh, company.officer_bj, company.head_bj):
        assert api.get(f"/actions/{action_id}").status_code == 404
        assert api.get(f"/history?entity=action&id={action_id}").status_code == 404
        assert "风险部内部核查北京" not in str(api.get("/actions").get_json())
    assert company.leader.get(f"/actions/{action_id}").status_code == 200
    from conftest import login
    login(client, "officer_bj")
    assert client.get(f"/actions/{action_id}").status_code == 404


def test_another_unit_cannot_open_or_post_bj_action_pages(client, company, bj):
    from conftest import csrf_token, login
    action_id = bj["action"]["id"]
    login(client, "officer_sh")
    for path in (f"/actions/{action_id}", f"/actions/{action_id}/edit",
                 f"/actions/new?warning_id={bj['warning']['id']}", f"/actions/new?risk_id={bj['risk']['id']}",
                 f"/actions?unit=BJ"):
        got = client.get(path)
        assert got.status_code in (200, 404), path
        assert "北京机密" not in got.get_data(as_text=True), path
    token = csrf_token(client, "/actions")
    posted = client.post(f"/actions/{action_id}", data={"csrf_token": token, "transition": "start"})
    assert posted.status_code == 404
    edited = client.post(f"/actions/{action_id}/edit", data={"csrf_token": token, "title": "改", "owner": "officer_sh",
                                                             "due_date": _due(), "version": "1"})
    assert edited.status_code == 404
    made = client.post(f"/actions/new?warning_id={bj['warning']['id']}",
                       data={"csrf_token": token, "title": "改", "owner": "officer_sh", "due_date": _due()})
    assert made.status_code == 404
    assert sql(client.application, "SELECT title, state FROM actions") == [("北京机密措施", "open")]


def test_the_new_posts_without_a_csrf_token_change_nothing(client, company, bj):
    from conftest import login
    action_id = bj["action"]["id"]
    login(client, "officer_bj")
    client.post(f"/actions/{action_id}", data={"transition": "start"})
    client.post(f"/actions/{action_id}/edit", data={"title": "改", "owner": "officer_bj", "due_date": _due()})
    client.post(f"/actions/new?warning_id={bj['warning']['id']}",
                data={"title": "新", "owner": "officer_bj", "due_date": _due()})
    client.post("/grading/sheet", data={"period": MONTH, "unit": "BJ", "transition": "submit"})
    assert sql(client.application, "SELECT title, state FROM actions") == [("北京机密措施", "open")]
    client = client.application.test_client()
    login(client, "manager")
    client.post(f"/rounds/{MONTH}/units/BJ/sheet", data={"transition": "accept"})
    assert sql(client.application, "SELECT count(*) FROM grading_sheets WHERE state != 'grading'") == [(0,)]


def test_the_grading_page_steps_only_the_users_own_unit_sheet(client, company):
    from conftest import csrf_token, login
    risk, _path = _submitted_bj_sheet(company)
    login(client, "officer_sh")
    token = csrf_token(client, "/grading")
    for period in (MONTH, "2026-13", "", "0000-01", "9" * 40):
        response = client.post("/grading/sheet", data={"csrf_token": token, "period": period, "unit": "BJ",
                                                        "transition": "return", "comment": "x"})
        assert response.status_code in (200, 302, 403, 404, 409, 422), (period, response.status_code)
    client = client.application.test_client()
    login(client, "leader")
    token = csrf_token(client, "/actions")
    refused = client.post(f"/rounds/{MONTH}/units/BJ/sheet", data={"csrf_token": token, "transition": "return",
                                                                   "comment": "x"})
    assert refused.status_code in (403, 404)
    assert sql(client.application, "SELECT state FROM grading_sheets") == [("submitted",)]


def test_a_unit_role_cannot_hang_its_action_on_a_company_wide_item_beside_its_own(app, company):
    quarter = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"
    incident = company.officer_bj.post("/incidents", {
        "title": "客户信用证逾期", "kind": "loss_event", "occurred_on": TODAY.isoformat(),
        "discovered_on": TODAY.isoformat(), "unit": "BJ", "description": "", "cause": "", "handling": "",
        "losses": {"financial": 1000}, "risk_ids": []})
    assert incident.status_code == 201, incident.get_json()
    meeting = company.manager.post("/review-meetings", {"quarter": quarter, "held_on": TODAY.isoformat(),
                                                        "attendees": "风险部",
                                                        "items": [{"incident_id": incident.get_json()["id"]}],
                                                        "decisions": []})
    assert meeting.status_code == 201, meeting.get_json()
    before = action_count(app)
    for extra in ({"meeting_id": meeting.get_json()["id"]},):
        body = {"title": "甲", "owner": "officer_bj", "due_date": _due(), "incident_id": incident.get_json()["id"],
                **extra}
        refused = company.officer_bj.post("/actions", body)
        assert refused.status_code in (403, 422), (extra, refused.get_json())
    assert action_count(app) == before
    own = company.officer_bj.post("/actions", {"title": "乙", "owner": "officer_bj", "due_date": _due(),
                                               "incident_id": incident.get_json()["id"]})
    assert own.status_code == 201, own.get_json()
    relinked = company.officer_bj.patch(f"/actions/{own.get_json()['id']}", {"meeting_id": meeting.get_json()["id"]})
    assert relinked.status_code in (403, 422), relinked.get_json()
    assert sql(app, f"SELECT meeting_id FROM actions WHERE id = {own.get_json()['id']}") == [(None,)]


def test_no_evidence_is_added_to_an_action_once_confirmed_or_cancelled(app, client, company, bj):
    import io
    from conftest import csrf_token, login
    action_id = bj["action"]["id"]
    path = f"/actions/{action_id}/transitions"
    assert company.officer_bj.post(path, {"transition": "start"}).status_code == 200
    assert company.officer_bj.post(path, {"transition": "submit", "report": "完成"}).status_code == 200
    assert company.manager.post(path, {"transition": "confirm"}).status_code == 200
    late = company.officer_bj.client.post(f"/api/v1/actions/{action_id}/attachments",
                                          headers=company.officer_bj.headers,
                                          data={"file": (io.BytesIO(b"%PDF-1.4 late"), "late.pdf")},
                                          content_type="multipart/form-data")
    assert late.status_code in (409, 422), late.get_json()
    login(client, "officer_bj")
    token = csrf_token(client, f"/actions/{action_id}")
    client.post(f"/evidence/action/{action_id}", data={"csrf_token": token,
                                                       "file": (io.BytesIO(b"%PDF-1.4 late"), "late.pdf")},
                content_type="multipart/form-data")
    assert sql(app, "SELECT count(*) FROM attachments") == [(0,)]


def test_a_company_wide_warning_lists_another_unit_none_of_bj_actions_on_it(client, company):
    from conftest import login
    last = (TODAY.replace(day=1) - timedelta(days=1))
    period = last.strftime("%Y-%m")
    indicator = company.indicator("CO-WIDE", name="公司资产负债率", rule="above_target", annual=60,
                                  years=tuple(sorted({last.year, TODAY.year})))
    recorded = company.manager.post(f"/indicators/{indicator['id']}/values", {"period": period, "value": 150})
    assert recorded.status_code == 201, recorded.get_json()
    warning = [w for w in company.manager.get(f"/warnings?period={period}").get_json()["items"]
               if w["indicator_id"] == indicator["id"]][0]
    made = company.manager.post("/actions", {"title": "北京机密措施", "owner": "officer_bj", "due_date": _due(),
                                             "warning_id": warning["id"]})
    assert made.status_code == 201, made.get_json()
    listed = company.officer_sh.get(f"/warnings?period={period}")
    assert listed.status_code == 200
    assert "北京机密措施" not in str(listed.get_json())
    login(client, "officer_sh")
    page = client.get(f"/warnings?period={period}").get_data(as_text=True)
    assert "北京机密措施" not in page


@pytest.mark.parametrize("owner", ["officer_bj", "head_bj", "leader", "inspector", "manager"])
def test_an_incident_corrective_action_goes_only_to_the_incident_unit_people(app, company, owner):
    response = company.officer_sh.post("/incidents", {
        "title": "上海事件", "kind": "loss_event", "occurred_on": TODAY.isoformat(),
        "discovered_on": TODAY.isoformat(), "unit": "SH", "description": "", "cause": "", "handling": "",
        "losses": {"financial": 1000}, "risk_ids": [], "corrective_action": "复核", "action_owner": owner,
        "action_due": _due()})
    assert response.status_code in (201, 422), response.get_json()
    assert action_count(app) == 0


@pytest.mark.parametrize("owner", ["leader", "inspector", "admin"])
def test_a_meeting_decision_is_not_owned_by_a_reader(app, company, owner):
    quarter = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"
    incident = company.officer_bj.post("/incidents", {
        "title": "事件", "kind": "loss_event", "occurred_on": TODAY.isoformat(), "discovered_on": TODAY.isoformat(),
        "unit": "BJ", "description": "", "cause": "", "handling": "", "losses": {"financial": 1}, "risk_ids": []})
    response = company.manager.post("/review-meetings", {
        "quarter": quarter, "held_on": TODAY.isoformat(), "attendees": "风险部",
        "items": [{"incident_id": incident.get_json()["id"]}],
        "decisions": [{"title": "甲", "owner": owner, "due_date": _due()}]})
    assert response.status_code == 422, response.get_json()
    assert action_count(app) == 0


def test_another_unit_reads_no_reason_bj_sheet_was_returned_for(client, company):
    from conftest import login
    _risk, path = _submitted_bj_sheet(company)
    assert company.manager.post(path, {"transition": "return", "comment": "北京机密退回理由"}).status_code == 200
    got = company.officer_sh.get(f"/rounds/{MONTH}")
    assert got.status_code in (200, 403, 404)
    assert "北京机密退回理由" not in str(got.get_json())
    assert "北京机密退回理由" in str(company.officer_bj.get(f"/rounds/{MONTH}").get_json())
    assert company.officer_sh.get("/history?entity=grading_sheet&id=1").status_code == 404
    login(client, "officer_sh")
    for page in ("/grading", f"/grading?unit=BJ&period={MONTH}", "/notifications", "/"):
        assert "北京机密退回理由" not in client.get(page).get_data(as_text=True), page
