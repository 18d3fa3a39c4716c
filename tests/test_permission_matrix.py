"""Every role against every endpoint and page, including another unit's ids: nothing beyond the policy.

The officer and the unit head belong to BJ; `sh` items belong to SH. An allowed request that is
deliberately incomplete answers 422 (or 409), which proves the door was open; 403 is a role refused,
404 an item outside the caller's unit."""
import io

import pytest

from conftest import Api, csrf_token, login

ROLES = ("admin", "risk_manager", "risk_officer", "inspector", "unit_head", "viewer")


def exp(admin, manager, officer, inspector, head, viewer):
    return dict(zip(ROLES, (admin, manager, officer, inspector, head, viewer)))


ALL_200 = exp(200, 200, 200, 200, 200, 200)
COMPANY_200 = exp(200, 200, 404, 200, 404, 200)   # another unit's item


@pytest.fixture
def world(client, make):
    make.unit("BJ", "北京")
    make.unit("SH", "上海")
    make.unit("JJ", "纪检", kind="inspection")
    users = {}
    for role in ROLES:
        unit = {"risk_officer": "BJ", "unit_head": "BJ", "inspector": "JJ"}.get(role)
        make.user(role, role, unit=unit)
        users[role] = Api(client, make.token(role))
    manager, inspector = users["risk_manager"], users["inspector"]
    w = {"users": users}
    for unit in ("BJ", "SH"):
        risk = manager.post("/risks", {"title": f"{unit} 风险", "unit": unit, "category": "price"}).get_json()
        manager.post(f"/risks/{risk['id']}/assessments", {"period": "2026-05", "likelihood": 5, "impact": 5})
        w[f"risk_{unit}"] = risk["id"]
        w[f"warning_{unit}"] = [x for x in manager.get("/warnings?period=2026-05").get_json()["items"]
                                if x["risk_id"] == risk["id"]][0]["id"]
        w[f"indicator_{unit}"] = manager.post("/indicators", {"code": f"K-{unit}", "name": "回款率", "rule": "below_target",
                                                             "risk_id": risk["id"]}).get_json()["id"]
        w[f"incident_{unit}"] = manager.post("/incidents", {
            "title": f"{unit} 事件", "kind": "near_miss", "occurred_on": "2026-05-02", "discovered_on": "2026-05-02",
            "unit": unit}).get_json()["id"]
    project = inspector.post("/supervision-projects", {"title": "监察", "kind": "budget", "method": "efficiency_audit",
                                                       "lead_unit": "JJ", "participating_units": ["BJ"]}).get_json()
    sh_project = inspector.post("/supervision-projects", {"title": "上海监察", "kind": "budget",
                                                          "method": "efficiency_audit", "lead_unit": "JJ",
                                                          "participating_units": ["SH"]}).get_json()
    for p in (project, sh_project):
        for step in ("file", "start_monitoring"):
            inspector.post(f"/supervision-projects/{p['id']}/transitions", {"transition": step})
    w["project"], w["project_SH"] = project["id"], sh_project["id"]
    for unit, p in (("BJ", project), ("SH", sh_project)):
        w[f"rec_{unit}"] = inspector.post(f"/supervision-projects/{p['id']}/recommendations", {
            "finding": "f", "recommendation": "r", "responsible_unit": unit}).get_json()["id"]
    attachment = inspector.client.post(f"/api/v1/recommendations/{w['rec_SH']}/attachments", headers=inspector.headers,
                                       data={"file": (io.BytesIO(b"%PDF-1.4"), "e.pdf")},
                                       content_type="multipart/form-data")
    w["attachment_SH"] = attachment.get_json()["id"]
    w["indicator_company"] = manager.post("/indicators", {
        "code": "K-ALL", "name": "周转次数", "rule": "below_target"}).get_json()["id"]
    manager.post("/rounds", {"period": "2026-05", "deadline": "2099-01-01"})
    manager.post("/incident-rounds", {"quarter": "2026-Q2", "deadline": "2099-01-01"})
    w["meeting"] = manager.post("/review-meetings", {
        "quarter": "2026-Q2", "held_on": "2026-06-01", "attendees": "全体",
        "items": [{"incident_id": w["incident_BJ"]}]}).get_json()["id"]
    return w


