"""The year's supervision figures (GET /supervision-summary) against a count made by hand, their scope, the
annual report's section, and the admin's list of project kinds (GET/POST/PATCH /supervision-kinds)."""
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import event, text

from riskflow.auth import policy
from riskflow.supervision import benefits, summary
from riskflow.supervision.models import SupervisionNotice
from conftest import sql


def fire(api, kind, item_id, transition, **fields):
    response = api.post(f"/{kind}/{item_id}/transitions", {"transition": transition, **fields})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def project(api, year=2025, kind="procurement", lead="JJ", units=(), benefit=None, to=None):
    body = {"year": year, "title": f"{kind} 效能监察", "kind": kind, "method": "efficiency_audit", "lead_unit": lead,
            "participating_units": list(units)}
    if benefit is not None:
        body["economic_benefit"] = benefit
    response = api.post("/supervision-projects", body)
    assert response.status_code == 201, response.get_json()
    pid = response.get_json()["id"]
    for step in {"setup": ["file"], "monitoring": ["file", "start_monitoring"],
                 "cancelled": ["file", "cancel"]}.get(to, []):
        fire(api, "supervision-projects", pid, step, **({"comment": "撤销"} if step == "cancel" else {}))
    return pid


def recommend(api, pid, unit):
    response = api.post(f"/supervision-projects/{pid}/recommendations", {
        "finding": "发现问题", "recommendation": "限期整改", "responsible_unit": unit})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def rectify(team, rid, head):
    fire(head, "recommendations", rid, "accept")
    fire(head, "recommendations", rid, "submit", report="已整改")
    fire(team["inspector"], "recommendations", rid, "verify")


def issue(api, pid):
    fire(api, "supervision-projects", pid, "issue_recommendations")
    fire(api, "supervision-projects", pid, "start_rectification")


def add_benefit(run_db, pid, amount, kind, rec=None):
    run_db(lambda s: benefits.add_benefit(s, policy.SYSTEM, pid, {"amount": amount, "kind": kind,
                                                                   "recommendation_id": rec}))


def add_notice(run_db, pid, unit_id, year, n):
    def add(session):
        session.add(SupervisionNotice(project_id=pid, number=f"监通〔{year}〕{n}号", year=year,
                                      recipient_unit_id=unit_id, subject="通知", content="请配合",
                                      issued_on=date(year, 3, n)))
    run_db(add)


@pytest.fixture
def year_2025(team, run_db, app):
    """A known year: three filed projects of both origins, a draft, a cancelled one and one of 2024;
    recommendations verified, overdue, open and not yet issued; notices in 2025 and 2024; a benefit of each kind."""
    inspector = team["inspector"]
    units = dict(sql(app, "SELECT code, id FROM units"))
    # P1: company-set, sales collection, led by JJ with BJ, in rectification.
    p1 = project(inspector, kind="sales_collection", units=["BJ"], benefit=450000, to="monitoring")
    r1, r2, r3 = recommend(inspector, p1, "BJ"), recommend(inspector, p1, "SH"), recommend(inspector, p1, "BJ")
    issue(inspector, p1)
    rectify(team, r1, team["head_bj"])
    fire(team["head_bj"], "recommendations", r3, "accept")
    # P2: proposed by BJ (origin unit), procurement, still monitoring: its recommendation has not gone out yet.
    p2 = project(inspector, kind="procurement", lead="BJ", to="monitoring")
    r4 = recommend(inspector, p2, "BJ")
    # P3: company-set, procurement, led by SH, closed.
    p3 = project(inspector, kind="procurement", lead="SH", to="monitoring")
    r5 = recommend(inspector, p3, "SH")
    issue(inspector, p3)
    rectify(team, r5, team["head_sh"])
    fire(inspector, "supervision-projects", p3, "close", comment="结项")
    # Not counted: a draft, a cancelled project, another year's.
    p4 = project(inspector, kind="budget", benefit=999)
    p5 = project(inspector, kind="budget", benefit=777, to="cancelled")
    p6 = project(inspector, year=2024, kind="budget", lead="BJ", benefit=555, to="setup")
    run_db(lambda s: s.execute(text("UPDATE supervision_projects SET origin = 'unit' WHERE id = :id"), {"id": p2}))
    # r2 (SH) and r4 (not yet issued) are past their due date.
    run_db(lambda s: s.execute(text("UPDATE recommendations SET due_date = :d WHERE id IN (:a, :b)"),
                               {"d": date(2025, 1, 31), "a": r2, "b": r4}))
    add_benefit(run_db, p1, "1700000", "cost_reduction", r1)
    add_benefit(run_db, p1, "450000", "recovered", r2)
    add_benefit(run_db, p2, "30000.50", "avoided_loss")
    add_notice(run_db, p1, units["BJ"], 2025, 1)
    add_notice(run_db, p3, units["SH"], 2025, 2)
    add_notice(run_db, p6, units["BJ"], 2024, 1)
    return {"p": [p1, p2, p3, p4, p5, p6], "r": [r1, r2, r3, r4, r5]}


