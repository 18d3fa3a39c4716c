"""Actions through the API beyond the core: evidence files, and lists whose statements do not grow with their
rows (GET /actions, GET /warnings with each warning's actions)."""
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import sql
from test_statement_counts import statements_for

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MONTH = TODAY.strftime("%Y-%m")
PDF = b"%PDF-1.4\n% evidence\n"


def _due(days=20):
    return (TODAY + timedelta(days=days)).isoformat()


def upload(api, action_id, name, data):
    return api.client.post(f"/api/v1/actions/{action_id}/attachments", headers=api.headers,
                           content_type="multipart/form-data", data={"file": (io.BytesIO(data), name)})


def assign(company, owner="officer_bj", **links):
    made = company.manager.post("/actions", {"title": "核对应收台账", "owner": owner, "due_date": _due(), **links})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_evidence_is_attached_by_the_actions_unit_or_the_risk_manager_and_listed_in_the_action(app, company):
    action = assign(company)
    assert action["attachments"] == []
    created = upload(company.head_bj, action["id"], "对账单.pdf", PDF)
    assert created.status_code == 201, created.get_json()
    first = created.get_json()
    assert (first["filename"], first["size"], first["content_type"]) == ("对账单.pdf", len(PDF), "application/pdf")
    second = upload(company.manager, action["id"], "说明.txt", "已核对完毕".encode()).get_json()
    body = company.officer_bj.get(f"/actions/{action['id']}").get_json()
    assert body["attachments"] == [
        {"id": first["id"], "filename": "对账单.pdf", "size": len(PDF), "download_url": f"/api/v1/attachments/{first['id']}"},
        {"id": second["id"], "filename": "说明.txt", "size": len("已核对完毕".encode()),
         "download_url": f"/api/v1/attachments/{second['id']}"}]
    listed = company.officer_bj.get("/actions").get_json()["items"]
    assert listed[0]["attachments"] == body["attachments"]
    download = company.officer_bj.client.get(body["attachments"][0]["download_url"], headers=company.officer_bj.headers)
    assert download.status_code == 200 and download.data == PDF
    assert company.officer_sh.client.get(body["attachments"][0]["download_url"],
                                         headers=company.officer_sh.headers).status_code == 404
    history = company.manager.get(f"/history?entity=action&id={action['id']}").get_json()["items"]
    assert [(h["action"], h["changes"]) for h in history if h["action"] == "attach"] == [
        ("attach", {"file": [None, "对账单.pdf"]}), ("attach", {"file": [None, "说明.txt"]})]


def test_evidence_is_refused_to_other_units_other_roles_and_bad_files(app, company):
    action = assign(company)
    company_wide = assign(company, owner="manager")
    assert upload(company.officer_sh, action["id"], "a.pdf", PDF).status_code == 404
    assert upload(company.inspector, action["id"], "a.pdf", PDF).status_code == 403
    assert upload(company.leader, action["id"], "a.pdf", PDF).status_code == 403
    assert upload(company.officer_bj, company_wide["id"], "a.pdf", PDF).status_code in (403, 404)
    assert upload(company.officer_bj, 999999, "a.pdf", PDF).status_code == 404
    wrong = upload(company.officer_bj, action["id"], "a.pdf", b"MZ\x90")
    assert wrong.status_code == 422 and list(wrong.get_json()["errors"]) == ["file"]
    missing = company.officer_bj.client.post(f"/api/v1/actions/{action['id']}/attachments",
                                             headers=company.officer_bj.headers, content_type="multipart/form-data",
                                             data={})
    assert missing.status_code in (400, 422)
    assert sql(app, "SELECT count(*) FROM attachments") == [(0,)]
    assert company.manager.get(f"/actions/{action['id']}").get_json()["attachments"] == []


def _grow_actions(company, n, start=0):
    """N actions of BJ, each with an evidence file."""
    for i in range(start, start + n):
        action = assign(company, owner="officer_bj" if i % 2 else "head_bj")
        assert upload(company.officer_bj, action["id"], f"证据{i}.pdf", PDF).status_code == 201


def test_the_action_list_runs_the_same_statements_for_5_or_50_rows(app, company):
    _grow_actions(company, 5)
    small = {name: statements_for(app, lambda: getattr(company, name).get("/actions?per_page=50"))
             for name in ("manager", "officer_bj")}
    _grow_actions(company, 45, start=5)
    assert company.officer_bj.get("/actions?per_page=50").get_json()["total"] == 50
    large = {name: statements_for(app, lambda: getattr(company, name).get("/actions?per_page=50"))
             for name in ("manager", "officer_bj")}
    assert large == small, (small, large)


def test_a_page_of_50_warnings_with_5_actions_each_costs_what_one_action_each_costs(app, company):
    from riskflow.actions.models import Action
    from riskflow.db import session_scope
    from riskflow.register.models import RiskWarning

    risks = [company.risk(f"风险{i}")["id"] for i in range(50)]
    for risk_id in risks:
        company.grade(risk_id, MONTH, 5, 4)
    with app.app_context(), session_scope(app) as s:
        warnings = list(s.query(RiskWarning).filter(RiskWarning.period == MONTH))
        owner = company_user(s, "officer_bj")
        unit_id = owner.unit_id
        assert len(warnings) == 50

        def add(per_warning, offset):
            for w in warnings:
                for k in range(per_warning):
                    n = offset + len(warnings) * k + w.id
                    s.add(Action(code=f"CS-T-{n:05d}", title=f"措施{n}", owner_id=owner.id, unit_id=unit_id,
                                 due_date=TODAY, warning_id=w.id, risk_id=w.risk_id, state="open",
                                 workflow_version=1))
            s.flush()

        add(1, 0)
    path = f"/warnings?period={MONTH}&per_page=50"
    company.officer_bj.get(path)  # the first request of a caller reads what later ones find cached
    one = statements_for(app, lambda: company.officer_bj.get(path))
    assert [len(w["actions"]) for w in company.officer_bj.get(path).get_json()["items"]] == [1] * 50
    with app.app_context(), session_scope(app) as s:
        warnings = list(s.query(RiskWarning).filter(RiskWarning.period == MONTH))
        owner = company_user(s, "officer_bj")
        unit_id = owner.unit_id
        add(4, 100000)
    five = statements_for(app, lambda: company.officer_bj.get(path))
    assert [len(w["actions"]) for w in company.officer_bj.get(path).get_json()["items"]] == [5] * 50
    assert five == one, (one, five)


def company_user(session, username):
    from riskflow.auth.service import user_by_name

    return user_by_name(session, username)