def api_cases(w):
    """(method, path, body, expected status by role)."""
    rb, rs = w["risk_BJ"], w["risk_SH"]
    return [
        ("get", "/units", None, ALL_200),
        ("post", "/units", {"code": "NEW", "name": "新单位"}, exp(201, 403, 403, 403, 403, 403)),
        ("get", "/categories", None, ALL_200),
        ("get", "/standard", None, ALL_200),
        ("get", "/risks", None, ALL_200),
        ("get", f"/risks/{rb}", None, ALL_200),
        ("get", f"/risks/{rs}", None, COMPANY_200),
        ("post", "/risks", {"title": "x", "unit": "SH", "category": "price"}, exp(201, 201, 403, 403, 403, 403)),
        ("patch", f"/risks/{rb}", {"version": 999, "owner": "x"}, exp(409, 409, 409, 403, 403, 403)),
        ("patch", f"/risks/{rs}", {"version": 999, "owner": "x"}, exp(409, 409, 404, 403, 404, 403)),
        ("get", f"/risks/{rs}/assessments", None, COMPANY_200),
        ("post", f"/risks/{rb}/assessments", {"period": "2026-05", "likelihood": 9}, exp(422, 422, 422, 403, 403, 403)),
        ("post", f"/risks/{rs}/assessments", {"period": "2026-05", "likelihood": 9}, exp(422, 422, 404, 403, 404, 403)),
        ("put", f"/risks/{rs}/assessments/2026-05", {"likelihood": 9}, exp(422, 422, 404, 403, 404, 403)),
        ("get", "/heatmap?period=2026-05", None, ALL_200),
        ("get", "/major-risks?period=2026-05", None, ALL_200),
        ("get", "/warnings?period=2026-05", None, ALL_200),
        ("patch", f"/warnings/{w['warning_BJ']}", {"progress": 500}, exp(422, 422, 422, 403, 422, 403)),
        ("patch", f"/warnings/{w['warning_SH']}", {"progress": 500}, exp(422, 422, 404, 403, 404, 403)),
        ("get", "/indicators", None, ALL_200),
        ("post", "/indicators", {}, exp(422, 422, 403, 403, 403, 403)),
        ("post", f"/indicators/{w['indicator_SH']}/values", {"period": "x"}, exp(422, 422, 404, 403, 404, 403)),
        # A company-wide indicator: every unit reads it, only the company's roles record it.
        ("post", f"/indicators/{w['indicator_company']}/values", {"period": "x"}, exp(422, 422, 403, 403, 403, 403)),
        ("get", "/rounds/2026-05", None, ALL_200),
        ("post", "/rounds", {}, exp(422, 422, 403, 403, 403, 403)),
        ("post", "/rounds/2026-05/close", None, exp(200, 200, 403, 403, 403, 403)),
        ("get", "/incidents", None, ALL_200),
        ("get", f"/incidents/{w['incident_SH']}", None, COMPANY_200),
        ("post", "/incidents", {}, exp(422, 422, 422, 403, 422, 403)),
        ("post", f"/incidents/{w['incident_SH']}/transitions", {"transition": "review"}, exp(403, 200, 404, 403, 404, 403)),
        ("get", "/incident-rounds/2026-Q2", None, ALL_200),
        ("post", "/incident-rounds", {}, exp(422, 422, 403, 403, 403, 403)),
        ("post", "/incident-rounds/2026-Q2/answer", {"nil": False}, exp(403, 403, 200, 403, 200, 403)),
        ("post", "/review-meetings", {}, exp(422, 422, 403, 403, 403, 403)),
        ("get", "/calibration", None, ALL_200),
        ("get", "/supervision-projects", None, ALL_200),
        ("get", f"/supervision-projects/{w['project_SH']}", None, COMPANY_200),
        # A unit head may propose a project for their unit (所属企业自选立项): an empty one is 422, not 403.
        ("post", "/supervision-projects", {}, exp(422, 403, 403, 422, 422, 403)),
        ("post", f"/supervision-projects/{w['project']}/recommendations", {}, exp(422, 403, 403, 422, 403, 403)),
        ("post", f"/supervision-projects/{w['project']}/transitions", {"transition": "cancel", "comment": "x"},
         exp(403, 403, 403, 200, 403, 403)),
        ("get", "/recommendations", None, ALL_200),
        ("get", f"/recommendations/{w['rec_SH']}", None, COMPANY_200),
        ("post", f"/recommendations/{w['rec_BJ']}/transitions", {"transition": "accept"}, exp(403, 403, 200, 403, 200, 403)),
        ("post", f"/recommendations/{w['rec_SH']}/transitions", {"transition": "accept"}, exp(403, 403, 404, 403, 404, 403)),
        ("get", f"/attachments/{w['attachment_SH']}", None, COMPANY_200),
        ("get", f"/history?entity=risk&id={rs}", None, COMPANY_200),
        ("get", "/history?entity=user&id=1", None, exp(200, 403, 404, 403, 404, 403)),
        ("get", "/history?entity=grading_round&id=1", None, ALL_200),
        ("get", "/history?entity=incident_round&id=1", None, ALL_200),
        ("get", f"/history?entity=review_meeting&id={w['meeting']}", None, ALL_200),
        ("get", f"/history?entity=indicator&id={w['indicator_company']}", None, ALL_200),
        ("get", "/reports", None, exp(200, 200, 403, 200, 403, 200)),
        ("post", "/reports", {"kind": "monthly", "period": "2026-05"}, exp(201, 201, 403, 403, 403, 403)),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_api_door_for_each_role(world, role):
    api = world["users"][role]
    failures = []
    for method, path, body, expected in api_cases(world):
        response = getattr(api, method)(path, json=body) if body is not None or method != "get" else api.get(path)
        if response.status_code != expected[role]:
            failures.append(f"{method.upper()} {path}: {response.status_code}, expected {expected[role]}")
    assert failures == []


def page_cases(w):
    return [
        ("/", ALL_200), ("/risks", ALL_200), (f"/risks/{w['risk_SH']}", COMPANY_200),
        (f"/risks/{w['risk_SH']}/edit", exp(200, 200, 404, 403, 404, 403)),
        ("/risks/new", exp(200, 200, 200, 403, 403, 403)),
        ("/grading", exp(200, 200, 200, 403, 200, 403)),  # the unit head reviews the unit's sheet there
        ("/heatmap", ALL_200), ("/warnings", ALL_200), ("/indicators", ALL_200),
        ("/rounds", exp(200, 200, 403, 403, 403, 403)), ("/standard", ALL_200), ("/categories", ALL_200),
        ("/imports", exp(200, 200, 200, 403, 403, 403)),
        ("/incidents", ALL_200), (f"/incidents/{w['incident_SH']}", COMPANY_200),
        ("/incidents/new", exp(200, 200, 200, 403, 200, 403)),
        ("/supervision", ALL_200), (f"/supervision/{w['project_SH']}", COMPANY_200),
        ("/supervision/new", exp(200, 403, 403, 200, 403, 403)),
        (f"/recommendations/{w['rec_SH']}", COMPANY_200),
        (f"/recommendations/{w['rec_SH']}/letter.pdf", COMPANY_200),
        (f"/evidence/{w['attachment_SH']}", COMPANY_200),
        ("/reports", ALL_200),  # a unit's roles: the unit versions of the issued months
        ("/units", ALL_200), ("/users", exp(200, 403, 403, 403, 403, 403)), ("/more", ALL_200),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_each_role(world, client, role):
    login(client, role)
    failures = [f"{path}: {code}, expected {expected[role]}" for path, expected in page_cases(world)
                if (code := client.get(path).status_code) != expected[role]]
    assert failures == []
    # A page that changes something refuses a form without its CSRF token, whoever sends it.
    assert client.post("/risks/new", data={"title": "x"}).status_code == 400
    assert csrf_token(client, "/profile")