def test_the_years_figures_match_a_count_by_hand(team, year_2025):
    expected = {
        "year": 2025,
        "projects": {"total": 3, "closed": 1, "by_kind": {"procurement": 2, "sales_collection": 1},
                     "by_unit": {"BJ": 1, "JJ": 1, "SH": 1}, "by_origin": {"company": 2, "unit": 1}},
        "notices": 2,
        "recommendations": {"issued": 4, "verified": 2, "overdue": 1},
        "closed_loop_rate": 0.5,
        "economic_benefit": {"total": 2630000.5, "by_kind": {"cost_reduction": 1700000.0, "recovered": 450000.0,
                                                             "avoided_loss": 30000.5, "other": 450000.0}},
    }
    for who in ("inspector", "leader", "manager", "admin"):
        response = team[who].get("/supervision-summary?year=2025")
        assert response.status_code == 200
        assert response.get_json() == expected
    earlier = team["inspector"].get("/supervision-summary?year=2024").get_json()
    assert (earlier["projects"]["total"], earlier["notices"], earlier["economic_benefit"]["total"]) == (1, 1, 555.0)


def test_a_unit_head_gets_their_own_units_figures(team, year_2025):
    # BJ sees P1 (takes part) and P2 (leads), the notice sent to BJ, only BJ's recommendations, and no benefit
    # produced by SH's recommendation.
    assert team["head_bj"].get("/supervision-summary?year=2025").get_json() == {
        "year": 2025,
        "projects": {"total": 2, "closed": 0, "by_kind": {"procurement": 1, "sales_collection": 1},
                     "by_unit": {"BJ": 1, "JJ": 1}, "by_origin": {"company": 1, "unit": 1}},
        "notices": 1,
        "recommendations": {"issued": 2, "verified": 1, "overdue": 0},
        "closed_loop_rate": 0.5,
        "economic_benefit": {"total": 2180000.5, "by_kind": {"cost_reduction": 1700000.0, "recovered": 0.0,
                                                             "avoided_loss": 30000.5, "other": 450000.0}},
    }
    # SH sees P1 (recommended to) and P3 (leads): P1's filed benefit and the one its own r2 produced.
    sh = team["head_sh"].get("/supervision-summary?year=2025").get_json()
    assert (sh["projects"]["total"], sh["projects"]["by_unit"], sh["recommendations"], sh["closed_loop_rate"],
            sh["economic_benefit"]["total"]) == (
        2, {"JJ": 1, "SH": 1}, {"issued": 2, "verified": 1, "overdue": 1}, 0.5, 900000.0)


def test_an_empty_year_has_zero_figures_and_a_bad_year_is_422(team):
    assert team["inspector"].get("/supervision-summary?year=2031").get_json() == {
        "year": 2031, "projects": {"total": 0, "closed": 0, "by_kind": {}, "by_unit": {},
                                   "by_origin": {"company": 0, "unit": 0}},
        "notices": 0, "recommendations": {"issued": 0, "verified": 0, "overdue": 0}, "closed_loop_rate": 0,
        "economic_benefit": {"total": 0.0, "by_kind": {"cost_reduction": 0.0, "recovered": 0.0, "avoided_loss": 0.0,
                                                       "other": 0.0}}}
    for bad in ("abc", "20x5", "99999", "-1", "2025.5"):
        assert team["inspector"].get(f"/supervision-summary?year={bad}").status_code == 422, bad


def test_the_figures_take_the_same_statements_whatever_the_number_of_projects(team, app, run_db):
    def statements():
        seen = []

        def count(session):
            engine = session.get_bind()
            listener = lambda *args: seen.append(1)  # noqa: E731
            event.listen(engine, "before_cursor_execute", listener)
            try:
                summary.year_figures(session, policy.SYSTEM, 2025)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
        run_db(count)
        return len(seen)

    for _ in range(2):
        pid = project(team["inspector"], to="monitoring", benefit=100)
        recommend(team["inspector"], pid, "BJ")
        issue(team["inspector"], pid)
    few = statements()
    for _ in range(6):
        pid = project(team["inspector"], lead="SH", kind="budget", to="monitoring", benefit=100)
        recommend(team["inspector"], pid, "SH")
        issue(team["inspector"], pid)
    assert statements() == few == 4


def test_the_annual_report_carries_the_years_figures(team, year_2025, app, run_db):
    from riskflow.reports import collect, render

    data = run_db(lambda s: collect.annual(s, 2025))
    with app.app_context():
        pdf = render.render_annual(data, "zh_CN")
        english = render.render_annual(data, "en")
    Path("test-artifacts").mkdir(exist_ok=True)
    Path("test-artifacts/yearfigures-annual.pdf").write_bytes(pdf)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert ("立项3项（公司统一立项2项、所属企业自选立项1项），结项1项；下达效能监察通知书2份；"
            "提出整改建议4条，已验收2条，逾期1条；闭环率50%；直接经济效益2,630,000.50元。") in text
    for words in ("大宗物资采购", "销售回款", "北京销售分公司", "上海销售分公司", "纪检监察室", "降本节支",
                  "1,700,000.00", "30,000.50"):
        assert words in text, words
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(english)).pages).replace("\n", "")
    assert "Projects filed: 3 (set by the company: 2, proposed by units: 1), closed: 1" in text


def test_the_admin_edits_the_kinds_and_bad_input_changes_nothing(team, app):
    admin = team["admin"]
    kinds = admin.get("/supervision-kinds").get_json()["items"]
    assert kinds[-1]["code"] == "eight_rules" and len(kinds) == 13
    created = admin.post("/supervision-kinds", {"code": "hospitality", "label_zh": "公务接待",
                                                 "label_en": "Official hospitality"})
    assert created.status_code == 201
    assert created.get_json() == {"code": "hospitality", "label": "公务接待", "label_zh": "公务接待",
                                  "label_en": "Official hospitality", "position": 14, "active": True, "used": False}
    for body, field in (({"code": "Bad!", "label_zh": "x", "label_en": "x"}, "code"),
                        ({"code": "a", "label_zh": "x", "label_en": "x"}, "code"),
                        ({"code": "new_kind", "label_zh": "", "label_en": "x"}, "label_zh"),
                        ({"code": "new_kind", "label_zh": "x", "label_en": "y" * 101}, "label_en")):
        response = admin.post("/supervision-kinds", body)
        assert response.status_code in (400, 422) and field in str(response.get_json()), body
    assert admin.post("/supervision-kinds", {"code": "hospitality", "label_zh": "x", "label_en": "x"}).status_code == 409
    assert team["inspector"].post("/supervision-kinds", {"code": "other_kind", "label_zh": "x",
                                                          "label_en": "x"}).status_code == 403
    assert admin.patch("/supervision-kinds/nothing", {"active": False}).status_code == 404
    assert admin.patch("/supervision-kinds/hospitality", {"label_zh": ""}).status_code in (400, 422)
    retired = admin.patch("/supervision-kinds/hospitality", {"active": False}).get_json()
    assert (retired["active"], retired["label_zh"]) == (False, "公务接待")
    refused = team["inspector"].post("/supervision-projects", {"title": "t", "kind": "hospitality",
                                                              "method": "efficiency_audit", "lead_unit": "JJ"})
    assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["kind"]
    assert sql(app, "SELECT count(*) FROM supervision_kinds") == [(14,)]
    assert [row[0] for row in sql(app, "SELECT action FROM change_history WHERE entity = 'supervision_kind' "
                                       "ORDER BY id")] == ["create", "retire"]
